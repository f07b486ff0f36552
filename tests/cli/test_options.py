"""The shared options: filters arrive as one Filters, hint columns as one HintColumns."""

from __future__ import annotations

import datetime as dt

import click
from click.testing import CliRunner

from geomap.cli.options import (
    HintColumns,
    filter_options,
    hint_column_options,
    offline_option,
    output_option,
)
from geomap.pipeline import Filters


def _invoke(command: click.Command, *args: str):
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


@click.command()
@output_option("Where to write.")
@filter_options
@offline_option()
def probe(output, filters, offline) -> None:
    click.echo(repr((output, filters, offline)))


@click.command()
@hint_column_options
def hints(hint_columns) -> None:
    click.echo(repr(hint_columns))


def test_filter_options_yield_one_resolved_filters() -> None:
    result = _invoke(probe, "--from", "2024-01-01", "--country", "Mali, dz", "--type", "Riots",
                     "--type", "Protests", "-o", "x.html", "--offline")
    assert result.exit_code == 0, result.output
    expected = Filters(dt.date(2024, 1, 1), None, ("ML", "DZ"), ("Riots", "Protests"))
    assert result.stdout.strip() == repr(("x.html", expected, True))


def test_no_filters_is_the_empty_filters() -> None:
    assert _invoke(probe).stdout.strip() == repr((None, Filters(), False))


def test_options_keep_their_order_in_help() -> None:
    text = _invoke(probe, "--help").stdout
    flags = ["--output", "--from", "--to", "--country", "--type", "--offline"]
    assert [text.index(f) for f in flags] == sorted(text.index(f) for f in flags)
    assert "Where to write." in text and "No online tile layer" in text


def test_hint_columns_arrive_as_one_value() -> None:
    result = _invoke(hints, "--admin1-column", "region", "--country-column", "cc")
    assert result.stdout.strip() == repr(HintColumns(country="cc", admin1="region"))
    assert HintColumns(admin2="cercle").as_kwargs() == {
        "country_column": None, "admin1_column": None, "admin2_column": "cercle",
        "admin3_column": None}
