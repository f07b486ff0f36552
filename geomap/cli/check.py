"""``geomap check``: do the coordinates of an incident file agree with its place names?"""

from __future__ import annotations

import click

from geomap.cli.options import output_option

__all__ = ["check"]

#: qa's default (``geomap.incidents.qa.DEFAULT_THRESHOLD_KM``), restated so that ``--help``
#: loads no pandas; tests/cli/test_check.py ties the two.
DEFAULT_THRESHOLD_KM = 50.0


@click.command("check")
@click.argument("input_path", metavar="INPUT")
@output_option("CSV report to write (default: stdout).")
@click.option("--threshold-km", type=click.FloatRange(min=0, min_open=True),
              default=DEFAULT_THRESHOLD_KM, show_default=True,
              help="Report rows farther than this from their name's place.")
@click.option("--unresolved", "include_unresolved", is_flag=True,
              help="Also list rows whose place name does not resolve.")
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
