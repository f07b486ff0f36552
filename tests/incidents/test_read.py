"""Reading: every source (CSV, JSON, GeoJSON, a DataFrame) -> the same table of strings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from geomap.errors import InputFileError, RowError
from geomap.incidents.read import TABLE_NAME, as_strings, read_records, source_name


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_is_read_as_strings_with_schema_names_and_row_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "Date;Lat;Lon;Place\n2024-01-02;12,5;-8.1;Bamako\n"
                 "2024-01-03;;;Gao\n")
    frame = read_records(path)
    assert list(frame.columns) == ["row", "event_date", "latitude", "longitude", "location"]
    assert frame.to_dict("list") == {
        "row": [1, 2], "event_date": ["2024-01-02", "2024-01-03"],
        "latitude": ["12,5", ""], "longitude": ["-8.1", ""], "location": ["Bamako", "Gao"],
    }


def test_json_records_and_acled_api_envelope(tmp_path: Path) -> None:
    records = [{"event_date": "2024-08-25", "location": "Kidal", "fatalities": 3},
               {"event_date": "2024-08-26", "location": "Gao", "fatalities": None}]
    for doc in (records, {"data": records}):
        frame = read_records(write(tmp_path, "r.json", json.dumps(doc)))
        assert frame["fatalities"].tolist() == ["3.0", ""]
        assert frame["row"].tolist() == [1, 2]


def test_geojson_points_become_longitude_latitude(tmp_path: Path) -> None:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.4, 18.4]},
         "properties": {"event_date": "2024-08", "location": "Kidal"}},
        {"type": "Feature", "geometry": None, "properties": {"event_date": "2024"}}]}
    frame = read_records(write(tmp_path, "r.geojson", json.dumps(fc)))
    assert frame[["longitude", "latitude"]].to_dict("list") == {"longitude": ["1.4", ""],
                                                                 "latitude": ["18.4", ""]}


@pytest.mark.parametrize(
    ("name", "text", "pattern"),
    [
        ("e.csv", "", "the file is empty"),
        ("x.xlsx", "x", "unknown input format '.xlsx'"),
        ("b.json", "{", "not valid JSON"),
        ("n.json", '{"a": 1}', "expected a JSON list of records"),
        ("l.geojson", "[]", "expected a GeoJSON FeatureCollection"),
    ],
)
def test_unreadable_files_name_the_file(tmp_path: Path, name: str, text: str,
                                        pattern: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(InputFileError, match=pattern) as info:
        read_records(path)
    assert str(info.value).startswith(str(path))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("event_date,location\n2024-01-01,Ségou\n".encode("latin-1"))
    with pytest.raises(InputFileError, match="not UTF-8"):
        read_records(path)


def test_missing_file() -> None:
    with pytest.raises(InputFileError, match="missing.csv: no such file"):
        read_records("missing.csv")


def test_non_point_geometry_names_row(tmp_path: Path) -> None:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {}}]}
    with pytest.raises(RowError, match="row 1, column 'geometry': a LineString"):
        read_records(write(tmp_path, "l.geojson", json.dumps(fc)))


# -- tables in memory --------------------------------------------------------------------
def test_a_table_of_any_dtypes_reads_as_the_readers_would_write_it() -> None:
    table = pd.DataFrame({
        "Event Date": pd.to_datetime(["2024-08-25", None]),
        "latitude": [16.27, None],
        "fatalities": pd.array([3, None], dtype="Int64"),
        "when": [dt.date(2024, 1, 2), None],
        "flag": [True, False],
        "notes": ["a", None],
    })
    frame = read_records(table)
    assert frame.to_dict("list") == {
        "row": [1, 2], "event_date": ["2024-08-25", ""], "latitude": ["16.27", ""],
        "fatalities": ["3", ""], "when": ["2024-01-02", ""], "flag": ["True", "False"],
        "notes": ["a", ""],
    }
    assert list(table.columns)[0] == "Event Date"  # the caller's table is not changed


def test_times_keep_their_time_and_days_are_days() -> None:
    table = pd.DataFrame({"event_date": pd.to_datetime(["2024-08-25 13:30", "2024-08-26 00:00"])})
    assert read_records(table)["event_date"].tolist() == ["2024-08-25T13:30:00",
                                                          "2024-08-26T00:00:00"]
    assert as_strings(pd.DataFrame({"d": [dt.datetime(2024, 8, 25, 0, 0)]}))["d"][0] \
        == "2024-08-25"


def test_a_table_keeps_its_order_not_its_index() -> None:
    table = pd.DataFrame({"event_date": ["2024-01-01", "2024-01-02"]}, index=[7, 3])
    frame = read_records(table)
    assert frame["row"].tolist() == [1, 2] and list(frame.index) == [0, 1]


def test_geodataframe_points_become_wgs84_longitude_latitude() -> None:
    gdf = gpd.GeoDataFrame({"event_date": ["2024-01-01", "2024-01-02"]},
                           geometry=[Point(1.5, 18.25), None], crs="EPSG:4326")
    frame = read_records(gdf)
    assert "geometry" not in frame.columns
    assert frame[["longitude", "latitude"]].to_dict("list") == {"longitude": ["1.5", ""],
                                                                 "latitude": ["18.25", ""]}
    metres = gdf.to_crs("EPSG:3857")
    back = read_records(metres)
    assert float(back.loc[0, "longitude"]) == pytest.approx(1.5)
    assert float(back.loc[0, "latitude"]) == pytest.approx(18.25)


def test_geodataframe_lines_are_refused_with_the_row() -> None:
    gdf = gpd.GeoDataFrame({"event_date": ["2024-01-01", "2024-01-02"]},
                           geometry=[Point(0, 0), LineString([(0, 0), (1, 1)])])
    with pytest.raises(RowError, match=r"^trips: row 2, column 'geometry': a LineString"):
        read_records(gdf, name="trips")


def test_a_row_column_of_the_input_is_refused() -> None:
    with pytest.raises(InputFileError, match=r"<table>: has a column 'row'"):
        read_records(pd.DataFrame({"Row": [1], "event_date": ["2024-01-01"]}))


def test_source_names() -> None:
    assert source_name(pd.DataFrame()) == TABLE_NAME == "<table>"
    assert source_name(Path("a") / "b.csv") == str(Path("a") / "b.csv")
    assert source_name(pd.DataFrame(), "events") == "events"
