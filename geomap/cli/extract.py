"""``geomap extract``: a news article to located, dated events (or place mentions)."""

from __future__ import annotations

import datetime as dt

import click

from geomap.cli.options import iso_day, offline_option, output_option, raw_csv_option

__all__ = ["extract_command"]


@click.command("extract")
@click.argument("article", metavar="ARTICLE")
@click.option("--date", "published", callback=iso_day, metavar="YYYY-MM-DD",
              help="Publication date, for 'in December', 'last week' and undated sentences.")
@output_option("CSV file to write (default: standard output).")
@click.option("--map", "map_path", type=click.Path(dir_okay=False),
              help="Also render the dated events to this HTML map.")
@click.option("--mentions", is_flag=True, help="One row per place mention instead of events.")
@offline_option("With --map: inline every asset, the page needs no network.")
@raw_csv_option()
def extract_command(article: str, published: dt.date | None, output: str | None,
                    map_path: str | None, mentions: bool, offline: bool, raw_csv: bool) -> None:
    """Geoparse ARTICLE (a text file, or - for stdin) into located, dated events."""
    from geomap.geoparse.command import run_extract

    report, csv_text = run_extract(article, published=published, output=output,
                                   map_path=map_path, mentions=mentions, offline=offline,
                                   raw_csv=raw_csv)
    if csv_text:
        click.echo(csv_text, nl=False)
    click.echo(report.summary(), err=True)
