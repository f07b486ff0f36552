"""Country polygons, shared land borders, buffers in km and distance to the nearest border.

The data is Natural Earth admin-0 countries at 1:10m (public domain), prepared by
``scripts/build_borders.py`` into ``layers/borders/``. Every layer is EPSG:4326 with
(lon, lat) geometry. Countries are keyed by ISO 3166-1 alpha-2 (``iso_a2``); the six Natural
Earth units without any ISO code (Bir Tawil, Dhekelia, Akrotiri, Guantanamo Bay, Spratly
Is., Scarborough Reef) have an empty ``iso_a2`` and appear in border pairs under their
Natural Earth ``adm0_a3`` code (e.g. ``"BRT"``).

Border towns sit on the line: :func:`country_of_points` reports the polygon a point falls
in, which may disagree with a gazetteer's country (GeoNames codes Ti-n-Zaouâtene as Mali,
its point falls in Algeria). Flag such disagreements; never overwrite the gazetteer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import ProjError

from geomap.errors import BorderError, GeomapError
from geomap.resources import layer_path

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

MAIN_FILE = "borders/ne_10m_borders.gpkg.zip"
MAIN_MEMBER = "ne_10m_borders.gpkg"
LIGHT_FILE = "borders/ne_world_light.geojson.gz"
GEOD = Geod(ellps="WGS84")

_DENSIFY_DEG = 0.05  # border segments become great-circle arcs below this length
_FINE = 8  # segments per fine cap in the distance index
_COARSE = 16  # fine caps per coarse cap
_CHUNK = 4096  # points per block in distance_to_border
_COS_MARGIN = 2e-6  # covers float32 rounding in the coarse pre-filter


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


# --------------------------------------------------------------------------- loading


def _read_main(layer: str) -> gpd.GeoDataFrame:
    """Read one layer of the shipped GeoPackage, translating I/O errors."""
    try:
        path = layer_path(MAIN_FILE)
    except GeomapError as err:
        raise BorderError(str(err)) from err
    try:
        frame = pyogrio.read_dataframe(f"/vsizip/{path}/{MAIN_MEMBER}", layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        raise BorderError(f"cannot read layer {layer!r} from {path}: {err}") from err
    return frame.set_crs(4326, allow_override=True)


@lru_cache(maxsize=1)
def _countries() -> gpd.GeoDataFrame:
    return _read_main("countries")


@lru_cache(maxsize=1)
def _borders() -> gpd.GeoDataFrame:
    return _read_main("land_borders")


@lru_cache(maxsize=1)
def _country_tree() -> shapely.STRtree:
    return shapely.STRtree(_countries().geometry.values)


def _check_codes(codes: Iterable[str]) -> list[str]:
    """Upper-case the codes and reject any that is not a country ``iso_a2``."""
    if isinstance(codes, str):
        codes = [codes]
    table = _countries()
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
    sample = ", ".join(repr(c) for c in ("DZ", "ML", "NE", "BF", "FR"))
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
    table = _countries()
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
    return _borders().copy()


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
    table = _borders()
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


@lru_cache(maxsize=1)
def _basemap() -> dict[str, gpd.GeoDataFrame]:
    try:
        path = layer_path(LIGHT_FILE)
        frame = pyogrio.read_dataframe(f"/vsigzip/{path}")
    except GeomapError as err:
        raise BorderError(str(err)) from err
    except pyogrio.errors.DataSourceError as err:
        raise BorderError(f"cannot read the basemap {LIGHT_FILE!r}: {err}") from err
    frame = frame.set_crs(4326, allow_override=True)
    out = {}
    for name, group in frame.groupby("layer", sort=False):
        out[str(name)] = group.drop(columns="layer").dropna(axis=1, how="all")
    return out


def basemap_layers() -> dict[str, gpd.GeoDataFrame]:
    """Return light world layers for an offline vector basemap.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        ``"land"`` (land polygons) and ``"countries"`` (``iso_a2``, ``name``): Natural
        Earth 1:10m simplified along shared edges, coordinates on a 0.001 degree grid,
        about 0.5 MB gzipped in total.
    """
    return {name: frame.copy() for name, frame in _basemap().items()}


# --------------------------------------------------------------------------- points


def _lonlat(lon: object, lat: object) -> tuple[np.ndarray, np.ndarray]:
    """Return 1-D float arrays, rejecting bad shapes and out-of-range coordinates."""
    x = np.atleast_1d(np.asarray(lon, dtype=float))
    y = np.atleast_1d(np.asarray(lat, dtype=float))
    if x.ndim != 1 or x.shape != y.shape:
        raise BorderError(
            f"lon and lat must be 1-D and of equal length, got shapes {x.shape} and {y.shape}"
        )
    bad_lat = np.flatnonzero(np.abs(y) > 90)
    bad_lon = np.flatnonzero(np.abs(x) > 180)
    if bad_lat.size:
        i = bad_lat[0]
        raise BorderError(f"latitude {y[i]} at position {i} is outside -90..90")
    if bad_lon.size:
        i = bad_lon[0]
        raise BorderError(f"longitude {x[i]} at position {i} is outside -180..180")
    return x, y


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
    x, y = _lonlat(lon, lat)
    out = np.full(x.shape, None, dtype=object)
    valid = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    points = shapely.points(x[valid], y[valid])
    point_idx, poly_idx = _country_tree().query(points, predicate="intersects")
    first = np.unique(point_idx, return_index=True)[1]
    codes = _countries()["iso_a2"].to_numpy(dtype=object)
    found = codes[poly_idx[first]]
    out[valid[point_idx[first]]] = [c if isinstance(c, str) else None for c in found]
    return out


# --------------------------------------------------------------------------- distance


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return unit vectors on the sphere for (lon, lat) in degrees, shape (n, 3)."""
    lam, phi = np.radians(lon), np.radians(lat)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def _angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angle between unit vectors, row-wise, accurate for small angles."""
    return np.arctan2(np.linalg.norm(np.cross(u, v), axis=1), np.einsum("ij,ij->i", u, v))


def _runs(group: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Split a sequence into runs of at most ``size`` items that never span two groups."""
    group_start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    group_len = np.diff(np.r_[group_start, len(group)])
    per_group = -(-group_len // size)
    rank = np.arange(per_group.sum()) - np.repeat(np.cumsum(per_group) - per_group, per_group)
    starts = np.repeat(group_start, per_group) + rank * size
    ends = np.minimum(starts + size, np.repeat(group_start + group_len, per_group))
    return starts, ends - starts


def _expand(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + c)`` for every (s, c)."""
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets


@dataclass(frozen=True)
class _Caps:
    """Spherical caps (centre, angular radius) each covering a run of children."""

    starts: np.ndarray  # first child of each cap
    counts: np.ndarray  # children per cap
    centres: np.ndarray  # (c, 3) unit vectors
    radius: np.ndarray  # angular radius in radians

    @classmethod
    def build(
        cls,
        runs: tuple[np.ndarray, np.ndarray],
        points: list[np.ndarray],
        extra: np.ndarray | None = None,
    ) -> _Caps:
        """Caps over runs of children given as point sets (plus each child's own radius)."""
        starts, counts = runs
        sums = np.add.reduceat(sum(points), starts, axis=0)
        centres = sums / np.linalg.norm(sums, axis=1, keepdims=True)
        owner = np.repeat(np.arange(len(starts)), counts)
        reach = np.max([_angle(pts, centres[owner]) for pts in points], axis=0)
        if extra is not None:
            reach = reach + extra
        return cls(starts, counts, centres, np.maximum.reduceat(reach, starts))


@dataclass(frozen=True)
class _SegmentIndex:
    """Border segments as great-circle arcs under two levels of bounding caps."""

    a: np.ndarray  # (s, 3) segment starts
    b: np.ndarray  # (s, 3) segment ends
    pair: np.ndarray  # (s,) "DZ-ML" per segment
    fine: _Caps  # caps over runs of segments
    coarse: _Caps  # caps over runs of fine caps
    coarse32: np.ndarray  # coarse centres as float32 for the dense pre-filter
    cos_r: np.ndarray  # cos of the coarse radii
    sin_r: np.ndarray  # sin of the coarse radii


@lru_cache(maxsize=1)
def _segment_index() -> _SegmentIndex:
    table = _borders()
    pairs = (table["a"] + "-" + table["b"]).to_numpy(dtype=object)
    lines = shapely.segmentize(table.geometry.values, _DENSIFY_DEG)
    parts, owner = shapely.get_parts(lines, return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    start = np.flatnonzero(part_of[1:] == part_of[:-1])
    ends = _unit(coords[:, 0], coords[:, 1])
    a, b = ends[start], ends[start + 1]
    seg_part = part_of[start]
    fine_runs = _runs(seg_part, _FINE)
    fine = _Caps.build(fine_runs, [a, b])
    coarse = _Caps.build(_runs(seg_part[fine_runs[0]], _COARSE), [fine.centres], extra=fine.radius)
    return _SegmentIndex(
        a,
        b,
        pairs[owner[seg_part]],
        fine,
        coarse,
        coarse.centres.astype(np.float32),
        np.cos(coarse.radius).astype(np.float32),
        np.sin(coarse.radius).astype(np.float32),
    )


def _nearest_on_arcs(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Angular distance from each p to the arc a-b and the nearest point of the arc."""
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
    d_a, d_b = _angle(p, a), _angle(p, b)
    end = np.where((d_a <= d_b)[:, None], a, b)
    dist = np.where(inside, np.arctan2(np.abs(sin_xt), foot_len), np.minimum(d_a, d_b))
    nearest = np.where(inside[:, None], foot, end)
    return dist, nearest


def _cap_angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Angle between unit vectors from their dot product (about 0.1 m accurate; bounds only)."""
    return np.arccos(np.clip(np.einsum("ij,ij->i", u, v), -1.0, 1.0))


def _nearest_block(p: np.ndarray, index: _SegmentIndex) -> tuple[np.ndarray, np.ndarray]:
    """Nearest border point (unit vector) and segment number for a block of points.

    Exact branch and bound: a dense float32 pass over the coarse caps keeps those that may
    be nearer than an upper bound, then fine caps, then segments.
    """
    coarse, fine = index.coarse, index.fine
    cos = p.astype(np.float32) @ index.coarse32.T
    best = np.argmax(cos, axis=1)
    # upper bound: the farthest point of the nearest fine cap inside the nearest coarse cap
    first_point = np.repeat(np.arange(len(p)), coarse.counts[best])
    first_cap = _expand(coarse.starts[best], coarse.counts[best])
    reach = _cap_angle(p[first_point], fine.centres[first_cap]) + fine.radius[first_cap]
    upper = np.minimum.reduceat(reach, np.r_[0, np.cumsum(coarse.counts[best])[:-1]])
    # keep coarse caps whose nearest point may be within the bound: angle <= upper + radius,
    # i.e. cos(angle) >= cos(upper) cos(radius) - sin(upper) sin(radius), in float32
    cos_u = np.cos(upper).astype(np.float32)[:, None]
    sin_u = np.sin(upper).astype(np.float32)[:, None]
    limit = cos_u * index.cos_r
    limit -= sin_u * index.sin_r
    limit -= _COS_MARGIN
    limit[upper + coarse.radius.max() >= np.pi] = -2.0  # the bound reaches the antipode
    point_of, cap = np.nonzero(cos >= limit)
    # fine caps inside the surviving coarse caps
    point_of = np.repeat(point_of, coarse.counts[cap])
    cap = _expand(coarse.starts[cap], coarse.counts[cap])
    centre_angle = _cap_angle(p[point_of], fine.centres[cap])
    keep = centre_angle - fine.radius[cap] <= upper[point_of] + 1e-9
    point_of, cap = point_of[keep], cap[keep]
    # segments of the surviving fine caps
    seg_point = np.repeat(point_of, fine.counts[cap])
    segment = _expand(fine.starts[cap], fine.counts[cap])
    dist, nearest = _nearest_on_arcs(p[seg_point], index.a[segment], index.b[segment])
    order = np.lexsort((dist, seg_point))
    first = order[np.unique(seg_point[order], return_index=True)[1]]
    return nearest[first], segment[first]


def distance_to_border(lon: object, lat: object) -> pd.DataFrame:
    """Return the geodesic distance from each point to the nearest international land border.

    Border lines are densified to 0.05 degree steps and treated as great-circle arcs; the
    nearest point is found on the sphere (exact search, no cut-off distance) and the
    distance to it is then measured on the WGS84 ellipsoid with :class:`pyproj.Geod`.
    Coastlines are not borders.

    Parameters
    ----------
    lon, lat : array-like of float
        Coordinates in degrees (WGS84), equal length. Missing values give missing results.

    Returns
    -------
    pandas.DataFrame
        ``border_distance_km`` (float) and ``border_pair`` (e.g. ``"DZ-ML"``), one row
        per point, in input order.

    Raises
    ------
    BorderError
        If the coordinates are out of range or of unequal length.

    Examples
    --------
    >>> row = distance_to_border([-8.0], [12.65]).iloc[0]
    >>> row.border_pair, round(float(row.border_distance_km))
    ('GN-ML', 110)
    """
    x, y = _lonlat(lon, lat)
    dist_km = np.full(x.shape, np.nan)
    pair = np.full(x.shape, None, dtype=object)
    valid = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    index = _segment_index()
    for block in np.array_split(valid, max(1, math.ceil(valid.size / _CHUNK))):
        if block.size == 0:
            continue
        nearest, segment = _nearest_block(_unit(x[block], y[block]), index)
        near_lon = np.degrees(np.arctan2(nearest[:, 1], nearest[:, 0]))
        near_lat = np.degrees(np.arctan2(nearest[:, 2], np.hypot(nearest[:, 0], nearest[:, 1])))
        _, _, metres = GEOD.inv(x[block], y[block], near_lon, near_lat)
        dist_km[block] = metres / 1000.0
        pair[block] = index.pair[segment]
    return pd.DataFrame({"border_distance_km": dist_km, "border_pair": pair})


# --------------------------------------------------------------------------- buffers


def _aeqd_buffer(geom: shapely.Geometry, metres: float) -> shapely.Geometry:
    """Buffer one geometry in an azimuthal equidistant projection centred on it."""
    centre = geom.centroid
    crs = CRS.from_proj4(
        f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m +no_defs"
    )
    forward = Transformer.from_crs(4326, crs, always_xy=True)
    back = Transformer.from_crs(crs, 4326, always_xy=True)
    local = shapely.transform(geom, lambda xy: np.column_stack(forward.transform(*xy.T)))
    grown = shapely.buffer(local, metres, quad_segs=16)
    return shapely.transform(grown, lambda xy: np.column_stack(back.transform(*xy.T)))


def _point_circles(x: np.ndarray, y: np.ndarray, metres: float) -> np.ndarray:
    """Geodesic circles around points: the AEQD buffer of a point, computed directly."""
    azimuths = np.linspace(0.0, 360.0, 65)[:-1]
    n = len(x)
    lons, lats, _ = GEOD.fwd(
        np.repeat(x, 64), np.repeat(y, 64), np.tile(azimuths, n), np.full(64 * n, metres)
    )
    ring = np.stack([lons, lats], axis=1).reshape(n, 64, 2)
    ring = np.concatenate([ring, ring[:, :1]], axis=1)
    return shapely.polygons(shapely.linearrings(ring))


def buffer_km(geoms: gpd.GeoSeries | gpd.GeoDataFrame, km: float) -> gpd.GeoSeries:
    """Buffer geometries by a distance in kilometres, never in degrees.

    Each geometry is buffered in an azimuthal equidistant projection centred on its
    centroid (pyproj, ``always_xy=True``), where distances from the centre are true
    geodesic distances. For points this is a geodesic circle, computed directly with
    :class:`pyproj.Geod` for speed. Large geometries (whole countries) are buffered with
    the projection's distortion away from the centre; rings are not split at the
    antimeridian.

    Parameters
    ----------
    geoms : geopandas.GeoSeries or geopandas.GeoDataFrame
        Geometries in any CRS (reprojected to EPSG:4326 first; no CRS means EPSG:4326).
    km : float
        Buffer distance in kilometres, at least 0.

    Returns
    -------
    geopandas.GeoSeries
        Polygons in EPSG:4326 with the input index; missing or empty input stays missing.

    Raises
    ------
    BorderError
        If ``km`` is negative or not a number, or ``geoms`` is not a GeoSeries/GeoDataFrame.
    """
    if not isinstance(geoms, gpd.GeoSeries | gpd.GeoDataFrame):
        raise BorderError(f"geoms must be a GeoSeries or GeoDataFrame, got {type(geoms).__name__}")
    if not isinstance(km, int | float) or not math.isfinite(km) or km < 0:
        raise BorderError(f"km must be a finite number >= 0, got {km!r}")
    series = geoms.geometry
    series = series.set_crs(4326) if series.crs is None else series.to_crs(4326)
    values = series.values
    out = np.full(len(values), None, dtype=object)
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    is_point = present & (shapely.get_type_id(values) == 0)
    metres = float(km) * 1000.0
    pts = np.flatnonzero(is_point)
    if pts.size:
        out[pts] = _point_circles(shapely.get_x(values[pts]), shapely.get_y(values[pts]), metres)
    try:
        for i in np.flatnonzero(present & ~is_point):
            out[i] = _aeqd_buffer(values[i], metres)
    except ProjError as err:
        raise BorderError(f"cannot buffer geometry {i} by {km} km: {err}") from err
    return gpd.GeoSeries(out, index=series.index, crs=4326)
