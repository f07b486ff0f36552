"""``geomap geocode``: names and CSV columns, through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import geomap.gazetteer.batch
from geomap.gazetteer.batch import GeocodedFile


def test_geocode_json_contract(run) -> None:
    result = run("geocode", "Tin Zaouatine", "Tinzaouaten", "Bamako", "Alger", "Gao", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["query"] for r in rows] == ["Tin Zaouatine", "Tinzaouaten", "Bamako", "Alger",
                                          "Gao"]
    for r in rows:
        assert {"query", "name", "lat", "lon", "country_code", "geo_precision", "source"} <= set(r)
    assert rows[-1]["country_code"] == "ML"


def test_geocode_country_flag_and_unresolved_exit_1(run) -> None:
    bf = json.loads(run("geocode", "Gao", "--country", "BF", "--json").stdout)
    assert bf[0]["country_code"] == "BF"
    result = run("geocode", "Bamako", "Qwxzvbn", "--json")
    assert result.exit_code == 1
    miss = json.loads(result.stdout)[1]
    assert miss["lat"] is None and miss["lon"] is None and "Qwxzvbn" in miss["reason"]


def test_geocode_text_lines(run) -> None:
    result = run("geocode", "Bamako", "Qwxzvbn")
    assert result.exit_code == 1
    found, missing = result.stdout.splitlines()
    assert found.startswith("Bamako\tBamako, ML\t") and "precision 1" in found
    assert missing.startswith("Qwxzvbn\tunresolved: ")


def test_geocode_needs_names_or_input(run) -> None:
    result = run("geocode")
    assert result.exit_code == 2 and "give place NAMES or --input FILE" in result.stderr


@pytest.fixture
def captured(monkeypatch) -> dict:
    """Stand in for geocode_file and keep what the command passed to it."""
    seen: dict = {}

    def fake(path, output, **kwargs):
        seen.update(path=path, output=output, **kwargs)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        columns = [kwargs["column"], kwargs["country_column"] or "country", "geocoded_name"]
        Path(output).write_text(",".join(columns) + "\nGao,ML,Gao\n", encoding="utf-8")
        return GeocodedFile(4, 1, 1, None)

    monkeypatch.setattr(geomap.gazetteer.batch, "geocode_file", fake)
    return seen


def test_geocode_input_passes_hints_and_choices_by_name(run, captured, tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    result = run("geocode", "--input", "in.csv", "--column", "place", "--country-column", "cc",
                 "--admin3-column", "commune", "--no-area-fallback", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert captured["column"] == "place"
    assert (captured["country_column"], captured["admin1_column"], captured["admin2_column"],
            captured["admin3_column"]) == ("cc", None, None, "commune")
    assert captured["coherence"] is True and captured["area_fallback"] is False
    assert captured["country"] is None
    assert result.stderr.strip() == (
        f"in.csv: 4 rows, 3 geocoded (1 at their commune's centre), 1 unresolved -> {out}")


def test_geocode_input_default_output(run, captured, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("geocode", "--input", "data/in.csv", "--country", "ML")
    assert result.exit_code == 0, result.output
    assert Path(captured["output"]).name == "in.geocoded.csv"
    assert captured["country"] == "ML" and captured["area_fallback"] is True
