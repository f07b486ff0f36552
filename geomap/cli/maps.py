"""``geomap map``, ``export`` and ``demo``: incidents to a standalone page or a GIS file."""

from __future__ import annotations

from pathlib import Path

import click

from geomap.cli.options import default_output, filter_options, offline_option, output_option

__all__ = ["demo", "export_command", "map_command"]

DEMO_FILE = "incidents/algeria_mali.csv"
DEMO_TITLE = "Algeria–Mali diplomatic rift, 2015–2025"


@click.command("map")
@click.argument("input_path", metavar="INPUT")
@output_option("HTML file to write (default: output/<INPUT stem>.html).")
@filter_options
@click.option("--title", help="Title shown on the map.")
@offline_option()
def map_command(input_path: str, output: str | None, filters, title: str | None,
                offline: bool) -> None:
    """Render the incidents of INPUT (CSV, JSON, GeoJSON) to a standalone HTML map."""
    from geomap.pipeline import make_map

    report = make_map(input_path, output or default_output(input_path, ".html"), filters,
                      title=title, offline=offline)
    click.echo(report.summary(), err=True)


def _known_format(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Reject an output whose suffix no exporter writes, before any work is done."""
    if value is None:  # click reports the missing required option itself
        return value
    from geomap.export import FORMATS

    if Path(value).suffix.lower() not in FORMATS:
        raise click.BadParameter(
            f"unknown format {Path(value).suffix!r}; use {', '.join(sorted(FORMATS))}",
            param_hint="--output",
        )
    return value


@click.command("export")
@click.argument("input_path", metavar="INPUT")
@output_option("File to write: .geojson (RFC 7946), .gpkg or .csv.", required=True,
               callback=_known_format)
@filter_options
def export_command(input_path: str, output: str, filters) -> None:
    """Export the incidents of INPUT to GeoJSON, GeoPackage or CSV."""
    from geomap.pipeline import export

    report = export(input_path, output, filters)
    click.echo(report.summary(), err=True)


@click.command()
@output_option("Default: output/algeria_mali.html.")
@offline_option()
def demo(output: str | None, offline: bool) -> None:
    """Render the bundled Algeria-Mali example to output/algeria_mali.html."""
    from geomap.pipeline import make_map
    from geomap.resources import layer_path

    source = layer_path(DEMO_FILE)
    report = make_map(source, output or default_output(source, ".html"),
                      title=DEMO_TITLE, offline=offline)
    click.echo(report.summary(), err=True)
