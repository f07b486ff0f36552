"""``geomap check``: do the coordinates of an incident file agree with its place names?"""

from __future__ import annotations

import math
from pathlib import Path

import click

from geomap.cli.format import summary_lines
from geomap.cli.options import (
    default_output,
    exit_for_rejected,
    on_bad_rows_option,
    output_option,
    quiet_option,
    raw_csv_option,
)

__all__ = ["check"]

#: qa's default (``geomap.incidents.qa.DEFAULT_THRESHOLD_KM``), restated so that ``--help``
#: loads no pandas; tests/cli/test_check.py ties the two.
DEFAULT_THRESHOLD_KM = 50.0


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """Refuse ``nan`` and ``inf``, which the range check lets through."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a distance; give kilometres greater than 0, "
                                 f"such as {DEFAULT_THRESHOLD_KM:g}")
    return value


@click.command("check")
@click.argument("input_path", metavar="INPUT")
@output_option("CSV report to write (default: stdout).")
@click.option("--threshold-km", type=click.FloatRange(min=0, min_open=True),
              callback=_finite, default=DEFAULT_THRESHOLD_KM, show_default=True,
              help="Report rows farther than this from their name's place.")
@click.option("--unresolved", "include_unresolved", is_flag=True,
              help="Also list rows whose place name does not resolve.")
@on_bad_rows_option("A row with a coordinate that is not a number in range (or only one of "
                    "the two): strict stops at the first, with one line; skip writes such "
                    "rows to <output stem>.rejected.csv (without -o: output/<INPUT "
                    "stem>.rejected.csv) with the reason, checks the others and exits with "
                    "status 1.")
@raw_csv_option()
@quiet_option()
def check(input_path: str, output: str | None, threshold_km: float,
          include_unresolved: bool, on_bad_rows: str, raw_csv: bool, quiet: bool) -> None:
    """Check that the coordinates of INPUT's rows agree with their place names.

    Lists rows more than --threshold-km from where their `location` resolves, and rows
    whose gazetteer country differs from the country polygon their point falls in
    (border towns: the gazetteer's country is reported, never overwritten).
    """
    from geomap.atomic import check_outputs
    from geomap.incidents.qa import check_coordinates, write_rejected, write_report
    from geomap.safe_csv import csv_text

    if output:  # before the work: the report never replaces the file it checks
        check_outputs([input_path], {output: "the report"})
    if on_bad_rows == "skip":
        check_outputs([input_path], {_rejected_path(input_path, output): "the rejected rows"})
    report = check_coordinates(input_path, threshold_km=threshold_km,
                               include_unresolved=include_unresolved, on_bad_rows=on_bad_rows)
    if output:
        write_report(report, output, raw_csv=raw_csv)
    else:
        click.echo(csv_text(report.issues, raw=raw_csv), nl=False)
    if len(report.rejected):
        report = write_rejected(report, _rejected_path(input_path, output), raw_csv=raw_csv)
    for line in [] if quiet else summary_lines(report.summary(), report.hint):
        click.echo(line, err=True)
    exit_for_rejected(len(report.rejected))


def _rejected_path(input_path: str, output: str | None) -> Path:
    """``<output stem>.rejected.csv`` next to the report, or in output/ without one."""
    from geomap.pipeline import companion_path

    return companion_path(output, "rejected") if output else \
        default_output(input_path, ".rejected.csv")
