"""Country polygons, shared land borders and the offline basemap, from Natural Earth.

The data is Natural Earth admin-0 countries at 1:10m (public domain), prepared by
``scripts/build_borders.py`` into ``layers/borders/`` and read by
:mod:`geomap.borders.natural_earth`. Every layer is EPSG:4326 with (lon, lat) geometry.
Countries are keyed by ISO 3166-1 alpha-2 (``iso_a2``); the six Natural Earth units
without any ISO code (Bir Tawil, Dhekelia, Akrotiri, Guantanamo Bay, Spratly Is.,
Scarborough Reef) have an empty ``iso_a2`` and appear in border pairs under their Natural
Earth ``adm0_a3`` code (e.g. ``"BRT"``).

Border towns sit on the line: :func:`country_of_points` reports the polygon a point falls
in, which may disagree with a gazetteer's country (GeoNames codes Ti-n-Zaouâtene as Mali,
its point falls in Algeria). Flag such disagreements; never overwrite the gazetteer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geomap.borders.buffers import buffer_km
from geomap.borders.distance import distance_to_border
from geomap.borders.natural_earth import (
    basemap_frames,
    border_lines,
    countries,
    country_tree,
    lonlat_arrays,
    prepared_countries,
)
from geomap.errors import BorderError

# distance_to_border and buffer_km live in their own modules; they stay importable from
# here, where scripts and benchmarks have always found them.
__all__ = [
    "BorderLayers",
    "basemap_layers",
    "border_layers",
    "buffer_km",
    "country_of_points",
    "distance_to_border",
    "land_borders",
    "load_countries",
    "shared_borders",
]

KNOWN_CODE_SAMPLE = ("DZ", "ML", "NE", "BF", "FR")  # codes named when a code is unknown


@dataclass(frozen=True)
class BorderLayers:
    """The layers the renderer draws for a set of countries.

    Attributes
    ----------
    countries : geopandas.GeoDataFrame
        One row per requested country (``iso_a2``, ``iso_a3``, ``adm0_a3``, ``name``).
    lines : geopandas.GeoDataFrame
        Land border lines between any two of them (``a``, ``b``, ``name_a``, ``name_b``,
        ``length_km``).
    """

    countries: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame

    def __repr__(self) -> str:
        """Show the country codes and the number of lines, not the frames."""
        codes = ",".join(self.countries["iso_a2"].fillna("?"))
        return f"BorderLayers(countries=[{codes}], lines={len(self.lines)})"


def _check_codes(codes: Iterable[str]) -> list[str]:
    """Upper-case the codes and reject any that is not a country ``iso_a2``."""
    if isinstance(codes, str):
        codes = [codes]
    table = countries()
    known = set(table["iso_a2"].dropna())
    wanted = [str(code).strip().upper() for code in codes]
    for code in wanted:
        if code not in known:
            raise BorderError(_unknown_code_message(code, table))
    return list(dict.fromkeys(wanted))


def _unknown_code_message(code: str, table: gpd.GeoDataFrame) -> str:
    hint = ""
    for column in ("iso_a3", "adm0_a3"):
        hit = table.loc[table[column] == code, "iso_a2"].dropna()
        if len(hit):
            hint = f"; did you mean {hit.iloc[0]!r}?"
    sample = ", ".join(repr(c) for c in KNOWN_CODE_SAMPLE)
    return (
        f"unknown country code {code!r}{hint}; use ISO 3166-1 alpha-2 codes such as "
        f"{sample} ({table['iso_a2'].notna().sum()} codes are known)"
    )


def load_countries(codes: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    """Return country polygons at 1:10m.

    Parameters
    ----------
    codes : iterable of str, optional
        ISO 3166-1 alpha-2 codes (case-insensitive). ``None`` returns every country and
        territory, including the few without an ISO code.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso_a2``, ``iso_a3``, ``adm0_a3``, ``name``, ``geometry`` (EPSG:4326),
        in the order of ``codes``.

    Raises
    ------
    BorderError
        If a code is not a known ``iso_a2``.

    Examples
    --------
    >>> load_countries(["fr"])["iso_a2"].tolist()
    ['FR']
    """
    table = countries()
    if codes is None:
        return table.copy()
    wanted = _check_codes(codes)
    rows = table.set_index("iso_a2", drop=False).loc[wanted]
    return rows.reset_index(drop=True)


def land_borders() -> gpd.GeoDataFrame:
    """Return every international land border of the world at 1:10m.

    Coastlines are not borders: a line is kept only where two countries' boundaries
    coincide (rivers and lakes crossed by a border count as land borders).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``a``, ``b`` (codes with ``a < b``), ``name_a``, ``name_b``, ``length_km``
        (geodesic, WGS84) and ``geometry`` (MultiLineString, EPSG:4326).
    """
    return border_lines().copy()


def shared_borders(codes: Iterable[str]) -> gpd.GeoDataFrame:
    """Return the land border lines between any two of the given countries.

    Parameters
    ----------
    codes : iterable of str
        ISO 3166-1 alpha-2 codes, e.g. ``["DZ", "ML", "NE"]``.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows of :func:`land_borders` whose both sides are in ``codes``.

    Raises
    ------
    BorderError
        If a code is unknown.

    Examples
    --------
    >>> row = shared_borders(["ML", "DZ"]).iloc[0]
    >>> (row.a, row.b, round(float(row.length_km), -1))
    ('DZ', 'ML', 1270.0)
    """
    wanted = set(_check_codes(codes))
    table = border_lines()
    mask = table["a"].isin(wanted) & table["b"].isin(wanted)
    return table[mask].reset_index(drop=True)


def border_layers(codes: Iterable[str]) -> BorderLayers:
    """Return the countries and their shared border lines for the renderer.

    Parameters
    ----------
    codes : iterable of str
        ISO 3166-1 alpha-2 codes.

    Returns
    -------
    BorderLayers
        ``countries`` from :func:`load_countries`, ``lines`` from :func:`shared_borders`.
    """
    wanted = _check_codes(codes)
    return BorderLayers(countries=load_countries(wanted), lines=shared_borders(wanted))


def basemap_layers() -> dict[str, gpd.GeoDataFrame]:
    """Return light world layers for an offline vector basemap.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        ``"land"`` (land polygons) and ``"countries"`` (``iso_a2``, ``name``): Natural
        Earth 1:10m simplified along shared edges, coordinates on a 0.001 degree grid,
        about 0.5 MB gzipped in total.
    """
    return {name: frame.copy() for name, frame in basemap_frames().items()}


def country_of_points(lon: object, lat: object) -> np.ndarray:
    """Return the ISO alpha-2 code of the country polygon each point falls in.

    This only reports geometry. A border town may fall on the other side of a 1:10m line
    from the country a gazetteer gives it; flag such disagreements, never overwrite the
    gazetteer's country with this result.

    Parameters
    ----------
    lon, lat : array-like of float
        Coordinates in degrees (WGS84), equal length.

    Returns
    -------
    numpy.ndarray
        Object array of ``iso_a2`` codes, ``None`` at sea, for missing coordinates and in
        units without an ISO code.

    Raises
    ------
    BorderError
        If the coordinates are out of range or of unequal length.

    Examples
    --------
    >>> country_of_points([2.96732, -8.0], [19.95427, 12.65]).tolist()
    ['DZ', 'ML']
    """
    x, y = lonlat_arrays(lon, lat)
    out = np.full(x.shape, None, dtype=object)
    valid = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    point_idx, poly_idx = _polygons_under(x[valid], y[valid])
    first = np.unique(point_idx, return_index=True)[1]
    codes = np.array([c if isinstance(c, str) else None for c in countries()["iso_a2"]],
                     dtype=object)  # one per country, not per point
    out[valid[point_idx[first]]] = codes[poly_idx[first]]
    return out


def _polygons_under(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point, polygon) pairs where a point intersects a country polygon.

    The pairs and their order are those of ``country_tree().query(points,
    predicate="intersects")``: the tree's bounding-box candidates, then one vectorised
    test per candidate polygon on its prepared geometry.
    """
    point_idx, poly_idx = country_tree().query(shapely.points(x, y))
    hit = np.zeros(point_idx.shape, dtype=bool)
    order = np.argsort(poly_idx, kind="stable")
    polys, starts = np.unique(poly_idx[order], return_index=True)
    geoms = prepared_countries()
    for poly, rows in zip(polys, np.split(order, starts[1:]), strict=True):
        hit[rows] = shapely.intersects_xy(geoms[poly], x[point_idx[rows]], y[point_idx[rows]])
    return point_idx[hit], poly_idx[hit]
