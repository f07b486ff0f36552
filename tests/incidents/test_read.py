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
from geomap.incidents.csvtext import sniff_delimiter
from geomap.incidents.read import (
    TABLE_NAME,
    as_strings,
    read_records,
    read_table,
    source_name,
)


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
        ("x.xls", "x", "unknown input format '.xls'; use .csv, .geojson"),
        ("x.xlsx", "not a zip", "not a readable .xlsx workbook"),
        ("x.parquet", "not parquet", "not a readable Parquet file"),
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
    with pytest.raises(RowError, match="row 1, column 'location': not UTF-8 text") as info:
        read_records(path)
    assert (info.value.row, info.value.column) == (1, "location")


def test_json_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes('[{"event_date": "2024-01-01",\n "location": "S\u00e9gou"}]'.encode("latin-1"))
    with pytest.raises(InputFileError, match=r"latin.json: line 2: not UTF-8 text \(byte 0xe9\)"):
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


# -- CSV: delimiters, encodings, quotes, rows named (geomap.incidents.csvtext) ------------
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_delimiter_is_found_in_the_header(tmp_path: Path, delimiter: str) -> None:
    header = delimiter.join(["event_date", "location", "notes"])
    row = delimiter.join(["2024-01-01", "Gao", '"a, b; c | d"'])
    frame = read_records(write(tmp_path, "d.csv", f"{header}\n{row}\n"))
    assert frame.to_dict("list") == {"row": [1], "event_date": ["2024-01-01"],
                                     "location": ["Gao"], "notes": ["a, b; c | d"]}


@pytest.mark.parametrize(("header", "expected"), [
    ("location", ","),  # one column: never split on a letter
    ("reference", ","),
    ("a;b;c,d", ";"),
    ('"date, time"\tplace', "\t"),
    ("a,b;c", ","),  # a tie goes to the comma
])
def test_sniff_delimiter(header: str, expected: str) -> None:
    assert sniff_delimiter(header) == expected


def test_one_column_file_keeps_its_values(tmp_path: Path) -> None:
    frame = read_table(write(tmp_path, "one.csv", "location\nTessalit\nM\u00e9naka\n"))
    assert frame.to_dict("list") == {"location": ["Tessalit", "M\u00e9naka"]}


def test_utf16_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes("event_date\tlocation\n2024-01-01\tS\u00e9gou\n".encode("utf-16"))
    assert read_records(path)["location"].tolist() == ["S\u00e9gou"]


def test_utf16_without_byte_order_mark_is_named(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes("event_date,location\n2024-01-01,Gao\n".encode("utf-16-le"))
    with pytest.raises(InputFileError, match="u.csv: row 0: the header holds NUL bytes"):
        read_records(path)


def test_bad_byte_in_a_later_row_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b'event_date,location,notes\n2024-01-01,Gao,"two\nlines"\n'
                     b"2024-01-02,Kidal,caf\xe9\n")
    with pytest.raises(RowError) as info:
        read_records(path)
    assert (info.value.row, info.value.column) == (2, "notes")
    assert "not UTF-8 text (byte 0xe9)" in info.value.message


def test_an_open_quote_names_its_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "q.csv", 'event_date,location,notes\n2024-01-01,Gao,ok\n'
                 '2024-01-02,Kidal,"never closed\n2024-01-03,Gao,x\n')
    with pytest.raises(RowError, match="a quoted value never ends") as info:
        read_records(path)
    assert (info.value.row, info.value.column) == (2, "notes")


def test_too_many_values_name_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "w.csv", 'event_date,location\n"2024-01-01","Gao"\n'
                 '2024-01-02,Kidal,extra\n')
    with pytest.raises(InputFileError, match="w.csv: row 2: 3 values where the header has 2"):
        read_records(path)


def test_short_rows_are_padded_and_fields_may_be_huge(tmp_path: Path) -> None:
    notes = "n" * 300_000  # past the csv module's default limit of 131,072 characters
    frame = read_records(write(tmp_path, "h.csv", "event_date,location,notes\n"
                               f"2024-01-01,Gao,{notes}\n2024-01-02,Kidal\n"))
    assert frame["notes"].str.len().tolist() == [300_000, 0]


def test_read_table_keeps_the_files_column_names(tmp_path: Path) -> None:
    frame = read_table(write(tmp_path, "t.csv", "Date;Lat;Place\n2024-01-02;12,5;Gao\n"))
    assert frame.to_dict("list") == {"Date": ["2024-01-02"], "Lat": ["12,5"],
                                     "Place": ["Gao"]}


@pytest.mark.parametrize(("header", "pair"), [
    ("date,event_date,location", "'date' and 'event_date' both mean 'event_date'"),
    ("Lat,latitude,lon,location,event_date", "'Lat' and 'latitude' both mean 'latitude'"),
])
def test_columns_that_mean_the_same_are_refused(tmp_path: Path, header: str,
                                                pair: str) -> None:
    values = ",".join("1" for _ in header.split(","))
    with pytest.raises(InputFileError, match=f"the columns {pair}; rename or drop one"):
        read_records(write(tmp_path, "c.csv", f"{header}\n{values}\n"))
    with pytest.raises(InputFileError, match="both mean"):
        read_records(pd.DataFrame({c: ["1"] for c in header.split(",")}))


# -- GeoJSON that is not what it says ------------------------------------------------------
@pytest.mark.parametrize(("features", "pattern"), [
    ("nope", "'features' is a string; a FeatureCollection's features are a list"),
    ([{"type": "Feature", "geometry": "POINT (1 2)", "properties": {}}],
     "row 1, column 'geometry': a string; a geometry is a JSON object"),
    ([{"type": "Feature", "geometry": {"type": "Point", "coordinates": [5]}, "properties": {}}],
     r"row 1, column 'geometry': Point coordinates \[5\]; expected \[longitude, latitude\]"),
    ([{"type": "Feature", "geometry": {"type": "Point", "coordinates": ["1", "2"]},
       "properties": {}}], "row 1, column 'geometry': Point coordinates"),
    ([{"type": "Feature", "geometry": None, "properties": ["a"]}],
     "row 1, column 'properties': a list; properties are a JSON object"),
    ([{"type": "Feature", "geometry": None, "properties": {}}, 7],
     "row 2, column 'feature': a number; a feature is a JSON object"),
])
def test_malformed_features_name_their_row(tmp_path: Path, features: object,
                                           pattern: str) -> None:
    fc = {"type": "FeatureCollection", "features": features}
    for name in ("f.geojson", "f.json"):
        with pytest.raises((InputFileError, RowError), match=pattern):
            read_records(write(tmp_path, name, json.dumps(fc)))


def test_empty_points_and_null_properties_are_kept(tmp_path: Path) -> None:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": []},
         "properties": {"location": "Gao"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2, 300]},
         "properties": None}]}
    frame = read_records(write(tmp_path, "e.geojson", json.dumps(fc)))
    assert frame.to_dict("list") == {"row": [1, 2], "location": ["Gao", ""],
                                     "longitude": ["", "1.0"], "latitude": ["", "2.0"]}


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


# -- Excel and (Geo)Parquet: typed cells read as the CSV's text -----------------------------
ACLED_2024 = Path(__file__).parents[1] / "fixtures" / "acled_2024.csv"


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """The fixture as a spreadsheet or a Parquet writer would type it."""
    typed = table.copy()
    typed["event_date"] = pd.to_datetime(typed["event_date"])
    for column in ("latitude", "longitude"):
        typed[column] = typed[column].astype(float)
    for column in ("fatalities", "geo_precision", "time_precision", "timestamp"):
        typed[column] = pd.to_numeric(typed[column]).astype("Int64")
    return typed


@pytest.fixture(scope="module")
def acled_csv() -> pd.DataFrame:
    return read_records(ACLED_2024)


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_xlsx_and_parquet_read_like_the_csv(tmp_path: Path, acled_csv: pd.DataFrame,
                                            suffix: str) -> None:
    typed = _typed(pd.read_csv(ACLED_2024, dtype=str, keep_default_na=False))
    path = tmp_path / f"acled{suffix}"
    if suffix == ".xlsx":
        typed.to_excel(path, index=False)
    else:
        typed.to_parquet(path, index=False)
    frame = read_records(path)
    assert list(frame.columns) == list(acled_csv.columns)
    assert frame.to_dict("list") == acled_csv.to_dict("list")


def test_geoparquet_points_give_latitude_longitude_when_absent(tmp_path: Path,
                                                               acled_csv: pd.DataFrame) -> None:
    typed = _typed(pd.read_csv(ACLED_2024, dtype=str, keep_default_na=False))
    points = gpd.points_from_xy(typed["longitude"], typed["latitude"], crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(typed.drop(columns=["latitude", "longitude"]), geometry=points)
    gdf.to_parquet(tmp_path / "g.geoparquet")
    frame = read_records(tmp_path / "g.geoparquet")
    assert list(frame.columns[-2:]) == ["longitude", "latitude"]
    assert frame[list(acled_csv.columns)].to_dict("list") == acled_csv.to_dict("list")


def test_geoparquet_with_coordinate_columns_keeps_them(tmp_path: Path,
                                                       acled_csv: pd.DataFrame) -> None:
    typed = _typed(pd.read_csv(ACLED_2024, dtype=str, keep_default_na=False))
    points = gpd.points_from_xy(typed["longitude"] + 1, typed["latitude"], crs="EPSG:4326")
    gpd.GeoDataFrame(typed, geometry=points).to_parquet(tmp_path / "g.parquet")
    frame = read_records(tmp_path / "g.parquet")
    assert frame.to_dict("list") == acled_csv.to_dict("list")
