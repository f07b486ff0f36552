"""Locating: rows without coordinates -> a place from the gazetteer.

The rows are resolved together by :func:`geomap.gazetteer.batch.resolve_keys`: each
distinct (location, country, admin1 to admin3) once, unknown countries as a reason, a
commune's certain places helping to place its doubtful ones, and the countries most of the
data is about (:func:`dominant_countries`) as the prior for rows that name none. Rows with
coordinates keep them. Every row ends up placed or in the unresolved table with its reason.

A row geomap places says what the geocoder did: ``geo_precision`` is the match's
(:attr:`geomap.place.Match.precision`: 1 the town, 2 near or part of a place, 3 an area or
a commune's centre), ``geocode_score`` its score and ``geocode_note`` its method in words
(:func:`location_note`); the precision the input gave is kept in ``geo_precision_input``.

Examples
--------
>>> location_note("fuzzy", "Marsi", "Mersi", 0.86)
"placed by the gazetteer: fuzzy match of 'Marsi' -> Mersi (score 0.86)"
>>> location_note("given", "Gao", "", None)
'coordinates given in the input'
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geomap.gazetteer.batch import resolve_keys
from geomap.gazetteer.lookup import Gazetteer
from geomap.incidents.schema import COORDINATE_COLUMNS, HINT_COLUMNS, PLACE_COLUMN, ROW_COLUMN
from geomap.place import Hints, Match

__all__ = [
    "DOMINANT_SHARE",
    "GIVEN_METHOD",
    "GIVEN_RULE",
    "LOCATION_NOTES",
    "NO_NAME_REASON",
    "SCORE_DECIMALS",
    "UNRESOLVED_COLUMNS",
    "dominant_countries",
    "country_codes",
    "place_keys",
    "match_rows",
    "location_note",
    "locate",
]

#: A country that makes up this share of the rows (or more) is a prior for the others.
DOMINANT_SHARE = 0.2
#: ``geocode_method`` and ``geocode_rule`` of a row whose coordinates the input gives.
GIVEN_METHOD = "given"
GIVEN_RULE = "coordinates given in the input"
NO_NAME_REASON = "no coordinates and no location name"
#: ``geocode_note`` of each ``geocode_method``, with the place name as the input wrote it
#: (``query``), the gazetteer's name of the place chosen (``name``) and the match score.
#: Spelling matches (variant, fuzzy) and the area fallback say so, with their score.
LOCATION_NOTES: dict[str, str] = {
    GIVEN_METHOD: GIVEN_RULE,
    "exact": "placed by the gazetteer: exact name, {name}",
    "alias": "placed by the gazetteer: '{query}' is an alternate name of {name}",
    "compact": "placed by the gazetteer: '{query}' -> {name} (same letters, other separators)",
    "variant": "placed by the gazetteer: spelling variant '{query}' -> {name} (score {score})",
    "fuzzy": "placed by the gazetteer: fuzzy match of '{query}' -> {name} (score {score})",
    "area": "placed by the gazetteer at the centre of {name} (no place named '{query}' in "
            "or near it)",
}
#: Decimals of the score a note shows.
SCORE_DECIMALS = 2
_COUNTRY = HINT_COLUMNS[0]
_LATITUDE, _LONGITUDE = COORDINATE_COLUMNS
_PRECISION, _PRECISION_INPUT = "geo_precision", "geo_precision_input"
#: The columns of :func:`locate`'s unresolved table.
UNRESOLVED_COLUMNS: tuple[str, ...] = (ROW_COLUMN, PLACE_COLUMN, _COUNTRY, "reason")


def dominant_countries(codes: Iterable[str | None]) -> tuple[str, ...]:
    """Countries that make up a fifth or more of the rows: the prior for rows without one.

    Examples
    --------
    >>> dominant_countries(["ML", "ML", "BF", None, "ML", "NE", "NE", "NE", "ML", "ML"])
    ('ML', 'NE')
    """
    counts = Counter(c for c in codes if c)
    total = sum(counts.values())
    return tuple(c for c, n in counts.most_common() if total and n / total >= DOMINANT_SHARE)


def country_codes(gaz: Gazetteer, countries: Iterable[str]) -> list[str | None]:
    """The ISO code of each row's country (``None`` if empty or unknown), once per name.

    Examples
    --------
    >>> from geomap.gazetteer.lookup import default_gazetteer
    >>> country_codes(default_gazetteer(), ["Mali", "", "Mali", "bf"])
    ['ML', None, 'ML', 'BF']
    """
    countries = list(countries)
    known = {c: gaz.country_code(c) for c in dict.fromkeys(countries) if c}
    return [known.get(c) if c else None for c in countries]


def place_keys(frame: pd.DataFrame) -> list[tuple[str, Hints]]:
    """Each row's (location, :class:`~geomap.place.Hints`) from the schema's hint columns."""
    hints = [frame[h] if h in frame.columns else [""] * len(frame) for h in HINT_COLUMNS]
    return [(loc, Hints(*given)) for loc, *given in zip(frame[PLACE_COLUMN], *hints, strict=True)]


def match_rows(gaz: Gazetteer, frame: pd.DataFrame, prior: tuple[str, ...]) -> list[Match | None]:
    """The match of each row without coordinates (``None`` for rows that have them)."""
    out: list[Match | None] = [None] * len(frame)
    missing = np.isnan(frame[_LATITUDE].to_numpy(dtype=float))
    keys: dict[int, tuple[str, Hints]] = {}
    for i, key in zip(np.flatnonzero(missing), place_keys(frame[missing]), strict=True):
        if key[0]:
            keys[int(i)] = key
        else:
            out[i] = Match.unresolved(key[0], NO_NAME_REASON)
    found = resolve_keys(gaz, list(dict.fromkeys(keys.values())), prefer=prior)
    for i, key in keys.items():
        out[i] = found[key]
    return out


def location_note(method: str, query: str, name: str, score: float | None) -> str:
    """What the geocoder did with a row, in words (:data:`LOCATION_NOTES`).

    An unknown method is named as it is.

    Examples
    --------
    >>> note = location_note("area", "Dofana", "admin-3 area Soumpi", 0.5)
    >>> print(note)  # doctest: +NORMALIZE_WHITESPACE
    placed by the gazetteer at the centre of admin-3 area Soumpi
    (no place named 'Dofana' in or near it)
    >>> location_note("exact", "Gao", "Gao", 1.0)
    'placed by the gazetteer: exact name, Gao'
    """
    shown = "" if score is None or math.isnan(score) else f"{score:.{SCORE_DECIMALS}f}"
    template = LOCATION_NOTES.get(method, "placed by the gazetteer: {method} match of "
                                          "'{query}' -> {name} (score {score})")
    return template.format(method=method, query=query, name=name, score=shown)


def locate(frame: pd.DataFrame, gaz: Gazetteer) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Place the rows without coordinates; add how each row was placed.

    Adds ``country_code`` (of the row's country, else of its place), ``geocoded_name``,
    ``geocode_method``, ``geocode_score`` (empty for given coordinates), ``geocode_note``
    (:func:`location_note`), ``geocode_rule``, ``place_id`` and ``geo_precision_input``
    (the input's ``geo_precision``). A placed row takes ``latitude``, ``longitude`` and
    ``geo_precision`` from its match; a row with coordinates keeps its own.

    Returns
    -------
    (placed, unresolved)
        The rows with a position, and the others (:data:`UNRESOLVED_COLUMNS`).
    """
    codes = country_codes(gaz, frame[_COUNTRY])
    matches = match_rows(gaz, frame, dominant_countries(codes))
    places = [m.place if m is not None else None for m in matches]
    frame = frame.copy()
    frame["country_code"] = [p.country_code if p is not None and not c else c
                             for c, p in zip(codes, places, strict=True)]
    frame["geocoded_name"] = [p.name if p is not None else "" for p in places]
    frame["geocode_method"] = [m.method if m is not None else GIVEN_METHOD for m in matches]
    frame["geocode_score"] = pd.array([m.score if m is not None and m.place is not None
                                       else None for m in matches], dtype="Float64")
    frame["geocode_note"] = _notes(frame, matches)
    frame["geocode_rule"] = [m.rule if m is not None else GIVEN_RULE for m in matches]
    frame["place_id"] = [p.id if p is not None else "" for p in places]
    frame[_PRECISION_INPUT] = frame[_PRECISION].astype("Int64")
    placed = np.array([p is not None for p in places], dtype=bool)
    if placed.any():
        frame.loc[placed, _LATITUDE] = [p.lat for p in places if p is not None]
        frame.loc[placed, _LONGITUDE] = [p.lon for p in places if p is not None]
        frame.loc[placed, _PRECISION] = [m.precision for m in matches
                                         if m is not None and m.place is not None]
    failed = np.array([m is not None and m.place is None for m in matches], dtype=bool)
    unresolved = frame.loc[failed, list(UNRESOLVED_COLUMNS[:-1])].copy()
    unresolved["reason"] = [m.rule for m in matches if m is not None and m.place is None]
    return frame.loc[~failed], unresolved


def _notes(frame: pd.DataFrame, matches: list[Match | None]) -> list[str]:
    """Each row's :func:`location_note` (empty when unresolved), once per distinct match."""
    notes: dict[tuple[str, str, str, float], str] = {}
    out = []
    for query, m in zip(frame[PLACE_COLUMN], matches, strict=True):
        if m is None:
            out.append(GIVEN_RULE)
        elif m.place is None:
            out.append("")
        else:
            key = (m.method, query, m.place.name, m.score)
            if key not in notes:
                notes[key] = location_note(*key)
            out.append(notes[key])
    return out
