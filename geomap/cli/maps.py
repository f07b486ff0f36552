"""``geomap map``, ``export`` and ``demo``: incidents to a standalone page or a GIS file."""

from __future__ import annotations

from pathlib import Path

import click

from geomap.cli.format import summary_lines
from geomap.cli.options import (
    default_output,
    exit_for_rejected,
    filter_options,
    offline_option,
    on_bad_rows_option,
    output_option,
    quiet_option,
    raw_csv_option,
    tile_choice,
    tiles_option,
)

__all__ = ["demo", "export_command", "map_command"]

DEMO_FILE = "incidents/algeria_mali.csv"
DEMO_TITLE = "Algeria–Mali diplomatic rift, 2015–2025"


@click.command("map")
@click.argument("input_path", metavar="INPUT")
@output_option("HTML file to write (default: output/<INPUT stem>.html).")
@filter_options
@click.option("--title", help="Title shown on the map.")
@tiles_option()
@offline_option()
@click.option("--size", "size_by", type=click.Choice(["fatalities"]), default=None,
              help="Size markers and clusters by deaths (area grows with fatalities).")
@click.option("--color-by", metavar="COLUMN", default=None,
              help="Colour markers by any categorical column (actor1, sub_event_type, "
                   "admin1, ...): its most frequent values, then 'other'. Default: "
                   "event_type.")
@on_bad_rows_option()
@raw_csv_option()
@quiet_option()
def map_command(input_path: str, output: str | None, filters, title: str | None,
                tiles: str | None, offline: bool, size_by: str | None, color_by: str | None,
                on_bad_rows: str, raw_csv: bool, quiet: bool) -> None:
    """Render the incidents of INPUT (CSV, xlsx, JSON, GeoJSON, Parquet) to a standalone
    HTML map: Leaflet, the data and a vector basemap inlined, it opens with no network."""
    from geomap.map.page import MarkerStyle
    from geomap.pipeline import make_map

    report = make_map(input_path, output or default_output(input_path, ".html"), filters,
                      title=title, tiles=tile_choice(tiles, offline), raw_csv=raw_csv,
                      on_bad_rows=on_bad_rows,
                      style=MarkerStyle(size_by=size_by, color_by=color_by))
    _summary(report, quiet)


def _summary(report, quiet: bool) -> None:
    """Print the report's summary and hint on stderr, unless ``--quiet``; exit with status 1
    when rows were rejected (``--on-bad-rows skip``)."""
    for line in [] if quiet else summary_lines(report.summary(), report.hint):
        click.echo(line, err=True)
    exit_for_rejected(report.rejected)


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
@output_option("File to write: .geojson (RFC 7946), .gpkg, .csv, .parquet (GeoParquet) or "
               ".fgb (FlatGeobuf).", required=True, callback=_known_format)
@filter_options
@on_bad_rows_option()
@raw_csv_option()
@quiet_option()
def export_command(input_path: str, output: str, filters, on_bad_rows: str, raw_csv: bool,
                   quiet: bool) -> None:
    """Export the incidents of INPUT, every column, to GeoJSON, GeoPackage, CSV, GeoParquet
    or FlatGeobuf."""
    from geomap.pipeline import export

    _summary(export(input_path, output, filters, raw_csv=raw_csv, on_bad_rows=on_bad_rows),
             quiet)


@click.command()
@output_option("Default: output/algeria_mali.html.")
@tiles_option()
@offline_option()
def demo(output: str | None, tiles: str | None, offline: bool) -> None:
    """Render the bundled Algeria-Mali example to output/algeria_mali.html (standalone: it
    opens with no network)."""
    from geomap.pipeline import make_map
    from geomap.resources import layer_path

    source = layer_path(DEMO_FILE)
    report = make_map(source, output or default_output(source, ".html"),
                      title=DEMO_TITLE, tiles=tile_choice(tiles, offline))
    click.echo(report.summary(), err=True)
