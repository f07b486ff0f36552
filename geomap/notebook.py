"""``geomap.explore`` (here, in a module of another name so that the function is not shadowed
by its module): the standalone incident map of a GeoDataFrame a user already has.

Any point GeoDataFrame works: its columns travel into the popups, and the ACLED-like ones
(``event_type``, ``event_date``, ``time_precision``, ``fatalities``, ``location``,
``admin1``, ``country``, ``notes``, ...) are used for colours, the legend, dates and
popup titles when present. No gazetteer, reading or filtering is involved: the points are
drawn where they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geomap.errors import RenderError

__all__ = ["explore"]

_WGS84 = "EPSG:4326"
_POINT_TYPES = ("Point",)


def _points_frame(gdf: Any) -> Any:
    """Return ``gdf`` in EPSG:4326 with ``latitude``/``longitude`` from its points."""
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise RenderError(f"explore() takes a geopandas GeoDataFrame, got {type(gdf).__name__}; "
                          "use geomap.make_map for a file or a table of incident records")
    try:
        geometry = gdf.geometry
    except AttributeError as err:
        raise RenderError("the GeoDataFrame has no active geometry column") from err
    present = ~(geometry.isna() | geometry.is_empty)
    kinds = set(geometry[present].geom_type)
    if kinds - set(_POINT_TYPES):
        raise RenderError(f"explore() draws points, but the geometry holds {sorted(kinds)}; "
                          "pass gdf.set_geometry(gdf.representative_point()) for areas")
    frame = gdf.copy()
    if frame.crs is not None and not frame.crs.equals(_WGS84):
        frame = frame.to_crs(_WGS84)
    elif frame.crs is None:
        frame = frame.set_crs(_WGS84)  # plain longitude/latitude, as geopandas assumes
    points = frame.geometry
    shown = np.asarray(present)
    frame["longitude"] = np.where(shown, points.x.where(present), np.nan)
    frame["latitude"] = np.where(shown, points.y.where(present), np.nan)
    return frame


def explore(gdf: Any, *, title: str | None = None, tiles: str | None = "default",
            offline: bool = False):
    """Return the standalone map of a point GeoDataFrame, shown inline in Jupyter.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Points (any CRS; none means longitude/latitude), any columns. Rows without a
        geometry are left off the map.
    title : str, optional
        Shown on the map and as the page title.
    tiles : str or None
        The online tile layer over the vector basemap
        (:class:`geomap.map.page.MapOptions`): ``"default"`` offers OpenStreetMap switched
        off, an xyzservices provider name shows that provider, ``None`` leaves it out.
    offline : bool
        No tile layer at all.

    Returns
    -------
    geomap.map.document.Map
        The page: displayed inline by Jupyter, written by ``.save(path)``.

    Raises
    ------
    RenderError
        For something other than a GeoDataFrame of points, or bad options.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"event_type": ["Battles"], "location": ["Gao"]},
    ...                          geometry=[Point(-0.04, 16.27)], crs="EPSG:4326")
    >>> page = explore(frame, title="Gao")
    >>> page.html.startswith("<!DOCTYPE html>"), page.title
    (True, 'Gao')
    """
    from geomap.map.page import MapOptions
    from geomap.pipeline import map_page

    MapOptions(title=title, tiles=tiles, offline=offline)  # bad options fail first
    return map_page(_points_frame(gdf), title=title, tiles=tiles, offline=offline)
