"""Incidents: a table of events -> an incidents GeoDataFrame, every row accounted for.

Read (CSV, JSON, GeoJSON, ACLED exports), validate typed values, place the rows without
coordinates through the gazetteer, filter; :mod:`~geomap.incidents.qa` checks given
coordinates against their place names.

Examples
--------
>>> from geomap.incidents import load_incidents
>>> from geomap.resources import layer_path
>>> load_incidents(layer_path("incidents/algeria_mali.csv")).rows_read
11
"""

from geomap.incidents.load import IncidentLoad, filter_incidents, load_incidents, read_records

__all__ = ["IncidentLoad", "filter_incidents", "load_incidents", "read_records"]
