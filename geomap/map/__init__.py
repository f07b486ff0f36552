"""The standalone HTML map: folium page, compact data payload, assets, page runtime.

:mod:`~geomap.map.payload` encodes incidents, layers and shared labels compactly and packs
them; :mod:`~geomap.map.page` builds the folium page around them; :mod:`~geomap.map.assets`
inlines Leaflet and joins the page's own runtime; ``templates/`` holds
that runtime: CSS and one JavaScript file per concern (data, popup, markers, controls,
cluster, spider, start); :mod:`~geomap.map.tiles` names the optional online tile layer;
:mod:`~geomap.map.document` holds a finished page (:class:`Map`, shown inline in Jupyter).
The map never reads data files: layers come in as arguments.
"""

from geomap.map.document import Map
from geomap.map.page import ATTRIBUTION, MapOptions, MarkerStyle, build_map, save_map

__all__ = ["ATTRIBUTION", "Map", "MapOptions", "MarkerStyle", "build_map", "save_map"]
