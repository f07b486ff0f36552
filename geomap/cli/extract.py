"""``geomap extract``: a news article to located, dated events (or place mentions)."""

from __future__ import annotations

import datetime as dt

import click

from geomap.cli.options import (
    iso_day,
    offline_option,
    output_option,
    raw_csv_option,
    tile_choice,
    tiles_option,
)

__all__ = ["extract_command"]


@click.command("extract")
@click.argument("article", metavar="ARTICLE")
@click.option("--date", "published", callback=iso_day, metavar="YYYY-MM-DD",
              help="Publication date, for 'in December', 'last week' and undated sentences.")
@output_option("CSV file to write (default: standard output).")
@click.option("--map", "map_path", type=click.Path(dir_okay=False),
              help="Also render the dated events to this HTML map.")
@click.option("--mentions", is_flag=True, help="One row per place mention instead of events.")
@click.option("--title", help="With --map: the map's title (default: the article's first "
              "line, else its file name).")
@tiles_option()
@offline_option("With --map: no online tile layer (the map opens with no network anyway).")
@raw_csv_option()
def extract_command(article: str, published: dt.date | None, output: str | None,
                    map_path: str | None, mentions: bool, title: str | None, tiles: str | None,
                    offline: bool, raw_csv: bool) -> None:
    """Geoparse ARTICLE (a text file, or - for stdin) into located, dated events."""
    from geomap.geoparse.command import run_extract

    report, csv_text = run_extract(article, published=published, output=output,
                                   map_path=map_path, mentions=mentions, title=title,
                                   tiles=tile_choice(tiles, offline), raw_csv=raw_csv)
    if csv_text:
        click.echo(csv_text, nl=False)
    click.echo(report.summary(), err=True)
