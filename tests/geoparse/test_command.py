"""Tests for ``geomap extract`` (geomap.geoparse.command): articles in, events or mentions out."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from click.testing import CliRunner
from geoparse_cases import ACCEPTANCE

from geomap.cli import cli
from geomap.errors import InputFileError
from geomap.geoparse.command import read_article


def test_cli_extract_writes_events_csv(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ACCEPTANCE, encoding="utf-8")
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(cli, ["extract", str(article), "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame["location"]) == ["Tin Zaouatine"]
    assert list(frame["event_date"]) == ["2024-08-25"]


def test_cli_extract_mentions_from_stdin():
    result = CliRunner().invoke(cli, ["extract", "-", "--mentions"], input=ACCEPTANCE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("start,end,text,name,latitude,longitude,country_code,score")
    assert any(",Malian,Mali," in line for line in lines)


def test_cli_extract_relative_dates_with_date_option():
    text = "Last week, gunmen attacked a market in Gao."
    result = CliRunner().invoke(cli, ["extract", "-", "--date", "2024-08-26"], input=text)
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    # the week of 19-25 August, coded on its middle day, ACLED's time_precision 2
    assert (row["event_date"], row["time_precision"]) == ("2024-08-22", "2")


def test_cli_extract_rejects_bad_date_and_missing_file(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["extract", "-", "--date", "26/08/2024"], input="x")
    assert bad.exit_code != 0
    missing = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "nope.txt" in missing.output


def test_read_article_rejects_binary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputFileError, match="a.txt"):
        read_article(str(path))


def test_cli_extract_map(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ACCEPTANCE, encoding="utf-8")
    html = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["extract", str(article), "--map", str(html),
                                      "-o", str(tmp_path / "e.csv")])
    assert result.exit_code == 0, result.output
    # the page embeds its data in the renderer's own encoding: check the page exists
    # and that the events it was drawn from hold the place
    assert html.exists() and "<html" in html.read_text(encoding="utf-8")
    assert "Tin Zaouatine" in (tmp_path / "e.csv").read_text(encoding="utf-8")


def test_cli_extract_offline_map_references_nothing_outside(tmp_path):
    from geomap.map import assets

    if len(assets.local_asset_files()) < len(assets.ASSETS):
        pytest.skip("web assets not installed (npm install --no-package-lock)")
    article = tmp_path / "article.txt"
    article.write_text(ACCEPTANCE, encoding="utf-8")
    html = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["extract", str(article), "--map", str(html),
                                      "--offline", "-o", str(tmp_path / "e.csv")])
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert not re.search(r'<(script|link)[^>]+(src|href)="', page)
    assert "tile.openstreetmap.org" not in page
