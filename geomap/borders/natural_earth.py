"""The shipped Natural Earth files, read once: cached frames, I/O errors translated.

``scripts/build_borders.py`` prepares Natural Earth admin-0 countries at 1:10m (public
domain) into ``layers/borders/``: a zipped GeoPackage with the ``countries`` and
``land_borders`` layers, and a light gzipped GeoJSON basemap. Every frame here is
EPSG:4326 with (lon, lat) geometry, cached for the process: callers that hand frames to
users copy them first (:mod:`geomap.borders.layers`).

Every query of these layers by points takes its coordinates through
:func:`lonlat_arrays`, so that the country lookup and the border distance reject bad
input with the same words.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from geomap.errors import BorderError, GeomapError
from geomap.resources import layer_path

__all__ = [
    "LIGHT_FILE",
    "MAIN_FILE",
    "MAIN_MEMBER",
    "basemap_frames",
    "border_lines",
    "countries",
    "country_tree",
    "prepared_countries",
    "lonlat_arrays",
    "read_main",
]

MAIN_FILE = "borders/ne_10m_borders.gpkg.zip"
MAIN_MEMBER = "ne_10m_borders.gpkg"
LIGHT_FILE = "borders/ne_world_light.geojson.gz"
MAX_LAT = 90.0
MAX_LON = 180.0


def read_main(layer: str) -> gpd.GeoDataFrame:
    """Read one layer of the shipped GeoPackage, translating I/O errors.

    Raises
    ------
    BorderError
        If the file is missing or the layer cannot be read.
    """
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
def countries() -> gpd.GeoDataFrame:
    """The ``countries`` layer (shared, cached: do not modify it)."""
    return read_main("countries")


@lru_cache(maxsize=1)
def border_lines() -> gpd.GeoDataFrame:
    """The ``land_borders`` layer (shared, cached: do not modify it)."""
    return read_main("land_borders")


@lru_cache(maxsize=1)
def country_tree() -> shapely.STRtree:
    """A spatial index over the country polygons, in the order of :func:`countries`."""
    return shapely.STRtree(countries().geometry.values)


@lru_cache(maxsize=1)
def prepared_countries() -> np.ndarray:
    """The country polygons, in the order of :func:`countries`, prepared for fast
    point-in-polygon tests (:func:`shapely.intersects_xy` on a prepared polygon is
    logarithmic in its vertices, not linear)."""
    geoms = np.array(countries().geometry.values, dtype=object)
    shapely.prepare(geoms)
    return geoms


@lru_cache(maxsize=1)
def basemap_frames() -> dict[str, gpd.GeoDataFrame]:
    """The light basemap, one frame per ``layer`` value (shared, cached: do not modify).

    Raises
    ------
    BorderError
        If the file is missing or unreadable.
    """
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


def lonlat_arrays(lon: object, lat: object) -> tuple[np.ndarray, np.ndarray]:
    """Return 1-D float arrays, rejecting bad shapes and out-of-range coordinates.

    Missing values (NaN) pass through; callers leave their results missing.

    Raises
    ------
    BorderError
        If the arrays differ in shape or a coordinate is out of range.

    Examples
    --------
    >>> x, y = lonlat_arrays(2.5, [19.9])
    >>> x.tolist(), y.tolist()
    ([2.5], [19.9])
    >>> lonlat_arrays([0.0], [95.0])
    Traceback (most recent call last):
    ...
    geomap.errors.BorderError: latitude 95.0 at position 0 is outside -90..90
    """
    x = np.atleast_1d(np.asarray(lon, dtype=float))
    y = np.atleast_1d(np.asarray(lat, dtype=float))
    if x.ndim != 1 or x.shape != y.shape:
        raise BorderError(
            f"lon and lat must be 1-D and of equal length, got shapes {x.shape} and {y.shape}"
        )
    bad_lat = np.flatnonzero(np.abs(y) > MAX_LAT)
    bad_lon = np.flatnonzero(np.abs(x) > MAX_LON)
    if bad_lat.size:
        i = bad_lat[0]
        raise BorderError(f"latitude {y[i]} at position {i} is outside -90..90")
    if bad_lon.size:
        i = bad_lon[0]
        raise BorderError(f"longitude {x[i]} at position {i} is outside -180..180")
    return x, y
