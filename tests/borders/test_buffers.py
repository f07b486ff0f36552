"""Tests for geomap.borders.buffers: buffers in kilometres, never in degrees."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import CRS, Transformer

from geomap.borders.buffers import buffer_km, local_equidistant
from geomap.errors import BorderError

# ------------------------------------------------------------------ buffers


def _area_km2(geom: shapely.Geometry, lon: float, lat: float) -> float:
    laea = CRS.from_proj4(f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    fwd = Transformer.from_crs(4326, laea, always_xy=True)
    local = shapely.transform(geom, lambda xy: np.column_stack(fwd.transform(*xy.T)))
    return local.area / 1e6


@pytest.mark.parametrize(("lon", "lat"), [(-8.0, 12.65), (2.967, 19.955), (25.0, 70.0)])
def test_point_buffer_area(lon: float, lat: float) -> None:
    series = gpd.GeoSeries([shapely.Point(lon, lat)], crs=4326)
    buffered = buffer_km(series, 10)
    assert _area_km2(buffered.iloc[0], lon, lat) == pytest.approx(math.pi * 100, rel=0.01)


def test_line_buffer_uses_kilometres() -> None:
    line = shapely.LineString([(0.0, 60.0), (1.0, 60.0)])  # about 55.8 km long
    buffered = buffer_km(gpd.GeoDataFrame(geometry=[line], crs=4326), 5)
    expected = 55.8 * 10 + math.pi * 25
    assert _area_km2(buffered.iloc[0], 0.5, 60.0) == pytest.approx(expected, rel=0.02)


def test_buffer_rejects_bad_distance() -> None:
    series = gpd.GeoSeries([shapely.Point(0, 0)], crs=4326)
    with pytest.raises(BorderError, match="km must be"):
        buffer_km(series, -1)
    with pytest.raises(BorderError, match="GeoSeries"):
        buffer_km([shapely.Point(0, 0)], 1)  # type: ignore[arg-type]


def test_buffer_keeps_missing_and_index() -> None:
    series = gpd.GeoSeries([None, shapely.Point(0, 0)], index=[5, 9], crs=4326)
    out = buffer_km(series, 1)
    assert out.index.tolist() == [5, 9]
    assert out.iloc[0] is None
    assert out.iloc[1].geom_type == "Polygon"


def test_local_equidistant_keeps_distances_from_its_centre() -> None:
    fwd = Transformer.from_crs(4326, local_equidistant(2.967, 19.955), always_xy=True)
    x, y = fwd.transform(2.967, 19.955 + 1.0)  # one degree of latitude north
    assert abs(x) < 1e-6
    assert y / 1000.0 == pytest.approx(110.7, abs=0.1)
