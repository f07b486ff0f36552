"""Borders from Natural Earth: countries, shared land lines, km buffers, distance to border.

Examples
--------
>>> from geomap.borders import distance_to_border
>>> round(float(distance_to_border([-8.0], [12.65])["border_distance_km"][0]))
110
"""

from geomap.borders.layers import (
    BorderLayers,
    basemap_layers,
    border_layers,
    buffer_km,
    country_of_points,
    distance_to_border,
    land_borders,
    load_countries,
    shared_borders,
)

__all__ = ["BorderLayers", "basemap_layers", "border_layers", "buffer_km", "country_of_points",
           "distance_to_border", "land_borders", "load_countries", "shared_borders"]
