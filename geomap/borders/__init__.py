"""Borders from Natural Earth: countries, shared land lines, km buffers, distance to border.

:mod:`~geomap.borders.natural_earth` reads the shipped files once;
:mod:`~geomap.borders.layers` serves countries, border lines, the offline basemap and the
country a point falls in; :mod:`~geomap.borders.distance` measures geodesic distances to the
nearest land border; :mod:`~geomap.borders.buffers` grows geometries by kilometres.

Examples
--------
>>> from geomap.borders import distance_to_border
>>> round(float(distance_to_border([-8.0], [12.65])["border_distance_km"][0]))
110
"""

from geomap.borders.buffers import buffer_km
from geomap.borders.distance import distance_to_border
from geomap.borders.layers import (
    BorderLayers,
    basemap_layers,
    border_layers,
    country_of_points,
    land_borders,
    load_countries,
    shared_borders,
)

__all__ = ["BorderLayers", "basemap_layers", "border_layers", "buffer_km", "country_of_points",
           "distance_to_border", "land_borders", "load_countries", "shared_borders"]
