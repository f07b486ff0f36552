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
    from geomap.dates import parse_iso_day

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
    from geomap.gazetteer import default_gazetteer
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
@click.argument("names", nargs=-1, required=True)
@click.option("--country", help="Only places in this country (ISO code or name).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object a name.")
@_guard
def geocode(names: tuple[str, ...], country: str | None, as_json: bool) -> None:
    """Look up place NAMES; exit status 1 if any is unresolved."""
    from geomap.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    matches = [gaz.lookup(n, country=country) for n in names]
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=1))
    else:
        for m in matches:
            click.echo(_geocode_line(m))
    if not all(m.resolved for m in matches):
        sys.exit(1)


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


def main() -> None:
    """Entry point of the ``geomap`` console script."""
    cli()


if __name__ == "__main__":
    main()
