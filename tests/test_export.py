"""Exports read back as GIS users would read them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geomap.errors import ExportError, GeomapError
from geomap.export import EXPORT_ROW_COLUMN, export_columns, export_incidents
from geomap.pipeline import Filters, prepare
from geomap.resources import layer_path

EXAMPLE = layer_path("incidents/algeria_mali.csv")


@pytest.fixture(scope="module")
def incidents():
    return prepare(EXAMPLE).incidents


def test_geojson_is_rfc7946(tmp_path: Path, incidents) -> None:
    out = export_incidents(incidents, tmp_path / "x.geojson").path
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == 11
    first = doc["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert (round(lat), round(lon)) == (37, 3)  # Algiers: lon/lat order
    assert first["properties"]["event_date"] == "2015-06-15"
    assert first["properties"]["fatalities"] is None
    back = gpd.read_file(out)
    assert len(back) == 11 and back.crs.to_epsg() == 4326
    assert back["border_distance_km"].notna().all()


def test_gpkg_reads_back(tmp_path: Path, incidents) -> None:
    out = export_incidents(incidents, tmp_path / "x.gpkg").path
    back = gpd.read_file(out, layer="incidents")
    assert len(back) == 11
    assert set(back["location"]) == {"Algiers", "Bamako", "Tinzaouaten", "New York"}


def test_csv_has_latitude_longitude(tmp_path: Path, incidents) -> None:
    out = export_incidents(incidents, tmp_path / "x.csv").path
    back = pd.read_csv(out)
    assert {"latitude", "longitude", "event_date"} <= set(back.columns)
    assert "geometry" not in back.columns
    assert back.loc[back["location"] == "Bamako", "latitude"].round().eq(13).all()


def test_unknown_format_writes_nothing(tmp_path: Path, incidents) -> None:
    with pytest.raises(ExportError, match=r"\.geojson"):
        export_incidents(incidents, tmp_path / "x.shp")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_file(tmp_path: Path, incidents, monkeypatch) -> None:
    import geomap.export as ex

    def boom(frame, tmp, raw_csv):
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setitem(ex._WRITERS, "geojson", boom)
    target = tmp_path / "x.geojson"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(GeomapError, match="disk full"):  # ExportError or atomic's WriteError
        export_incidents(incidents, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.geojson"]


def test_border_distances_are_land_borders() -> None:
    inc = prepare(EXAMPLE, Filters(countries=("DZ",))).incidents
    algiers = inc[inc["location"] == "Algiers"].iloc[0]
    assert 400 < algiers["border_distance_km"] < 520  # the coast is not a border


# -- every input column, every format ------------------------------------------------------
ACLED_2024 = Path(__file__).parent / "fixtures" / "acled_2024.csv"
FORMATS = ["geojson", "gpkg", "csv", "parquet", "fgb"]


def _read_back(path: Path) -> pd.DataFrame:
    """An export as a GIS user opens it (columns in the file's order, no geometry)."""
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    back = gpd.read_parquet(path) if path.suffix == ".parquet" else gpd.read_file(path)
    return pd.DataFrame(back.drop(columns="geometry"))


def _text(value: object) -> str:
    """A cell as the input would write it: ISO days, whole numbers without ``.0``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if value != value else str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value.item() if hasattr(value, "item") else value)


@pytest.fixture(scope="module")
def acled_2024():
    return prepare(ACLED_2024).incidents


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_input_column_survives_in_order_with_its_values(tmp_path: Path, acled_2024,
                                                               suffix: str) -> None:
    given = pd.read_csv(ACLED_2024, dtype=str, keep_default_na=False)
    assert len(given.columns) == 31 and len(acled_2024) == len(given)
    done = export_incidents(acled_2024, tmp_path / f"acled.{suffix}")
    assert (done.rows, done.nul_stripped) == (5, 0)
    back = _read_back(done.path)
    added = [EXPORT_ROW_COLUMN if c == "row" else c for c in export_columns(acled_2024)
             if c not in given.columns]
    assert list(back.columns) == [*given.columns, *added]
    assert added[-1] == EXPORT_ROW_COLUMN and {"date_end", "country_code", "geocode_method",
                                               "border_distance_km"} <= set(added)
    back = back.sort_values(EXPORT_ROW_COLUMN).reset_index(drop=True)  # FlatGeobuf: spatial
    for column in given.columns:
        assert [_text(v) for v in back[column]] == given[column].tolist(), column
    day = given["time_precision"].eq("1").to_numpy()  # a day's event ends that day
    assert [_text(v) for v in back.loc[day, "date_end"]] == given.loc[day, "event_date"].tolist()


def test_gpkg_dates_are_date_fields(tmp_path: Path, acled_2024) -> None:
    import pyogrio

    info = pyogrio.read_info(export_incidents(acled_2024, tmp_path / "x.gpkg").path)
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["event_date"] == types["date_end"] == "OFTDate"
    assert types["fatalities"] == types["input_row"] == "OFTInteger64"
    assert types["iso"] == types["timestamp"] == "OFTString"  # input text stays text


def test_geoparquet_is_version_1_1_with_a_bbox_covering(tmp_path: Path, acled_2024) -> None:
    import pyarrow.parquet as pq

    out = export_incidents(acled_2024, tmp_path / "x.geoparquet").path
    geo = json.loads(pq.read_schema(out).metadata[b"geo"])
    assert geo["version"] == "1.1.0"
    assert geo["columns"]["geometry"]["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    assert str(pq.read_schema(out).field("event_date").type) == "date32[day]"
    back = gpd.read_parquet(out)
    assert back.crs.to_epsg() == 4326 and len(back) == 5


def test_the_stripped_acled_layout_keeps_its_eleven_extra_columns(tmp_path: Path) -> None:
    stripped = Path(__file__).parent / "fixtures" / "acled_stripped.csv"
    given = pd.read_csv(stripped, dtype=str, keep_default_na=False)
    inc = prepare(stripped).incidents
    back = pd.read_csv(export_incidents(inc, tmp_path / "s.csv").path, dtype=str,
                       keep_default_na=False)
    assert list(back.columns[: len(given.columns)]) == list(given.columns)
    kept = given.set_index("event_id_cnty").loc[back["event_id_cnty"]]
    for column in ("assoc_actor_1", "inter1", "interaction", "region", "source_scale",
                   "timestamp", "year", "data_id", "event_id_no_cnty", "iso", "iso3"):
        assert back[column].tolist() == kept[column].tolist(), column


# -- NUL bytes and formulas ----------------------------------------------------------------
HOSTILE = pd.DataFrame({
    "event_date": ["2024-08-25", "2024-08-26", "2024-08-27"],
    "location": ["Kidal", "Gao", "Bamako"],
    "latitude": [18.44, 16.27, 12.64],
    "longitude": [1.41, -0.04, -8.0],
    "notes": ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)"],
    "actor1": ["-2+3", "-", "@"],
    "control": ["\tTAB", "\rCR", " =1"],  # not a schema column: not stripped
    "offset": ["-3.5", "+12", "-1e-3"],  # plain numbers, in a text column
    "tags": ["a\x00b", "\x00\x00", "clean"],
})


@pytest.fixture(scope="module")
def hostile():
    from geomap.incidents import load_incidents

    return load_incidents(HOSTILE, name="hostile").incidents


@pytest.mark.parametrize("suffix", FORMATS)
def test_nul_bytes_are_stripped_and_counted_in_every_format(tmp_path: Path, hostile,
                                                            suffix: str) -> None:
    done = export_incidents(hostile, tmp_path / f"h.{suffix}")
    assert done.nul_stripped == 3
    back = _read_back(done.path).sort_values(EXPORT_ROW_COLUMN)
    assert back["tags"].tolist() == ["ab", "", "clean"]


def test_csv_formulas_are_neutralised_and_numbers_kept(tmp_path: Path, hostile) -> None:
    out = export_incidents(hostile, tmp_path / "h.csv").path
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert back["notes"].tolist() == ["'=HYPERLINK(\"http://evil\",\"x\")",
                                      "'+cmd|' /C calc'!A0", "'@SUM(1+1)"]
    assert back["actor1"].tolist() == ["'-2+3", "'-", "'@"]
    assert back["control"].tolist() == ["'\tTAB", "'\rCR", " =1"]
    assert back["offset"].tolist() == ["-3.5", "+12", "-1e-3"]
    assert back["longitude"].tolist() == ["1.41", "-0.04", "-8.0"]


def test_raw_csv_keeps_the_cells_as_they_are(tmp_path: Path, hostile) -> None:
    out = export_incidents(hostile, tmp_path / "h.csv", raw_csv=True).path
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert back["notes"].tolist() == HOSTILE["notes"].tolist()
    assert back["actor1"].tolist() == ["-2+3", "-", "@"]
    assert back["control"].tolist() == HOSTILE["control"].tolist()


def test_other_formats_keep_formulas_as_text(tmp_path: Path, hostile) -> None:
    back = _read_back(export_incidents(hostile, tmp_path / "h.gpkg").path)
    assert back["notes"].tolist() == HOSTILE["notes"].tolist()


# -- awkward names -------------------------------------------------------------------------
def test_an_export_read_again_exports_the_same_columns(tmp_path: Path, acled_2024) -> None:
    first = export_incidents(acled_2024, tmp_path / "first.csv").path
    again = export_incidents(prepare(first).incidents, tmp_path / "again.csv").path
    a, b = _read_back(first), _read_back(again)
    assert list(b.columns) == list(a.columns)
    assert b[EXPORT_ROW_COLUMN].tolist() == ["1", "2", "3", "4", "5"]
    assert b.drop(columns="geocode_score").equals(a.drop(columns="geocode_score"))


def test_a_fid_column_is_kept_in_a_geopackage(tmp_path: Path) -> None:
    from geomap.incidents import load_incidents

    table = pd.DataFrame({"event_date": ["2024-08-25"], "location": ["Gao"],
                          "latitude": [16.27], "longitude": [-0.04], "FID": ["a-1"]})
    out = export_incidents(load_incidents(table).incidents, tmp_path / "f.gpkg").path
    assert gpd.read_file(out)["fid"].tolist() == ["a-1"]


def test_a_bbox_column_cannot_go_to_geoparquet(tmp_path: Path) -> None:
    from geomap.incidents import load_incidents

    table = pd.DataFrame({"event_date": ["2024-08-25"], "location": ["Gao"],
                          "latitude": [16.27], "longitude": [-0.04], "bbox": ["x"]})
    with pytest.raises(ExportError, match="column 'bbox'.*rename it"):
        export_incidents(load_incidents(table).incidents, tmp_path / "b.parquet")
    assert list(tmp_path.iterdir()) == []
