"""Tests for geomap.borders.distance: geodesic distance to the nearest land border."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS, Transformer

from geomap.borders.distance import distance_to_border
from geomap.borders.layers import land_borders
from geomap.errors import BorderError

TIN_ZAOUATINE = (2.967, 19.955)  # (lon, lat)
BAMAKO = (-8.0, 12.65)
ALGIERS = (3.04, 36.75)


def _aeqd_distance_km(lon: float, lat: float, lines: gpd.GeoSeries) -> float:
    """Exact geodesic distance via an AEQD projection centred on the point (reference)."""
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    fwd = Transformer.from_crs(4326, crs, always_xy=True)
    dense = shapely.segmentize(lines.values, 0.01)
    local = shapely.transform(dense, lambda xy: np.column_stack(fwd.transform(*xy.T)))
    return float(shapely.distance(shapely.Point(0, 0), local).min()) / 1000.0


# ------------------------------------------------------------------ distances


@pytest.mark.parametrize(
    ("point", "expected_km", "pair"),
    [
        (TIN_ZAOUATINE, 2.24, "DZ-ML"),
        (BAMAKO, 110.12, "GN-ML"),
        (ALGIERS, 459.40, "DZ-TN"),  # not 0: the coast is not a border
    ],
)
def test_distance_to_border_known_places(point, expected_km, pair) -> None:
    result = distance_to_border([point[0]], [point[1]]).iloc[0]
    assert result["border_pair"] == pair
    assert result["border_distance_km"] == pytest.approx(expected_km, abs=0.05)


def test_distance_matches_aeqd_reference() -> None:
    rng = np.random.default_rng(7)
    lon = np.r_[rng.uniform(-20, 30, 15), rng.uniform(-180, 180, 15)]
    lat = np.r_[rng.uniform(0, 38, 15), rng.uniform(-80, 80, 15)]
    got = distance_to_border(lon, lat)["border_distance_km"].to_numpy()
    lines = land_borders().geometry
    for x, y, km in zip(lon, lat, got, strict=True):
        assert km == pytest.approx(_aeqd_distance_km(x, y, lines), rel=1e-3, abs=0.05)


def test_distance_missing_values() -> None:
    result = distance_to_border([np.nan, 2.967], [1.0, 19.955])
    assert math.isnan(result["border_distance_km"].iloc[0])
    assert pd.isna(result["border_pair"].iloc[0])
    assert result["border_pair"].iloc[1] == "DZ-ML"


def test_distance_of_many_points_in_blocks() -> None:
    # speed is measured by benchmarks/render.py (house rule 5: tests never check timing);
    # here: many blocks, repeated points, and each point's answer as if it were alone
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(-17, 25, 20_000), rng.uniform(5, 37, 20_000)
    lon[::7], lat[::7] = lon[0], lat[0]
    result = distance_to_border(lon, lat)
    assert result["border_distance_km"].notna().all()
    alone = distance_to_border(lon[:50], lat[:50])
    pd.testing.assert_frame_equal(result.iloc[:50], alone)


def test_distance_rejects_bad_coordinates() -> None:
    with pytest.raises(BorderError, match="equal length"):
        distance_to_border([0.0, 1.0], [0.0])
    with pytest.raises(BorderError, match="longitude 200"):
        distance_to_border([200.0], [0.0])
