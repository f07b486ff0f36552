"""Tests for geomap.borders.layers: shipped Natural Earth 1:10m layers, no network."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geomap.borders import layers as borders
from geomap.errors import BorderError, GeomapError

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
        borders.country_of_points([0.0, 1.0], [0.0])


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


def test_layers_module_still_serves_distance_and_buffers() -> None:
    from geomap.borders import buffers, distance

    assert borders.distance_to_border is distance.distance_to_border
    assert borders.buffer_km is buffers.buffer_km
