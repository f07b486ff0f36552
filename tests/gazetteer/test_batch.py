"""Batch geocoding: a column of names with hint columns, each distinct name once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from geomap.cli import cli
from geomap.gazetteer.batch import RESULT_COLUMNS, geocode_series
from geomap.gazetteer.lookup import default_gazetteer


def test_series_with_hints_aligned_to_the_input() -> None:
    names = pd.Series(["Gao", "Bamkao", "Qwxzvbn", "Gao"], index=[10, 11, 12, 13])
    out = geocode_series(names, country=pd.Series(["BF", "Mali", "ML", None], index=names.index))
    assert list(out.index) == [10, 11, 12, 13]
    assert list(out["geocoded_country"].fillna("-")) == ["BF", "ML", "-", "ML"]
    assert out.loc[11, "geocoded_name"] == "Bamako"
    assert out.loc[11, "geocoded_method"] == "fuzzy"
    assert out.loc[12, "geocoded_method"].startswith("unresolved: no place named 'Qwxzvbn'")
    assert out.crs.to_epsg() == 4326 and out.geometry.iloc[2] is None


def test_each_distinct_name_is_looked_up_once(monkeypatch) -> None:
    gaz = default_gazetteer()
    calls = []
    original = type(gaz).lookup

    def counting(self, name, *args, **kw):
        calls.append(name)
        return original(self, name, *args, **kw)

    monkeypatch.setattr(type(gaz), "lookup", counting)
    geocode_series(pd.Series(["Gao", "Kidal"] * 500), gazetteer=gaz)
    assert sorted(calls) == ["Gao", "Kidal"]


def test_unknown_country_is_a_row_reason_not_a_crash() -> None:
    out = geocode_series(pd.Series(["Gao"]), country=pd.Series(["Atlantis"]))
    assert "unknown country 'Atlantis'" in out.loc[0, "geocoded_method"]


def test_cli_input_writes_rows_unchanged_plus_results(tmp_path: Path) -> None:
    src = tmp_path / "events.csv"
    src.write_text("id,location,country,admin1\n1,Gao,Burkina Faso,\n2,Tombuctou,Mali,\n"
                   "3,Qwxzvbn,Mali,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(cli, ["geocode", "--input", str(src), "--country-column",
                                      "country", "--admin1-column", "admin1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(table.columns) == ["id", "location", "country", "admin1", *RESULT_COLUMNS]
    assert list(table["id"]) == ["1", "2", "3"]
    assert table.loc[0, "geocoded_country"] == "BF"
    assert table.loc[1, "geocoded_name"] == "Timbuktu"
    assert table.loc[2, "geocoded_name"] == "" and "unresolved" in table.loc[2, "geocoded_method"]
    assert "3 rows, 2 geocoded, 1 unresolved" in result.stderr


def test_cli_input_bad_column_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "e.csv"
    src.write_text("place\nGao\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["geocode", "--input", str(src)])
    assert result.exit_code == 2
    assert "no column 'location'" in result.stderr and "place" in result.stderr


def test_cli_input_places_an_unknown_name_at_its_communes_centre(tmp_path: Path) -> None:
    src = tmp_path / "events.csv"
    src.write_text("id,location,country,admin3\n1,Vincennes,France,Est\n"
                   "2,Qwxzvbn,France,Est\n3,Qwxzvbn,France,Nowhere\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    args = ["geocode", "--input", str(src), "--country-column", "country",
            "--admin3-column", "admin3", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    # Vincennes (east of Paris) locates commune "Est": a dense area, so the unknown
    # name is placed there, marked as an area (precision 3), not as a town.
    assert list(table["geocoded_method"][:2]) == ["exact", "area"]
    assert table.loc[1, "geocoded_precision"] == "3"
    assert table.loc[1, "geocoded_name"] == "admin-3 area Est"
    assert table.loc[1, "geocoded_lat"] == table.loc[0, "geocoded_lat"]
    assert table.loc[2, "geocoded_method"].startswith("unresolved")  # no located neighbour
    assert "3 rows, 2 geocoded (1 at their commune's centre), 1 unresolved" in result.stderr
    strict = CliRunner().invoke(cli, [*args, "--no-area-fallback"])
    assert "3 rows, 1 geocoded, 2 unresolved" in strict.stderr


def test_map_summary_counts_rows_placed_at_their_communes_centre(tmp_path: Path) -> None:
    src = tmp_path / "events.csv"
    src.write_text("event_date,location,country,admin3,notes\n"
                   "2024-01-02,Vincennes,France,Est,a\n2024-01-03,Qwxzvbn,France,Est,b\n",
                   encoding="utf-8")
    out = tmp_path / "events.geojson"
    result = CliRunner().invoke(cli, ["export", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 mapped (1 at their commune's centre, precision 3)" in result.stderr
    import json

    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    area = next(f["properties"] for f in features if f["properties"]["location"] == "Qwxzvbn")
    assert area["geo_precision"] == 3 and area["geocode_method"] == "area"
    assert area["admin3"] == "Est" and area["geocoded_name"] == "admin-3 area Est"
