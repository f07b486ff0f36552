"""Tests for geomap.borders.layers: shipped Natural Earth 1:10m layers, no network."""

from __future__ import annotations

import math
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS, Transformer

from geomap.borders import layers as borders
from geomap.errors import BorderError, GeomapError

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


# ------------------------------------------------------------------ countries


def test_france_and_norway_have_iso_codes() -> None:
    table = borders.load_countries(["fr", "NO", "XK"])
    assert table["iso_a2"].tolist() == ["FR", "NO", "XK"]
    assert table["iso_a3"].tolist()[:2] == ["FRA", "NOR"]
    assert table.crs.to_epsg() == 4326


def test_all_countries_unique_codes() -> None:
    table = borders.load_countries()
    codes = table["iso_a2"].dropna()
    assert codes.is_unique
    assert len(table) > 240
    assert "-99" not in set(table["iso_a2"].dropna())


def test_unknown_code_is_named() -> None:
    with pytest.raises(BorderError, match="'QQ'") as info:
        borders.load_countries(["DZ", "QQ"])
    assert "alpha-2" in str(info.value)
    assert isinstance(info.value, GeomapError)


def test_alpha3_code_gets_a_hint() -> None:
    with pytest.raises(BorderError, match="did you mean 'DZ'"):
        borders.shared_borders(["DZA", "ML"])


def test_loaded_frames_are_copies() -> None:
    first = borders.load_countries(["ML"])
    first.loc[0, "name"] = "changed"
    assert borders.load_countries(["ML"]).loc[0, "name"] == "Mali"


# ------------------------------------------------------------------ points


def test_ti_n_zaouatene_falls_in_algeria_polygon() -> None:
    # GeoNames codes the town as Mali; the 1:10m polygon puts its point in Algeria.
    codes = borders.country_of_points([2.96732], [19.95427])
    assert codes.tolist() == ["DZ"]


def test_country_of_points_sea_and_missing() -> None:
    codes = borders.country_of_points([-8.0, 0.0, np.nan, 2.35], [12.65, 0.0, 1.0, 48.85])
    assert codes.tolist() == ["ML", None, None, "FR"]


def test_bad_coordinates() -> None:
    with pytest.raises(BorderError, match="latitude 95"):
        borders.country_of_points([0.0], [95.0])
    with pytest.raises(BorderError, match="equal length"):
        borders.distance_to_border([0.0, 1.0], [0.0])


# ------------------------------------------------------------------ borders


def test_algeria_mali_length() -> None:
    lines = borders.shared_borders(["ML", "DZ", "NE"])
    row = lines[(lines["a"] == "DZ") & (lines["b"] == "ML")].iloc[0]
    assert row["length_km"] == pytest.approx(1270, rel=0.02)
    assert {"DZ-ML", "DZ-NE", "ML-NE"} == set(lines["a"] + "-" + lines["b"])


def test_land_borders_pairs_are_ordered_and_unique() -> None:
    lines = borders.land_borders()
    assert (lines["a"] < lines["b"]).all()
    assert not lines.duplicated(["a", "b"]).any()
    assert (lines["length_km"] > 0).all()


def test_coastline_is_not_a_border() -> None:
    lines = borders.land_borders()
    # islands without land neighbours have no borders at all
    for code in ("IS", "AU", "JP", "MG"):
        assert not ((lines["a"] == code) | (lines["b"] == code)).any()
    # Algeria's Mediterranean coast is far from every border line
    coast_point = shapely.Point(3.04, 36.80)
    dz_lines = lines[(lines["a"] == "DZ") | (lines["b"] == "DZ")]
    assert shapely.distance(coast_point, dz_lines.geometry.values).min() > 3.0  # degrees


def test_border_layers_for_renderer() -> None:
    layers = borders.border_layers(["DZ", "ML", "NE", "BF"])
    assert layers.countries["iso_a2"].tolist() == ["DZ", "ML", "NE", "BF"]
    assert {"DZ-ML", "BF-ML", "BF-NE", "DZ-NE", "ML-NE"} == set(
        layers.lines["a"] + "-" + layers.lines["b"]
    )
    with pytest.raises(AttributeError):
        layers.countries = None  # type: ignore[misc]


def test_basemap_layers_are_light() -> None:
    layers = borders.basemap_layers()
    assert set(layers) == {"countries", "land"}
    n_coords = sum(
        int(shapely.get_num_coordinates(frame.geometry.values).sum()) for frame in layers.values()
    )
    assert n_coords < 120_000
    assert layers["countries"]["iso_a2"].isin(["FR"]).any()


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
    result = borders.distance_to_border([point[0]], [point[1]]).iloc[0]
    assert result["border_pair"] == pair
    assert result["border_distance_km"] == pytest.approx(expected_km, abs=0.05)


def test_distance_matches_aeqd_reference() -> None:
    rng = np.random.default_rng(7)
    lon = np.r_[rng.uniform(-20, 30, 15), rng.uniform(-180, 180, 15)]
    lat = np.r_[rng.uniform(0, 38, 15), rng.uniform(-80, 80, 15)]
    got = borders.distance_to_border(lon, lat)["border_distance_km"].to_numpy()
    lines = borders.land_borders().geometry
    for x, y, km in zip(lon, lat, got, strict=True):
        assert km == pytest.approx(_aeqd_distance_km(x, y, lines), rel=1e-3, abs=0.05)


def test_distance_missing_values() -> None:
    result = borders.distance_to_border([np.nan, 2.967], [1.0, 19.955])
    assert math.isnan(result["border_distance_km"].iloc[0])
    assert pd.isna(result["border_pair"].iloc[0])
    assert result["border_pair"].iloc[1] == "DZ-ML"


def test_distance_is_fast_enough() -> None:
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(-17, 25, 20_000), rng.uniform(5, 37, 20_000)
    borders.distance_to_border(lon[:10], lat[:10])  # build the index
    started = time.perf_counter()
    result = borders.distance_to_border(lon, lat)
    assert time.perf_counter() - started < 10
    assert result["border_distance_km"].notna().all()


# ------------------------------------------------------------------ buffers


def _area_km2(geom: shapely.Geometry, lon: float, lat: float) -> float:
    laea = CRS.from_proj4(f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    fwd = Transformer.from_crs(4326, laea, always_xy=True)
    local = shapely.transform(geom, lambda xy: np.column_stack(fwd.transform(*xy.T)))
    return local.area / 1e6


@pytest.mark.parametrize(("lon", "lat"), [(-8.0, 12.65), (2.967, 19.955), (25.0, 70.0)])
def test_point_buffer_area(lon: float, lat: float) -> None:
    series = gpd.GeoSeries([shapely.Point(lon, lat)], crs=4326)
    buffered = borders.buffer_km(series, 10)
    assert _area_km2(buffered.iloc[0], lon, lat) == pytest.approx(math.pi * 100, rel=0.01)


def test_line_buffer_uses_kilometres() -> None:
    line = shapely.LineString([(0.0, 60.0), (1.0, 60.0)])  # about 55.8 km long
    buffered = borders.buffer_km(gpd.GeoDataFrame(geometry=[line], crs=4326), 5)
    expected = 55.8 * 10 + math.pi * 25
    assert _area_km2(buffered.iloc[0], 0.5, 60.0) == pytest.approx(expected, rel=0.02)


def test_buffer_rejects_bad_distance() -> None:
    series = gpd.GeoSeries([shapely.Point(0, 0)], crs=4326)
    with pytest.raises(BorderError, match="km must be"):
        borders.buffer_km(series, -1)
    with pytest.raises(BorderError, match="GeoSeries"):
        borders.buffer_km([shapely.Point(0, 0)], 1)  # type: ignore[arg-type]


def test_buffer_keeps_missing_and_index() -> None:
    series = gpd.GeoSeries([None, shapely.Point(0, 0)], index=[5, 9], crs=4326)
    out = borders.buffer_km(series, 1)
    assert out.index.tolist() == [5, 9]
    assert out.iloc[0] is None
    assert out.iloc[1].geom_type == "Polygon"
