"""Tests for geomap.borders.distance: geodesic distance to the nearest land border."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS, Transformer

from geomap.borders import distance
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


def _reference_nearest_on_arcs(p, a, b):
    """The former arc step: distance and nearest point of every (point, arc) pair."""
    normal = np.cross(a, b)
    norm = np.linalg.norm(normal, axis=1, keepdims=True)
    normal = np.divide(normal, norm, out=np.zeros_like(normal), where=norm > 0)
    sin_xt = np.einsum("ij,ij->i", p, normal)
    foot = p - sin_xt[:, None] * normal
    foot_len = np.linalg.norm(foot, axis=1)
    foot = np.divide(foot, foot_len[:, None], out=a.copy(), where=foot_len[:, None] > 0)
    inside = (
        (norm[:, 0] > 0)
        & (foot_len > 0)
        & (np.einsum("ij,ij->i", np.cross(a, foot), normal) >= 0)
        & (np.einsum("ij,ij->i", np.cross(foot, b), normal) >= 0)
    )
    d_a, d_b = distance._angle(p, a), distance._angle(p, b)
    end = np.where((d_a <= d_b)[:, None], a, b)
    dist = np.where(inside, np.arctan2(np.abs(sin_xt), foot_len), np.minimum(d_a, d_b))
    return dist, np.where(inside[:, None], foot, end)


def _reference_nearest_block(p, index):
    """The former search: per point coarse caps, fine caps, then every surviving segment."""
    coarse, fine = index.coarse, index.fine
    cos = p.astype(np.float32) @ index.coarse32
    best = np.argmax(cos, axis=1)
    first_point = np.repeat(np.arange(len(p)), coarse.counts[best])
    first_cap = distance._expand(coarse.starts[best], coarse.counts[best])
    reach = distance._cap_angle(p[first_point], fine.centres[first_cap]) + fine.radius[first_cap]
    upper = np.minimum.reduceat(reach, np.r_[0, np.cumsum(coarse.counts[best])[:-1]])
    limit = np.cos(upper).astype(np.float32)[:, None] * index.cos_r
    limit -= np.sin(upper).astype(np.float32)[:, None] * index.sin_r
    limit -= distance.COS_MARGIN
    limit[upper + coarse.radius.max() >= np.pi] = distance.NO_LIMIT
    point_of, cap = np.nonzero(cos >= limit)
    point_of = np.repeat(point_of, coarse.counts[cap])
    cap = distance._expand(coarse.starts[cap], coarse.counts[cap])
    centre_angle = distance._cap_angle(p[point_of], fine.centres[cap])
    keep = centre_angle - fine.radius[cap] <= upper[point_of] + distance.CAP_SLACK
    point_of, cap = point_of[keep], cap[keep]
    seg_point = np.repeat(point_of, fine.counts[cap])
    segment = distance._expand(fine.starts[cap], fine.counts[cap])
    dist, nearest = _reference_nearest_on_arcs(p[seg_point], index.a[segment], index.b[segment])
    order = np.lexsort((dist, seg_point))
    first = order[np.unique(seg_point[order], return_index=True)[1]]
    return nearest[first], segment[first]


@pytest.mark.parametrize(
    ("n", "lon_range", "lat_range"),
    [(20_000, (-18, 52), (-35, 37)), (5_000, (-180, 180), (-90, 90))],
    ids=["africa", "world"],
)
def test_distance_matches_the_former_search(n, lon_range, lat_range, monkeypatch) -> None:
    # the cell-grouped, two-round search must agree with the plain per-point search
    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(*lon_range, n), rng.uniform(*lat_range, n)
    got = distance_to_border(lon, lat)
    monkeypatch.setattr(distance, "_nearest_block", _reference_nearest_block)
    want = distance_to_border(lon, lat)
    diff_m = np.abs(got["border_distance_km"] - want["border_distance_km"]).max() * 1000.0
    assert diff_m < 1.0
    assert (got["border_pair"] == want["border_pair"]).all()


def test_distance_rejects_bad_coordinates() -> None:
    with pytest.raises(BorderError, match="equal length"):
        distance_to_border([0.0, 1.0], [0.0])
    with pytest.raises(BorderError, match="longitude 200"):
        distance_to_border([200.0], [0.0])
