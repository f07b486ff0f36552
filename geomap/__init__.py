"""geomap: put incidents on a map, offline.

The Python API returns GeoDataFrames; the ``geomap`` command is a thin shell over it.

Examples
--------
>>> import geomap
>>> geomap.default_gazetteer().lookup("Tinzaouaten").place.country_code
'ML'
"""

from __future__ import annotations

from geomap.errors import GeomapError
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.place import Match, Place

__all__ = [
    "GeomapError",
    "Gazetteer",
    "default_gazetteer",
    "Match",
    "Place",
    "load_incidents",
    "filter_incidents",
    "export_incidents",
    "prepare",
    "make_map",
    "export",
    "Filters",
]

__version__ = "0.1.0"


def __getattr__(name: str):
    """Import the heavy parts (pandas, geopandas) only when they are asked for."""
    if name in ("load_incidents", "filter_incidents"):
        from geomap.incidents import load as incidents

        return getattr(incidents, name)
    if name == "export_incidents":
        from geomap.export import export_incidents

        return export_incidents
    if name in ("prepare", "make_map", "export", "Filters"):
        from geomap import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")
