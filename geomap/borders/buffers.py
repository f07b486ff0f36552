"""Buffers in kilometres, never in degrees: a local azimuthal equidistant projection.

Each geometry is buffered in an azimuthal equidistant projection centred on its centroid
(pyproj, ``always_xy=True``), where distances from the centre are true geodesic distances;
points get their geodesic circle directly from :class:`pyproj.Geod`.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import ProjError

from geomap.errors import BorderError

__all__ = ["buffer_km", "local_equidistant"]

GEOD = Geod(ellps="WGS84")
CIRCLE_VERTICES = 64  # vertices of a point's geodesic circle
QUAD_SEGMENTS = 16  # segments per quarter circle of a projected buffer
POINT_TYPE_ID = 0  # shapely's geometry type id of a Point


def local_equidistant(lon: float, lat: float) -> CRS:
    """The azimuthal equidistant projection (metres, WGS84) centred on (lon, lat).

    Distances from the centre are true geodesic distances in this projection.

    Examples
    --------
    >>> local_equidistant(2.967, 19.955).coordinate_operation.method_name
    'Azimuthal Equidistant'
    """
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    )


def _aeqd_buffer(geom: shapely.Geometry, metres: float) -> shapely.Geometry:
    """Buffer one geometry in the local equidistant projection of its centroid."""
    centre = geom.centroid
    crs = local_equidistant(centre.x, centre.y)
    forward = Transformer.from_crs(4326, crs, always_xy=True)
    back = Transformer.from_crs(crs, 4326, always_xy=True)
    local = shapely.transform(geom, lambda xy: np.column_stack(forward.transform(*xy.T)))
    grown = shapely.buffer(local, metres, quad_segs=QUAD_SEGMENTS)
    return shapely.transform(grown, lambda xy: np.column_stack(back.transform(*xy.T)))


def _point_circles(x: np.ndarray, y: np.ndarray, metres: float) -> np.ndarray:
    """Geodesic circles around points: the AEQD buffer of a point, computed directly."""
    k = CIRCLE_VERTICES
    azimuths = np.linspace(0.0, 360.0, k + 1)[:-1]
    n = len(x)
    lons, lats, _ = GEOD.fwd(
        np.repeat(x, k), np.repeat(y, k), np.tile(azimuths, n), np.full(k * n, metres)
    )
    ring = np.stack([lons, lats], axis=1).reshape(n, k, 2)
    ring = np.concatenate([ring, ring[:, :1]], axis=1)  # close each ring
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
    is_point = present & (shapely.get_type_id(values) == POINT_TYPE_ID)
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
