"""Loading: files and tables in, an incidents GeoDataFrame and the accounting out."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geomap.errors import InputFileError, RowError
from geomap.incidents import IncidentLoad, filter_incidents, load_incidents
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
    months = inc[inc["time_precision"] == 3]  # ACLED's code for a month
    assert len(months) == 4


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
    assert inc.loc[0, "time_precision"] == 3


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


# -- tables in memory --------------------------------------------------------------------
def test_a_table_loads_as_the_same_table_read_from_a_csv_file(tmp_path: Path) -> None:
    from_file = load_incidents(EXAMPLE)
    table = pd.read_csv(EXAMPLE)  # pandas' own dtypes: floats, NaN, strings
    assert (table.dtypes == "float64").any()
    from_table = load_incidents(table)
    pd.testing.assert_frame_equal(pd.DataFrame(from_table.incidents),
                                  pd.DataFrame(from_file.incidents))
    assert (from_table.rows_read, from_table.merged) == (from_file.rows_read, from_file.merged)
    assert from_table.path == "<table>" and from_file.path == str(EXAMPLE)
    assert from_table.incidents.crs == from_file.incidents.crs


def test_acled_time_precision_is_read_as_acled_means_it(tmp_path: Path) -> None:
    path = write(tmp_path, "acled.csv",
                 "event_id_cnty,event_date,time_precision,location,latitude,longitude\n"
                 "MLI1,14 August 2024,1,Gao,16.27,-0.04\n"
                 "MLI2,14 August 2024,2,Gao,16.27,-0.04\n"
                 "MLI3,14 August 2024,3,Gao,16.27,-0.04\n"
                 "MLI4,2024,,Gao,16.27,-0.04\n")
    inc = load_incidents(path).incidents
    assert inc["time_precision"].tolist() == [1, 2, 3, 4]  # as given; computed when absent
    assert inc["event_date"].dt.strftime("%Y-%m-%d").tolist()[:3] == ["2024-08-14"] * 3
    # a filter of 16-20 August meets the week (11-17 August) and the month, not the day
    kept = filter_incidents(inc, start="2024-08-16", end="2024-08-20")
    assert kept["event_id_cnty"].tolist() == ["MLI2", "MLI3", "MLI4"]


def test_rows_sharing_an_id_merge_only_when_they_are_the_same_event(tmp_path: Path) -> None:
    path = write(tmp_path, "ids.csv",
                 "event_id_cnty,event_date,actor1,location,latitude,longitude,fatalities\n"
                 "MLI9,14 August 2024,JNIM,Gao,16.27,-0.04,3\n"
                 "MLI9,14 August 2024,Military Forces of Mali,Gao,16.27,-0.04,3\n"
                 "MLI9,14 August 2024,JNIM,Kidal,18.44,1.41,40\n"
                 "MLI9,15 August 2024,Wagner Group,Bamako,12.65,-8.0,100\n")
    load = load_incidents(path)
    assert (load.rows_read, load.merged, load.conflicts, len(load.incidents)) == (4, 1, 3, 3)
    assert load.incidents["location"].tolist() == ["Gao", "Kidal", "Bamako"]
    assert load.incidents["fatalities"].sum() == 143
    assert load.rows_read == len(load.incidents) + len(load.unresolved) + load.merged


def test_a_table_with_unresolved_and_monadic_rows_is_accounted_for() -> None:
    table = pd.DataFrame({
        "event_id_cnty": ["E1", "E1", "E2"], "event_date": ["2024-08-25"] * 3,
        "actor1": ["JNIM", "Military", "x"], "location": ["Kidal", "Kidal", "Qwxzvbn"],
        "country": ["Mali"] * 3, "fatalities": [3, 3, None],
    })
    load = load_incidents(table, name="events")
    assert isinstance(load, IncidentLoad) and load.path == "events"
    assert (load.rows_read, load.merged, len(load.incidents)) == (3, 1, 1)
    assert load.incidents.loc[0, "actor2"] == "Military"
    assert load.incidents.loc[0, "fatalities"] == 3
    assert load.unresolved["row"].tolist() == [3]


@pytest.mark.parametrize(
    ("column", "value", "pattern"),
    [
        ("latitude", 95.0, "'95.0' is outside"),
        ("event_date", "yesterday", "accepted forms"),
        ("fatalities", 2.5, "not a whole number"),
    ],
)
def test_a_bad_value_in_a_table_names_row_and_column(column, value, pattern) -> None:
    table = pd.DataFrame({"event_date": ["2024-01-01", "2024-01-02"],
                          "location": ["Gao", "Kidal"], "latitude": [16.3, 18.4],
                          "longitude": [0.0, 1.4], "fatalities": [0, 1]})
    table[column] = table[column].astype(object)
    table.loc[1, column] = value
    with pytest.raises(RowError, match=pattern) as info:
        load_incidents(table)
    assert (info.value.row, info.value.column) == (2, column)
    assert str(info.value).startswith(f"<table>: row 2, column {column!r}: ")
    with pytest.raises(RowError, match=r"^events: row 2"):
        load_incidents(table, name="events")


def test_loaded_incidents_load_again_once_their_row_numbers_are_dropped() -> None:
    first = load_incidents(EXAMPLE).incidents
    again = load_incidents(first.drop(columns="row")).incidents
    assert again["row"].tolist() == first["row"].tolist()
    assert (again["latitude"] == first["latitude"]).all()
    assert again["event_date"].tolist() == first["event_date"].tolist()


def test_filter_is_part_of_the_package_api() -> None:
    inc = load_incidents(EXAMPLE).incidents
    assert len(filter_incidents(inc, countries=["DZ"])) < len(inc)
