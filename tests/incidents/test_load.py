"""Reading incidents: formats, validation errors naming file/row/column, accounting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geomap.errors import InputFileError, RowError
from geomap.incidents.load import filter_incidents, load_incidents
from geomap.resources import layer_path

EXAMPLE = layer_path("incidents/algeria_mali.csv")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_example_is_placed_by_the_gazetteer() -> None:
    load = load_incidents(EXAMPLE)
    assert load.rows_read == 11 and len(load.incidents) == 11 and load.unresolved.empty
    inc = load.incidents
    assert inc.crs.to_epsg() == 4326
    assert set(inc["country_code"]) == {"DZ", "ML", "US"}
    strike = inc[inc["event_id_cnty"] == "GM-0006"].iloc[0]
    assert strike["geocoded_name"] == "Ti-n-Zaouâtene"
    assert strike["fatalities"] == 20
    months = inc[inc["time_precision"] == 2]
    assert len(months) == 4


def test_rows_with_coordinates_keep_them(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "event_date,location,latitude,longitude\n"
                 "2024-01-02,Bamako,12.5,-8.1\n")
    inc = load_incidents(path).incidents
    assert (inc.loc[0, "latitude"], inc.loc[0, "longitude"]) == (12.5, -8.1)
    assert inc.loc[0, "geocode_method"] == "given"


def test_unresolved_rows_are_reported_not_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "event_date,location,country\n"
                 "2024-01-02,Bamako,Mali\n2024-01-03,Qwxzvbn,Mali\n2024-01-04,,Mali\n")
    load = load_incidents(path)
    assert len(load.incidents) == 1
    assert list(load.unresolved["row"]) == [2, 3]
    assert "Qwxzvbn" in load.unresolved.loc[0, "reason"]
    assert "no location" in load.unresolved.loc[1, "reason"]


def test_country_column_disambiguates(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "event_date,location,country\n"
                 "2024-01-02,Gao,Burkina Faso\n2024-01-02,Gao,Mali\n")
    inc = load_incidents(path).incidents
    assert list(inc["country_code"]) == ["BF", "ML"]


def test_data_about_one_country_is_a_prior(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "event_date,location,country\n"
                 "2024-01-02,Ouagadougou,Burkina Faso\n2024-01-03,Bobo-Dioulasso,Burkina Faso\n"
                 "2024-01-04,Gao,\n")
    inc = load_incidents(path).incidents
    assert inc.loc[2, "country_code"] == "BF"


def test_json_and_geojson(tmp_path: Path) -> None:
    records = [{"event_date": "2024-08-25", "location": "Kidal", "notes": "x"}]
    j = write(tmp_path, "r.json", json.dumps({"data": records}))
    assert load_incidents(j).incidents.loc[0, "country_code"] == "ML"
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.4, 18.4]},
         "properties": {"event_date": "2024-08", "location": "Kidal"}}]}
    g = write(tmp_path, "r.geojson", json.dumps(fc))
    inc = load_incidents(g).incidents
    assert (inc.loc[0, "longitude"], inc.loc[0, "latitude"]) == (1.4, 18.4)
    assert inc.loc[0, "time_precision"] == 2


def test_acled_monadic_rows_fold_into_one_event(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv",
                 "event_id_cnty,event_date,actor1,location,latitude,longitude\n"
                 "MLI1,25 August 2024,Military Forces of Mali,Kidal,18.4,1.4\n"
                 "MLI1,25 August 2024,JNIM,Kidal,18.4,1.4\n"
                 "MLI2,26 August 2024,Civilians (Mali),Gao,16.3,0.0\n")
    load = load_incidents(path)
    assert load.rows_read == 3 and load.merged == 1 and len(load.incidents) == 2
    first = load.incidents.iloc[0]
    assert (first["actor1"], first["actor2"]) == ("Military Forces of Mali", "JNIM")


def test_missing_file() -> None:
    with pytest.raises(InputFileError, match="missing.csv: no such file"):
        load_incidents("missing.csv")


def test_missing_required_column(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "when,location\n2024-01-01,Gao\n")
    with pytest.raises(InputFileError, match="m.csv.*'event_date'.*found: 'when'"):
        load_incidents(path)


@pytest.mark.parametrize(
    ("row", "column", "pattern"),
    [
        ("yesterday,Gao,,", "event_date", "accepted forms"),
        ("2024-01-01,Gao,95,1", "latitude", "outside"),
        ("2024-01-01,Gao,abc,1", "latitude", "not a number"),
        ("2024-01-01,Gao,16,", "longitude", "give both"),
    ],
)
def test_bad_values_name_file_row_and_column(tmp_path, row, column, pattern) -> None:
    path = write(tmp_path, "bad.csv",
                 f"event_date,location,latitude,longitude\n2024-01-01,Gao,,\n{row}\n")
    with pytest.raises(RowError, match=pattern) as info:
        load_incidents(path)
    assert (info.value.row, info.value.column) == (2, column)
    assert str(path) in str(info.value)


def test_filter_by_day_range_month_overlap_country_type() -> None:
    inc = load_incidents(EXAMPLE).incidents
    jan25 = filter_incidents(inc, start="2025-01-01", end="2025-01-31")
    assert sorted(jan25["event_id_cnty"]) == ["GM-0009", "GM-0010", "GM-0011"]
    # A month-precision event covers its month: it meets any day of it.
    mid_dec = filter_incidents(inc, start="2023-12-15", end="2023-12-15")
    assert sorted(mid_dec["event_id_cnty"]) == ["GM-0002", "GM-0003"]
    assert set(filter_incidents(inc, countries=["DZ"])["country_code"]) == {"DZ"}
    strikes = filter_incidents(inc, event_types=["explosions/remote violence"])
    assert list(strikes["event_id_cnty"]) == ["GM-0006"]
