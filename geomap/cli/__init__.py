"""The ``geomap`` command: one small function per subcommand over :mod:`geomap.pipeline`.

Data goes to stdout, the summary and errors to stderr. Any :class:`GeomapError` ends the
command with one line and a non-zero exit status, never a traceback. Heavy libraries are
imported inside the commands so that ``geomap --help`` and ``geomap geocode`` start fast.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from geomap.errors import GeomapError

__all__ = ["main", "cli"]

EXIT_ERROR = 2


def _iso_day(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from geomap.incidents.dates import parse_iso_day

    try:
        return parse_iso_day(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def _split(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str]:
    return [part.strip() for v in value for part in v.split(",") if part.strip()]


def filter_options(func: Callable) -> Callable:
    """The options shared by ``map`` and ``export``: dates, countries, event types."""
    options = [
        click.option("--from", "start", callback=_iso_day, metavar="YYYY-MM-DD",
                     help="First day to keep (inclusive)."),
        click.option("--to", "end", callback=_iso_day, metavar="YYYY-MM-DD",
                     help="Last day to keep (inclusive)."),
        click.option("--country", "countries", multiple=True, callback=_split,
                     metavar="CC,...", help="Keep these countries (ISO codes or names)."),
        click.option("--type", "event_types", multiple=True, callback=_split,
                     metavar="TYPE,...", help="Keep these event types (ACLED names)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(start, end, countries, event_types):
    from geomap.gazetteer.lookup import default_gazetteer
    from geomap.pipeline import Filters

    if start and end and start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    codes = []
    for name in countries:
        code = default_gazetteer().country_code(name)
        if code is None:
            raise click.BadParameter(
                f"unknown country {name!r}; give ISO codes (ML, DZ) or names",
                param_hint="--country",
            )
        codes.append(code)
    return Filters(start, end, tuple(codes), tuple(event_types))


def _guard(func: Callable) -> Callable:
    """Turn a GeomapError into one line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except GeomapError as err:
            click.echo(f"geomap: error: {err}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geomap")
def cli() -> None:
    """Put incidents on a map: gazetteer, borders, standalone HTML maps, GIS exports."""


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--country", help="Only places in this country (ISO code or name).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object a name.")
@click.option("--input", "input_path", type=click.Path(dir_okay=False),
              help="Geocode a column of this CSV file instead of NAMES.")
@click.option("--column", default="location", show_default=True,
              help="With --input: the column of place names.")
@click.option("--country-column", help="With --input: column of country hints.")
@click.option("--admin1-column", help="With --input: column of admin-1 names.")
@click.option("--admin2-column", help="With --input: column of admin-2 names.")
@click.option("--admin3-column", help="With --input: column of admin-3 names.")
@click.option("--no-area-fallback", is_flag=True,
              help="With --admin3-column: leave a name no gazetteer holds unresolved instead "
                   "of placing it at its commune's centre (method 'area', precision 3).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="With --input: CSV to write (default output/<input stem>.geocoded.csv).")
@_guard
def geocode(names, country, as_json, input_path, column, country_column, admin1_column,
            admin2_column, admin3_column, no_area_fallback, output) -> None:
    """Look up place NAMES (or a CSV column); exit status 1 if any is unresolved."""
    if input_path:
        _geocode_file(input_path, column, country_column,
                      (admin1_column, admin2_column, admin3_column), country, output,
                      area_fallback=not no_area_fallback)
        return
    if not names:
        raise click.UsageError("give place NAMES or --input FILE")
    from geomap.gazetteer.lookup import default_gazetteer

    gaz = default_gazetteer()
    matches = [gaz.lookup(n, country=country) for n in names]
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=1))
    else:
        for m in matches:
            click.echo(_geocode_line(m))
    if not all(m.resolved for m in matches):
        sys.exit(1)


def _geocode_file(input_path, column, country_column, admin_columns, country, output, *,
                  area_fallback: bool) -> None:
    from geomap.gazetteer.batch import geocode_file

    output = output or _default_output(input_path, ".geocoded.csv")
    rows, unresolved, areas = geocode_file(
        input_path, output, column=column, country_column=country_column,
        admin1_column=admin_columns[0], admin2_column=admin_columns[1],
        admin3_column=admin_columns[2], country=country,
        progress=sys.stderr.isatty(), area_fallback=area_fallback,
    )
    placed = f" ({areas} at their commune's centre)" if areas else ""
    click.echo(f"{input_path}: {rows} rows, {rows - unresolved} geocoded{placed}, "
               f"{unresolved} unresolved -> {output}", err=True)


def _geocode_line(m) -> str:
    if not m.resolved:
        return f"{m.query}\tunresolved: {m.rule}"
    p = m.place
    return (f"{m.query}\t{p.name}, {p.country_code}\t{p.lat:.5f}, {p.lon:.5f}\t"
            f"precision {m.precision}\t{m.method}: {m.rule}\t[{p.source}]")


def _default_output(input_path: str, suffix: str) -> Path:
    from geomap.resources import output_dir

    return output_dir() / f"{Path(input_path).stem}{suffix}"


@cli.command("map")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="HTML file to write (default: output/<INPUT stem>.html).")
@filter_options
@click.option("--title", help="Title shown on the map.")
@click.option("--offline", is_flag=True, help="Inline every asset: the page needs no network.")
@_guard
def map_command(input_path, output, start, end, countries, event_types, title, offline):
    """Render the incidents of INPUT (CSV, JSON, GeoJSON) to a standalone HTML map."""
    from geomap.pipeline import make_map

    filters = _filters(start, end, countries, event_types)
    report = make_map(input_path, output or _default_output(input_path, ".html"), filters,
                      title=title, offline=offline)
    click.echo(report.summary(), err=True)


@cli.command("export")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write: .geojson (RFC 7946), .gpkg or .csv.")
@filter_options
@_guard
def export_command(input_path, output, start, end, countries, event_types):
    """Export the incidents of INPUT to GeoJSON, GeoPackage or CSV."""
    from geomap.export import FORMATS
    from geomap.pipeline import export

    if Path(output).suffix.lower() not in FORMATS:
        raise click.BadParameter(
            f"unknown format {Path(output).suffix!r}; use {', '.join(sorted(FORMATS))}",
            param_hint="--output",
        )
    filters = _filters(start, end, countries, event_types)
    report = export(input_path, output, filters)
    click.echo(report.summary(), err=True)


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              default=None, help="Default: output/algeria_mali.html.")
@click.option("--offline", is_flag=True, help="Inline every asset: the page needs no network.")
@_guard
def demo(output: str | None, offline: bool) -> None:
    """Render the bundled Algeria-Mali example to output/algeria_mali.html."""
    from geomap.pipeline import make_map
    from geomap.resources import layer_path

    source = layer_path("incidents/algeria_mali.csv")
    report = make_map(source, output or _default_output(str(source), ".html"),
                      title="Algeria–Mali diplomatic rift, 2015–2025", offline=offline)
    click.echo(report.summary(), err=True)


# -- gazetteer sources and coordinate QA (issue 3, parts 1 and 5) ----------------------
@cli.group()
def gazetteer() -> None:
    """Manage the local gazetteer index: import GeoNames dumps or CSV files, list, remove."""


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--name", help="Source name (default: the file name). Only with one FILE.")
@click.option("--no-progress", is_flag=True, help="Do not show a progress bar.")
@_guard
def gazetteer_import(files: tuple[str, ...], name: str | None, no_progress: bool) -> None:
    """Import GeoNames dumps (ML.txt, allCountries.zip, ...) or CSV gazetteers.

    Importing a file again replaces its earlier import.
    """
    from geomap.gazetteer.importer import import_file

    if name and len(files) > 1:
        raise click.BadParameter("give --name with a single FILE", param_hint="--name")
    for path in files:
        info = import_file(path, name=name, progress=not no_progress)
        click.echo(f"imported {info.name}: {info.count:,} places ({info.kind}"
                   f"{', modified ' + info.modified if info.modified else ''})", err=True)


@gazetteer.command("info")
@_guard
def gazetteer_info() -> None:
    """List the sources of the index: kind, places, import and modification dates."""
    from geomap.gazetteer.importer import list_sources
    from geomap.gazetteer.lookup import default_gazetteer

    rows = [("source", "kind", "places", "imported", "modified")]
    rows += [(s.name, s.kind, f"{s.count:,}", s.imported_at, s.modified)
             for s in list_sources()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        click.echo("  ".join(v.rjust(w) if i == 2 else v.ljust(w)
                             for i, (v, w) in enumerate(zip(r, widths, strict=True))).rstrip())
    click.echo(f"index: {default_gazetteer().index.path}", err=True)


@gazetteer.command("remove")
@click.argument("source")
@_guard
def gazetteer_remove(source: str) -> None:
    """Remove the imported SOURCE (as `geomap gazetteer info` names it) from the index."""
    from geomap.gazetteer.importer import remove_source

    info = remove_source(source)
    click.echo(f"removed {info.name} ({info.count:,} places)", err=True)


@cli.command("check")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="CSV report to write (default: stdout).")
@click.option("--threshold-km", type=click.FloatRange(min=0, min_open=True), default=50.0,
              show_default=True, help="Report rows farther than this from their name's place.")
@click.option("--unresolved", "include_unresolved", is_flag=True,
              help="Also list rows whose place name does not resolve.")
@_guard
def check(input_path: str, output: str | None, threshold_km: float,
          include_unresolved: bool) -> None:
    """Check that the coordinates of INPUT's rows agree with their place names.

    Lists rows more than --threshold-km from where their `location` resolves, and rows
    whose gazetteer country differs from the country polygon their point falls in
    (border towns: the gazetteer's country is reported, never overwritten).
    """
    from geomap.incidents.qa import check_coordinates, write_report

    report = check_coordinates(input_path, threshold_km=threshold_km,
                               include_unresolved=include_unresolved)
    if output:
        write_report(report, output)
    else:
        click.echo(report.issues.to_csv(index=False), nl=False)
    click.echo(report.summary(), err=True)


@cli.command("extract")
@click.argument("article", metavar="ARTICLE")
@click.option("--date", "published", callback=_iso_day, metavar="YYYY-MM-DD",
              help="Publication date, for 'in December', 'last week' and undated sentences.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="CSV file to write (default: standard output).")
@click.option("--map", "map_path", type=click.Path(dir_okay=False),
              help="Also render the dated events to this HTML map.")
@click.option("--mentions", is_flag=True, help="One row per place mention instead of events.")
@click.option("--offline", is_flag=True,
              help="With --map: inline every asset, the page needs no network.")
@_guard
def extract_command(article, published, output, map_path, mentions, offline):
    """Geoparse ARTICLE (a text file, or - for stdin) into located, dated events."""
    from geomap.geoparse.command import run_extract

    report, csv_text = run_extract(article, published=published, output=output,
                                   map_path=map_path, mentions=mentions, offline=offline)
    if csv_text:
        click.echo(csv_text, nl=False)
    click.echo(report.summary(), err=True)


def main() -> None:
    """Entry point of the ``geomap`` console script."""
    cli()


if __name__ == "__main__":
    main()
