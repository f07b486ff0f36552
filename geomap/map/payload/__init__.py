"""The data of a map page: incidents and layers encoded compactly, then packed for the page.

One module per step: :mod:`~geomap.map.payload.cells` cleans untrusted cells and
dictionary-encodes text columns; :mod:`~geomap.map.payload.events` turns incidents into
column arrays (fixed-point coordinates, event-type groups, day numbers, ...);
:mod:`~geomap.map.payload.layers` turns border and basemap layers into GeoJSON;
:mod:`~geomap.map.payload.labels` holds the words Python and the page share (month names,
precision wording, :func:`format_event_date`); :mod:`~geomap.map.payload.record` assembles
the whole record; :mod:`~geomap.map.payload.packing` packs it (JSON, raw deflate,
base64: inert anywhere in HTML). Every text of the input is untrusted; it reaches the page
only inside the packed data and then only as DOM text.
"""

from geomap.map.payload.events import (
    COORD_SCALE,
    EVENT_GROUPS,
    OTHER_GROUP,
    EventGroup,
    encode_incidents,
    event_group_index,
)
from geomap.map.payload.labels import MONTH_NAMES, format_event_date, page_labels
from geomap.map.payload.layers import encode_basemap, encode_borders, encode_layer
from geomap.map.payload.packing import pack, to_escaped_json, unpack
from geomap.map.payload.record import page_record

__all__ = [
    "COORD_SCALE",
    "EVENT_GROUPS",
    "MONTH_NAMES",
    "OTHER_GROUP",
    "EventGroup",
    "encode_basemap",
    "encode_borders",
    "encode_incidents",
    "encode_layer",
    "event_group_index",
    "format_event_date",
    "pack",
    "page_labels",
    "page_record",
    "to_escaped_json",
    "unpack",
]
