"""The standalone HTML map: folium page, compact data payload, assets, page runtime.

:mod:`~geomap.map.payload` encodes incidents, layers and shared labels compactly and packs
them; :mod:`~geomap.map.page` builds the folium page around them; :mod:`~geomap.map.assets`
brings Leaflet (CDN links or inlined) and joins the page's own runtime; ``templates/`` holds
that runtime: CSS and one JavaScript file per concern (data, popup, markers, controls,
cluster, spider, start). The map never reads data files: layers come in as arguments.
"""

from geomap.map.page import ATTRIBUTION, MapOptions, MarkerStyle, build_map, save_map

__all__ = ["ATTRIBUTION", "MapOptions", "MarkerStyle", "build_map", "save_map"]
