"""The incident schema: the one list of columns that readers, validation, the map payload
and every exporter read.

Column names follow ACLED, so its exports load as they are. Required: a date
(``event_date``) and either a place name (``location``) or coordinates (``latitude`` and
``longitude``). Every other input column travels through untouched; geomap adds the
columns of :data:`DERIVED_COLUMNS`.

Precision is the geocoder's. A row geomap places from its name (no usable coordinates)
has the ``geo_precision`` of its match (1 the town, 2 near or part of a place, 3 an area
or a commune's centre), its ``geocode_method``, ``geocode_score`` and ``geocode_note``
(the method in words: exact name, spelling variant, fuzzy match with its score, a
commune's centre); the ``geo_precision`` the input gave is kept in
``geo_precision_input``. A row that keeps its coordinates keeps its precision:
``geo_precision_input`` always holds the input's value, so there it equals
``geo_precision`` (both empty when the input gave none), and ``geocode_score`` is empty.

Dates keep ACLED's meaning: ``event_date`` is the coded day, ``time_precision`` the code the
input gives (1 the day, 2 the week, 3 the month; 4 a year, geomap's fourth level), or the
precision of the date as written when it gives none; ``date_start`` and ``date_end`` bound
the period the date stands for (:mod:`geomap.incidents.dates`).

Examples
--------
>>> canonical_column(" Lat "), canonical_column("Event Date"), canonical_column("notes")
('latitude', 'event_date', 'notes')
>>> set(MAP_TEXT_COLUMNS) <= set(TEXT_COLUMNS) | set(DERIVED_COLUMNS)
True
"""

from __future__ import annotations

__all__ = [
    "TEXT_COLUMNS",
    "ALIASES",
    "DATE_COLUMN",
    "PLACE_COLUMN",
    "COORDINATE_COLUMNS",
    "HINT_COLUMNS",
    "EVENT_ID_COLUMN",
    "ACTOR_COLUMNS",
    "ROW_COLUMN",
    "DERIVED_COLUMNS",
    "EXPORT_COLUMNS",
    "DATE_COLUMNS",
    "MAP_TEXT_COLUMNS",
    "canonical_column",
]

#: Text columns of the schema: always present (empty when the input lacks them), stripped.
TEXT_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_type", "sub_event_type", "actor1", "actor2", "country",
    "admin1", "admin2", "admin3", "location", "notes", "source", "source_url",
)
#: Other spellings of schema columns (after lower-casing and spaces to underscores).
ALIASES: dict[str, str] = {
    "date": "event_date", "lat": "latitude", "lon": "longitude", "lng": "longitude",
    "long": "longitude", "place": "location", "place_name": "location", "note": "notes",
    "url": "source_url", "type": "event_type", "id": "event_id_cnty",
}
DATE_COLUMN = "event_date"
PLACE_COLUMN = "location"
COORDINATE_COLUMNS: tuple[str, str] = ("latitude", "longitude")
#: The columns a row's place name is looked up with, as :class:`geomap.place.Hints`.
HINT_COLUMNS: tuple[str, ...] = ("country", "admin1", "admin2", "admin3")
#: ACLED's event identifier: "monadic" exports repeat it on one row per actor.
EVENT_ID_COLUMN = "event_id_cnty"
ACTOR_COLUMNS: tuple[str, str] = ("actor1", "actor2")
#: The input row number (from 1) that geomap adds to every record and messages cite.
ROW_COLUMN = "row"
#: Columns geomap computes: the first and last day of the period the date stands for
#: (:func:`geomap.incidents.dates.period_bounds`), the ISO country, how the row was placed
#: (and the precision the input gave), its border distance, and the input row number.
DERIVED_COLUMNS: tuple[str, ...] = (
    "date_start", "date_end", "country_code", "geo_precision_input", "geocoded_name",
    "geocode_method", "geocode_score", "geocode_note", "geocode_rule", "place_id",
    "border_distance_km", "border_pair", "row",
)
#: What the GIS exports write, in this order (``row`` is written as ``input_row``).
EXPORT_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "date_start", "date_end", "time_precision", "event_type",
    "sub_event_type", "actor1", "actor2", "country", "country_code", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "geo_precision_input",
    "fatalities", "notes", "source", "source_url", "geocoded_name", "geocode_method",
    "geocode_score", "geocode_note", "geocode_rule", "place_id", "border_distance_km",
    "border_pair", "row",
)
#: Day columns, written as ISO days by the exporters.
DATE_COLUMNS: tuple[str, ...] = ("event_date", "date_start", "date_end")
#: Text columns the map page carries for popups (``source_url`` is sent apart, split into
#: links and plain text; ``geocode_note`` says how the event was placed).
MAP_TEXT_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_type", "sub_event_type", "actor1", "actor2", "country",
    "country_code", "admin1", "location", "geocoded_name", "geocode_method", "geocode_note",
    "notes", "source", "border_pair",
)


def canonical_column(column: object) -> str:
    """The schema name of an input column: lower case, underscores, aliases resolved."""
    name = str(column).strip().lower().replace(" ", "_")
    return ALIASES.get(name, name)
