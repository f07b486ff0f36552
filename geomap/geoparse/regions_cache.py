"""The regions table on disk: plain JSON, never code.

Building the regions table (:mod:`geomap.geoparse.regions`) reads several packages' data
and the borders, which takes tens of seconds; it is kept next to the gazetteer index. The
file holds only data (JSON: strings, numbers, lists), so reading it can never run code,
whoever wrote it. Layout::

    {"format": "geomap-geoparse-regions", "versions": [...],
     "place_fields": ["id", "name", ...],            # the fields of Place, in order
     "places": {"id": [...], "name": [...], ...},    # one column per field
     "names": {"keys": [...], "counts": [...], "places": [...]},
     "abbreviations": {"keys": [...], "counts": [...], "places": [...]},
     "demonyms": {"malian": "ML", ...},
     "country_points": {"ML": [lat, lon], ...}}

A name's places are the next ``counts[i]`` entries of ``places`` (row numbers into the
place columns), in order. JSON writes each float as the shortest text that reads back
as the same float, so the table read is equal to the table written, field for field.
A missing, stale (other ``versions`` or Place fields), truncated or malformed file
reads as ``None``: the caller rebuilds.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from geomap.atomic import atomic_path
from geomap.place import Place

__all__ = ["CACHE_FORMAT", "write_regions_cache", "read_regions_cache"]

log = logging.getLogger(__name__)

CACHE_FORMAT = "geomap-geoparse-regions"
_PLACE_FIELDS = [f.name for f in dataclasses.fields(Place)]
# the tables of Regions that map a key to places, and those that hold plain values
_PLACE_TABLES = ("places", "abbreviations")
_STORED_AS = {"places": "names", "abbreviations": "abbreviations"}
# what a malformed file raises while it is decoded (a truncated file: ValueError)
_MALFORMED = (ValueError, KeyError, TypeError, IndexError, AttributeError)


def write_regions_cache(path: Path, versions: Sequence[Any], tables: Mapping[str, Any]) -> None:
    """Write the regions tables to ``path`` atomically: through a temporary file of a
    unique name in the same folder, moved into place (:func:`geomap.atomic.atomic_path`),
    so that two first runs writing at once never share a file; the last one wins.

    Parameters
    ----------
    path : pathlib.Path
        The cache file.
    versions : sequence
        JSON values (strings, numbers, ``None``) that identify the inputs: the file is
        read back only while they are equal.
    tables : mapping
        The fields of :class:`~geomap.geoparse.regions.Regions`: ``places`` and
        ``abbreviations`` (key -> tuple of Place), ``demonyms`` (key -> code),
        ``country_points`` (code -> (lat, lon)).
    """
    rows: list[Place] = []
    row_of: dict[Place, int] = {}
    doc: dict[str, Any] = {"format": CACHE_FORMAT, "versions": list(versions),
                           "place_fields": _PLACE_FIELDS}
    for table in _PLACE_TABLES:
        keys, counts, refs = [], [], []
        for key, places in tables[table].items():
            keys.append(key)
            counts.append(len(places))
            for place in places:
                if place not in row_of:
                    row_of[place] = len(rows)
                    rows.append(place)
                refs.append(row_of[place])
        doc[_STORED_AS[table]] = {"keys": keys, "counts": counts, "places": refs}
    doc["places"] = {name: [getattr(p, name) for p in rows] for name in _PLACE_FIELDS}
    doc["demonyms"] = dict(tables["demonyms"])
    doc["country_points"] = {code: list(point) for code, point in tables["country_points"].items()}
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def read_regions_cache(path: Path, versions: Sequence[Any]) -> dict[str, Any] | None:
    """Read the tables written by :func:`write_regions_cache`.

    Returns
    -------
    dict or None
        The keyword arguments of :class:`~geomap.geoparse.regions.Regions`, or ``None``
        when the file is missing, was written for other versions, or cannot be decoded.
    """
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        log.warning("the geoparse regions cache %s is unreadable (%s): rebuilding it", path, err)
        return None
    try:
        if doc.get("format") != CACHE_FORMAT or doc.get("versions") != list(versions) \
                or doc.get("place_fields") != _PLACE_FIELDS:
            return None
        return _decode(doc)
    except _MALFORMED as err:
        log.warning("the geoparse regions cache %s is malformed (%s): rebuilding it", path, err)
        return None


def _decode(doc: dict[str, Any]) -> dict[str, Any]:
    columns = doc["places"]
    rows = [Place(*values) for values in zip(*(columns[name] for name in _PLACE_FIELDS),
                                             strict=True)]
    out: dict[str, Any] = {}
    for table in _PLACE_TABLES:
        stored = doc[_STORED_AS[table]]
        refs, at, places = list(map(rows.__getitem__, stored["places"])), 0, {}
        for key, count in zip(stored["keys"], stored["counts"], strict=True):
            places[key] = tuple(refs[at:at + count])
            at += count
        if at != len(refs):
            raise ValueError(f"{table}: {len(refs) - at} place references left over")
        out[table] = places
    demonyms = doc["demonyms"]
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in demonyms.items()):
        raise TypeError("demonyms must map strings to strings")
    out["demonyms"] = demonyms
    out["country_points"] = {code: (float(lat), float(lon))
                             for code, (lat, lon) in doc["country_points"].items()}
    return out
