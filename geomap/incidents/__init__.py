"""Incidents: a table of events -> an incidents GeoDataFrame, every row accounted for.

The flow, one module a step: :mod:`~geomap.incidents.read` (CSV, JSON, GeoJSON or a
DataFrame -> a table of strings), :mod:`~geomap.incidents.validate` (required columns,
typed values, ACLED monadic rows merged), :mod:`~geomap.incidents.locate` (rows without
coordinates -> the gazetteer), :mod:`~geomap.incidents.load` (the three together) and
:mod:`~geomap.incidents.filters`. :mod:`~geomap.incidents.schema` lists the columns,
:mod:`~geomap.incidents.dates` the date forms, and :mod:`~geomap.incidents.qa` checks given
coordinates against their place names.

Examples
--------
>>> from geomap.incidents import load_incidents
>>> from geomap.resources import layer_path
>>> load_incidents(layer_path("incidents/algeria_mali.csv")).rows_read
11
"""

from geomap.incidents.filters import filter_incidents
from geomap.incidents.load import IncidentLoad, load_incidents
from geomap.incidents.locate import dominant_countries
from geomap.incidents.read import Source, read_records
from geomap.incidents.validate import merge_monadic, validate_records

__all__ = [
    "IncidentLoad",
    "Source",
    "load_incidents",
    "filter_incidents",
    "read_records",
    "validate_records",
    "merge_monadic",
    "dominant_countries",
]
