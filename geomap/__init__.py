"""geomap: put incidents on a map, offline.

The Python API returns GeoDataFrames; the ``geomap`` command is a thin shell over it.
Maps come as :class:`geomap.Map` (``geomap.explore(gdf)``, or ``make_map(...).map``):
shown inline in Jupyter, written with ``.save(path)``.
The heavy parts (pandas, geopandas) are imported when first used, yet ``dir(geomap)``
and tab completion list every public name.

Examples
--------
>>> import geomap
>>> geomap.default_gazetteer().lookup("Tinzaouaten").place.country_code
'ML'
>>> "load_incidents" in dir(geomap)
True
"""

from __future__ import annotations

import importlib
from typing import Any

from geomap.errors import GeomapError
from geomap.gazetteer import Gazetteer, default_gazetteer
from geomap.place import Hints, Match, Place

__version__ = "0.1.0"

#: Public names imported on first use: name -> (module, attribute or None for the module).
_LAZY: dict[str, tuple[str, str | None]] = {
    "load_incidents": ("geomap.incidents", "load_incidents"),
    "filter_incidents": ("geomap.incidents", "filter_incidents"),
    "export_incidents": ("geomap.export", "export_incidents"),
    "geocode_series": ("geomap.gazetteer.batch", "geocode_series"),
    "prepare": ("geomap.pipeline", "prepare"),
    "make_map": ("geomap.pipeline", "make_map"),
    "export": ("geomap.pipeline", "export"),
    "Filters": ("geomap.pipeline", "Filters"),
    "Map": ("geomap.map.document", "Map"),
    "explore": ("geomap.notebook", "explore"),
    "batch": ("geomap.gazetteer.batch", None),
}

__all__ = ["GeomapError", "Gazetteer", "default_gazetteer", "Hints", "Match", "Place",
           *_LAZY]


def __getattr__(name: str) -> Any:
    """Import the heavy parts (pandas, geopandas) only when they are asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = importlib.import_module(module)
    return value if attribute is None else getattr(value, attribute)


def __dir__() -> list[str]:
    """List the public API, lazy names included (tab completion sees them)."""
    return sorted({*globals(), *__all__})
