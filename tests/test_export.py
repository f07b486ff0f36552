"""Exports read back as GIS users would read them."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geomap.errors import ExportError
from geomap.export import export_incidents
from geomap.pipeline import Filters, prepare
from geomap.resources import layer_path

EXAMPLE = layer_path("incidents/algeria_mali.csv")


@pytest.fixture(scope="module")
def incidents():
    return prepare(EXAMPLE).incidents


def test_geojson_is_rfc7946(tmp_path: Path, incidents) -> None:
    out = export_incidents(incidents, tmp_path / "x.geojson")
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
    out = export_incidents(incidents, tmp_path / "x.gpkg")
    back = gpd.read_file(out, layer="incidents")
    assert len(back) == 11
    assert set(back["location"]) == {"Algiers", "Bamako", "Tinzaouaten", "New York"}


def test_csv_has_latitude_longitude(tmp_path: Path, incidents) -> None:
    out = export_incidents(incidents, tmp_path / "x.csv")
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

    def boom(_):
        raise OSError("disk full")

    monkeypatch.setattr(ex, "to_geojson_dict", boom)
    target = tmp_path / "x.geojson"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ExportError, match="disk full"):
        export_incidents(incidents, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.geojson"]


def test_border_distances_are_land_borders() -> None:
    inc = prepare(EXAMPLE, Filters(countries=("DZ",))).incidents
    algiers = inc[inc["location"] == "Algiers"].iloc[0]
    assert 400 < algiers["border_distance_km"] < 520  # the coast is not a border
