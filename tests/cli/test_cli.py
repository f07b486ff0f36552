"""The geomap command, through click's runner, as a user types it."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
from click.testing import CliRunner

from geomap.cli import cli
from geomap.resources import layer_path

EXAMPLE = str(layer_path("incidents/algeria_mali.csv"))


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_geocode_json_contract() -> None:
    result = run("geocode", "Tin Zaouatine", "Tinzaouaten", "Bamako", "Alger", "Gao", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["query"] for r in rows] == ["Tin Zaouatine", "Tinzaouaten", "Bamako", "Alger",
                                          "Gao"]
    for r in rows:
        assert {"query", "name", "lat", "lon", "country_code", "geo_precision", "source"} <= set(r)
    assert rows[-1]["country_code"] == "ML"


def test_geocode_country_flag_and_unresolved_exit_1() -> None:
    bf = json.loads(run("geocode", "Gao", "--country", "BF", "--json").stdout)
    assert bf[0]["country_code"] == "BF"
    result = run("geocode", "Bamako", "Qwxzvbn", "--json")
    assert result.exit_code == 1
    miss = json.loads(result.stdout)[1]
    assert miss["lat"] is None and miss["lon"] is None and "Qwxzvbn" in miss["reason"]


def test_export_filters_by_dates(tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    result = run("export", EXAMPLE, "-o", str(out), "--from", "2025-01-01", "--to", "2025-01-31")
    assert result.exit_code == 0, result.output
    back = gpd.read_file(out)
    assert sorted(back["event_id_cnty"]) == ["GM-0009", "GM-0010", "GM-0011"]
    assert "11 rows read, 3 mapped, 8 filtered out, 0 unresolved" in result.stderr


def test_map_writes_html_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = run("map", EXAMPLE, "-o", str(out), "--country", "ML", "--type",
                 "Strategic developments", "--title", "Mali <b>only</b>")
    assert result.exit_code == 0, result.output
    assert out.exists() and "5 mapped" in result.stderr
    assert "Mali <b>only</b>" not in out.read_text(encoding="utf-8")


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    result = run("map", "missing.csv", "-o", str(tmp_path / "m.html"))
    assert result.exit_code != 0
    assert result.stderr.strip().count("\n") == 0
    assert "missing.csv" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_bad_date_names_file_and_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("event_date,location\n2024-01-01,Gao\n31/02/2024,Gao\n", encoding="utf-8")
    out = tmp_path / "bad.html"
    result = run("map", str(bad), "-o", str(out))
    assert result.exit_code != 0
    line = result.stderr.strip()
    assert "\n" not in line and "bad.csv" in line and "row 2" in line and "event_date" in line
    assert not out.exists()


def test_bad_flag_values() -> None:
    result = run("export", EXAMPLE, "-o", "x.geojson", "--from", "01-01-2025")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    result = run("export", EXAMPLE, "-o", "x.shp")
    assert result.exit_code == 2 and ".geojson" in result.stderr


def test_unresolved_rows_written_next_to_output(tmp_path: Path) -> None:
    src = tmp_path / "u.csv"
    src.write_text("event_date,location\n2024-01-01,Gao\n2024-01-02,Qwxzvbn\n", encoding="utf-8")
    out = tmp_path / "u.geojson"
    result = run("export", str(src), "-o", str(out))
    assert result.exit_code == 0
    report = tmp_path / "u.unresolved.csv"
    assert report.exists() and "Qwxzvbn" in report.read_text(encoding="utf-8")
    assert "1 unresolved" in result.stderr


def test_demo_writes_the_example_map(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "algeria_mali.html").exists()
