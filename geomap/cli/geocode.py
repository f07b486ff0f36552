"""``geomap geocode``: place names, or a CSV column of them, to coordinates."""

from __future__ import annotations

import json
import sys

import click

from geomap.cli.format import geocoded_file_line, match_line, summary_lines
from geomap.cli.options import (
    HintColumns,
    default_output,
    hint_column_options,
    output_option,
    quiet_option,
    raw_csv_option,
)

__all__ = ["geocode"]

EXIT_UNRESOLVED = 1
# The CLI always runs the coherence pass; it acts only on rows that name their commune.
COHERENCE = True


@click.command()
@click.argument("names", nargs=-1)
@click.option("--country", help="Only places in this country (ISO code or name).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object a name.")
@click.option("--input", "input_path", type=click.Path(dir_okay=False),
              help="Geocode a column of this file instead of NAMES (CSV, read as every "
                   "command reads it; or xlsx, JSON, GeoJSON, Parquet).")
@click.option("--column", default="location", show_default=True,
              help="With --input: the column of place names.")
@hint_column_options
@click.option("--no-area-fallback", is_flag=True,
              help="With --admin3-column: leave a name no gazetteer holds unresolved instead "
                   "of placing it at its commune's centre (method 'area', precision 3).")
@output_option("With --input: CSV to write (default output/<input stem>.geocoded.csv).")
@raw_csv_option()
@quiet_option()
def geocode(names: tuple[str, ...], country: str | None, as_json: bool, input_path: str | None,
            column: str, hint_columns: HintColumns, no_area_fallback: bool,
            output: str | None, raw_csv: bool, quiet: bool) -> None:
    """Look up place NAMES (or a CSV column); exit status 1 if any is unresolved.

    With --input, each distinct (name, hints) is looked up once, with a progress bar on a
    terminal; the summary goes to stderr, with a hint when the embedded gazetteer alone
    leaves many names unresolved.
    """
    if input_path:
        _geocode_file(input_path, output or default_output(input_path, ".geocoded.csv"),
                      column=column, hint_columns=hint_columns, country=country,
                      area_fallback=not no_area_fallback, raw_csv=raw_csv, quiet=quiet)
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
            click.echo(match_line(m))
    if not all(m.resolved for m in matches):
        sys.exit(EXIT_UNRESOLVED)


def _geocode_file(input_path: str, output, *, column: str, hint_columns: HintColumns,
                  country: str | None, area_fallback: bool, raw_csv: bool,
                  quiet: bool) -> None:
    from geomap.gazetteer.batch import geocode_file

    done = geocode_file(
        input_path, output, column=column, **hint_columns.as_kwargs(), country=country,
        progress=True, coherence=COHERENCE, area_fallback=area_fallback, raw_csv=raw_csv,
    )
    if quiet:
        return
    summary = geocoded_file_line(input_path, output, done.rows, done.unresolved, done.areas)
    for line in summary_lines(summary, done.hint or ""):
        click.echo(line, err=True)
