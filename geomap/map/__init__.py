"""The standalone HTML map: folium page, compact data payload, assets, page runtime.

:mod:`~geomap.map.payload` encodes incidents and layers compactly and packs them;
:mod:`~geomap.map.page` builds the folium page around them; :mod:`~geomap.map.assets`
brings Leaflet (CDN links or inlined); ``templates/`` holds the page's own JavaScript and
CSS. The map never reads data files: layers come in as arguments.
"""

from geomap.map.page import ATTRIBUTION, MapOptions, MarkerStyle, build_map, save_map

__all__ = ["ATTRIBUTION", "MapOptions", "MarkerStyle", "build_map", "save_map"]
