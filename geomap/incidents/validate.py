"""Validation: the string table of :mod:`~geomap.incidents.read` -> typed incident records.

Required columns (a date, and a place name or both coordinates), then typed values: dates
(:func:`~geomap.incidents.dates.parse_date`), coordinates, fatalities and geo_precision
(:mod:`~geomap.incidents.numbers`: decimal commas, thousands separators in counts only).
The first bad value, in row order, raises a :class:`~geomap.errors.RowError` naming the
input, the row and the column (:func:`validate_rows` lists them all). ACLED "monadic"
exports, which repeat an event once per actor, are folded into one row per event by
:func:`merge_monadic`: only rows that are the same event (:data:`SAME_EVENT`: the same
id, date, place and fatalities); rows that share an id but differ are all kept, and
:func:`monadic_conflicts` counts them.

Each rule is written once here and shared with :mod:`geomap.incidents.qa`:
:func:`parse_number` (and :func:`parse_coordinates` for the pair), :func:`event_values`,
:func:`monadic_repeats` and :func:`monadic_conflicts`. Values are parsed once per distinct
value, not once per row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from geomap.errors import InputFileError
from geomap.incidents.dates import TIME_PRECISION_UNITS, coded_day, parse_date, period_bounds
from geomap.incidents.numbers import parse_number, parse_whole_number
from geomap.incidents.rejects import bad_values, in_row_order, raise_first
from geomap.incidents.schema import (
    ACTOR_COLUMNS,
    COORDINATE_COLUMNS,
    DATE_COLUMN,
    EVENT_ID_COLUMN,
    PLACE_COLUMN,
    ROW_COLUMN,
    TEXT_COLUMNS,
)

__all__ = [
    "RANGES",
    "WHOLE_NUMBER_COLUMNS",
    "TIME_PRECISIONS",
    "SAME_EVENT",
    "parse_number",
    "parse_whole_number",
    "parse_coordinates",
    "coordinate_problems",
    "validate_rows",
    "require_columns",
    "validate_records",
    "event_values",
    "monadic_repeats",
    "monadic_conflicts",
    "merge_monadic",
    "merge_phrases",
]

_T = TypeVar("_T")
_LATITUDE, _LONGITUDE = COORDINATE_COLUMNS
_ACTOR1, _ACTOR2 = ACTOR_COLUMNS
_FATALITIES, _GEO_PRECISION, _TIME_PRECISION = "fatalities", "geo_precision", "time_precision"

#: The numeric columns and their inclusive ranges.
RANGES: dict[str, tuple[float, float]] = {
    _LATITUDE: (-90.0, 90.0),
    _LONGITUDE: (-180.0, 180.0),
    _FATALITIES: (0.0, 1e7),
    _GEO_PRECISION: (1.0, 3.0),
}
#: Numeric columns that hold counts or codes, never fractions.
WHOLE_NUMBER_COLUMNS: tuple[str, ...] = (_FATALITIES, _GEO_PRECISION)
#: time_precision codes an input may give (ACLED's 1-3 and geomap's 4, a year): a given
#: code is kept, unless the date as written is coarser (``2023-12`` is a month, 3, even
#: when marked 1); any other value is replaced by the written date's precision.
TIME_PRECISIONS: tuple[int, ...] = tuple(TIME_PRECISION_UNITS)
#: What rows sharing an event id must also share to be one event that an ACLED monadic
#: export repeats once per actor: the date (coded day and precision), the place
#: (coordinates when given, else the location) and the fatalities.
SAME_EVENT: tuple[str, ...] = (
    EVENT_ID_COLUMN, DATE_COLUMN, _TIME_PRECISION, _LATITUDE, _LONGITUDE, PLACE_COLUMN,
    _FATALITIES,
)
_BOTH_OR_NEITHER = "empty while the other coordinate is given; give both or neither"
_MERGED_ACTORS = "; "
_EVENT = "event"  # the column of an event's number while merging


def require_columns(frame: pd.DataFrame, name: str) -> None:
    """Raise :class:`InputFileError` unless ``frame`` has a date and a place or coordinates."""
    cols = set(frame.columns)
    missing = []
    if DATE_COLUMN not in cols:
        missing.append(repr(DATE_COLUMN))
    if PLACE_COLUMN not in cols and not set(COORDINATE_COLUMNS) <= cols:
        missing.append(f"{PLACE_COLUMN!r} or {_LATITUDE!r}+{_LONGITUDE!r}")
    if missing:
        found = ", ".join(repr(c) for c in frame.columns if c != ROW_COLUMN) or "none"
        raise InputFileError(
            f"{name}: missing required column {' and '.join(missing)} (found: {found})"
        )


# -- column parsers: each returns its values and its bad ones (rejects.PROBLEM_COLUMNS) --
def _each_distinct(
    frame: pd.DataFrame, column: str, parse: Callable[[object], _T], fill: _T, name: str
) -> tuple[list[_T], np.ndarray, pd.DataFrame]:
    """``parse`` applied once to each distinct value of ``column``.

    Returns the results per distinct value, each row's index into them, and the rows
    whose value ``parse`` refuses (their result is ``fill``), with the reason.
    """
    values = frame[column] if column in frame.columns else pd.Series("", index=frame.index)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results: list[_T] = []
    problems: dict[int, str] = {}
    for k, value in enumerate(uniques):
        try:
            results.append(parse(value))
        except ValueError as err:
            results.append(fill)
            problems[k] = str(err)
    bad = np.isin(codes, list(problems))
    reasons = pd.Series(codes[bad], dtype=int).map(problems).to_numpy(dtype=object)
    return results, codes, bad_values(frame, column, bad, reasons, name)


def _numbers(frame: pd.DataFrame, column: str, name: str) -> tuple[np.ndarray, pd.DataFrame]:
    lo, hi = RANGES[column]
    rule = parse_whole_number if column in WHOLE_NUMBER_COLUMNS else parse_number
    results, codes, error = _each_distinct(frame, column, lambda v: rule(v, lo, hi), math.nan,
                                           name)
    return np.asarray(results, dtype=float)[codes], error


def _coordinates(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray,
                                                          list[pd.DataFrame]]:
    lat, lat_bad = _numbers(frame, _LATITUDE, name)
    lon, lon_bad = _numbers(frame, _LONGITUDE, name)
    bad = np.concatenate([lat_bad[ROW_COLUMN].to_numpy(), lon_bad[ROW_COLUMN].to_numpy()])
    # a coordinate that is not a number is not a missing one
    alone = (np.isnan(lat) != np.isnan(lon)) & ~np.isin(frame[ROW_COLUMN].to_numpy(), bad)
    pair = bad_values(frame, np.where(np.isnan(lon[alone]), _LONGITUDE, _LATITUDE), alone,
                     _BOTH_OR_NEITHER, name)
    return lat, lon, [lat_bad, lon_bad, pair]


def parse_coordinates(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of the rows (NaN where both are empty).

    Raises
    ------
    RowError
        At the first row with a coordinate that is not a number in range, or only one of
        the two.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"row": [1, 2], "latitude": ["16,27", ""], "longitude": ["-0.04", ""]})
    >>> parse_coordinates(t, "t.csv")
    (array([16.27,   nan]), array([-0.04,   nan]))
    """
    lat, lon, problems = _coordinates(frame, name)
    raise_first(problems)
    return lat, lon


def coordinate_problems(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """What :func:`parse_coordinates` refuses, every row of it
    (:data:`~geomap.incidents.rejects.PROBLEM_COLUMNS`)."""
    return in_row_order(_coordinates(frame, name)[2])


def _given_precision(frame: pd.DataFrame) -> np.ndarray:
    """The :data:`TIME_PRECISIONS` code each row gives, 0 where it gives none."""
    if _TIME_PRECISION not in frame.columns:
        return np.zeros(len(frame), dtype=int)
    given = pd.to_numeric(frame[_TIME_PRECISION].astype(str).str.strip(), errors="coerce")
    return given.where(given.isin(TIME_PRECISIONS), 0).to_numpy(dtype=int)


def _dates(frame: pd.DataFrame, name: str) -> tuple[pd.DatetimeIndex, np.ndarray,
                                                    pd.DataFrame]:
    """Each row's coded day and time precision (the given code, or the written date's
    when that is coarser); NaT and the given code (or 0) where the date does not parse."""
    results, codes, error = _each_distinct(frame, DATE_COLUMN, parse_date, (None, None, 0),
                                           name)
    days = pd.to_datetime([None if first is None else coded_day(first, p)
                           for first, _, p in results]).take(codes)
    written = np.array([p for _, _, p in results], dtype=int)[codes]
    return days, np.maximum(written, _given_precision(frame)), error


def validate_records(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Type the records of :func:`~geomap.incidents.read.read_records`.

    The text columns of the schema are added where missing and stripped; ``event_date``
    becomes the coded day (the day as written; the first day of a month or a year, the
    middle of an ISO week: :func:`~geomap.incidents.dates.coded_day`); ``time_precision``
    is ACLED's code as the input gives it, or the written date's precision when the input
    gives none (or a finer one than the date as written); ``date_start`` and ``date_end``
    are the first and last day of the period they stand for
    (:func:`~geomap.incidents.dates.period_bounds`). Coordinates become floats (NaN where
    empty), ``fatalities`` and ``geo_precision`` nullable integers.

    Raises
    ------
    RowError
        At the first bad value, in row order (:func:`validate_rows` returns them all).
    """
    typed, problems = validate_rows(frame, name)
    raise_first([problems])
    return typed


def validate_rows(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`validate_records` that does not stop at a bad value: every row typed (a bad
    value left empty), and every bad value (:data:`~geomap.incidents.rejects.PROBLEM_COLUMNS`),
    by row and, within a row, in column order."""
    frame = frame.copy()
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].astype(str).str.strip() if col in frame.columns else ""
    days, precision, date_bad = _dates(frame, name)
    lat, lon, coordinates_bad = _coordinates(frame, name)
    deaths, deaths_bad = _numbers(frame, _FATALITIES, name)
    geo, geo_bad = _numbers(frame, _GEO_PRECISION, name)
    problems = in_row_order([date_bad, *coordinates_bad, deaths_bad, geo_bad])
    frame[DATE_COLUMN] = days
    frame["date_start"], frame["date_end"] = period_bounds(days, precision)
    frame[_TIME_PRECISION] = precision
    frame[_LATITUDE] = lat
    frame[_LONGITUDE] = lon
    frame[_FATALITIES] = pd.array(deaths, dtype="Float64").astype("Int64")
    frame[_GEO_PRECISION] = pd.array(geo, dtype="Float64").astype("Int64")
    return frame, problems


# -- ACLED monadic exports ---------------------------------------------------------------
def event_values(frame: pd.DataFrame) -> pd.DataFrame:
    """The :data:`SAME_EVENT` columns of records that were not validated, typed as
    :func:`validate_records` types them; a date or a count that does not parse is
    compared as written. Coordinates are taken as they are (:func:`parse_coordinates`).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"row": [1, 2], "event_id_cnty": ["E1", "E1"],
    ...                   "event_date": ["25 August 2024", "2024-08-25"],
    ...                   "fatalities": ["3", "3.0"], "location": ["Gao", "Gao"]})
    >>> monadic_repeats(event_values(t)).tolist()
    [False, True]
    """
    days, precision, _ = _dates(frame, "")
    out = pd.DataFrame({col: frame[col] if col in frame.columns else ""
                        for col in SAME_EVENT}, index=frame.index)
    out[DATE_COLUMN] = out[DATE_COLUMN].where(days.isna(), pd.Series(days, index=frame.index))
    out[_TIME_PRECISION] = precision
    lo, hi = RANGES[_FATALITIES]
    codes, uniques = pd.factorize(out[_FATALITIES], use_na_sentinel=False)
    typed = [_number_or_text(value, lo, hi) for value in uniques]
    out[_FATALITIES] = np.array(typed, dtype=object)[codes]
    return out


def _number_or_text(value: object, lo: float, hi: float) -> object:
    try:  # fatalities: read as validate_records reads them (``1,000`` is 1000)
        return parse_whole_number(value, lo, hi)
    except ValueError:
        return value


def _events(frame: pd.DataFrame) -> pd.Series:
    """Each row's event: a number that rows share when they share a (non-empty) event id
    and the other :data:`SAME_EVENT` values (the place: the coordinates when given, else
    the location); every other row has a number of its own."""
    ids = frame[EVENT_ID_COLUMN]
    shared = (ids.ne("") & ids.duplicated(keep=False)).to_numpy()
    event = np.arange(len(frame)) + len(frame)
    if shared.any():
        keys = pd.DataFrame({col: frame[col].to_numpy()[shared] if col in frame.columns
                             else math.nan for col in SAME_EVENT})
        keys[PLACE_COLUMN] = keys[PLACE_COLUMN].where(keys[_LATITUDE].isna(), "")
        event[shared] = keys.groupby(list(SAME_EVENT), dropna=False, sort=False).ngroup()
    return pd.Series(event, index=frame.index)


def monadic_repeats(frame: pd.DataFrame, *, keep: str | bool = "first") -> pd.Series:
    """Rows that repeat another row of the same event (:data:`SAME_EVENT`).

    Rows with an empty id never repeat. ``keep`` is :meth:`pandas.Series.duplicated`'s:
    ``"first"`` marks every row but the event's first, ``False`` every row of an event
    that has several.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"event_id_cnty": ["E1", "E1", "", "", "E2", "E2"],
    ...                   "location": ["Gao", "Gao", "x", "x", "Kidal", "Bamako"]})
    >>> monadic_repeats(t).tolist()
    [False, True, False, False, False, False]
    >>> monadic_repeats(t, keep=False).tolist()
    [True, True, False, False, False, False]
    """
    return frame[EVENT_ID_COLUMN].ne("") & _events(frame).duplicated(keep=keep)


def monadic_conflicts(frame: pd.DataFrame) -> pd.Series:
    """Rows kept apart: an event's first row, when another event shares its id.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"event_id_cnty": ["E1", "E1", "E1", "E2", "E2"],
    ...                   "location": ["Gao", "Kidal", "Gao", "Gao", "Gao"]})
    >>> monadic_conflicts(t).tolist()
    [True, True, False, False, False]
    """
    ids = frame[EVENT_ID_COLUMN]
    first = ~_events(frame).duplicated()
    return first & ids.ne("") & ids.where(first).duplicated(keep=False)


def merge_phrases(merged: int, conflicts: int) -> list[str]:
    """The words of a summary for the rows merged into their event and those kept apart.

    Examples
    --------
    >>> merge_phrases(2, 3)[0]
    '2 merged into their event (one row per actor)'
    >>> merge_phrases(0, 3)
    ['3 rows share an event id with different date, place or fatalities: kept apart']
    >>> merge_phrases(0, 1)
    ['1 row shares an event id with different date, place or fatalities: kept apart']
    """
    phrases = [f"{merged} merged into their event (one row per actor)"] if merged else []
    if conflicts:
        rows = "1 row shares" if conflicts == 1 else f"{conflicts} rows share"
        phrases.append(f"{rows} an event id with different date, place or fatalities: "
                       "kept apart")
    return phrases


def _joined_actors(named: pd.DataFrame, rank: pd.Series) -> pd.Series:
    """Each event's second and later actors, joined; one column operation per rank."""
    extra = rank.gt(0).to_numpy()
    if not extra.any():
        return pd.Series(dtype=object)
    wide = pd.Series(
        named.loc[extra, _ACTOR1].to_numpy(),
        index=pd.MultiIndex.from_arrays([named.loc[extra, _EVENT].to_numpy(),
                                         rank[extra].to_numpy()]),
    ).unstack()
    others = wide.iloc[:, 0]
    for level in wide.columns[1:]:
        more = wide[level]
        others = others.where(more.isna(), others + _MERGED_ACTORS + more)
    return others


def merge_monadic(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Fold ACLED's one-row-per-actor layout into one row per event.

    Only rows that are the same event merge (:data:`SAME_EVENT`): rows that share an id
    but not the date, place or fatalities are all kept (:func:`monadic_conflicts`). The
    event keeps its first row; its distinct ``actor1`` values become ``actor1`` (the
    first) and, when the row has no ``actor2``, ``actor2`` (the others, ``"; "``-joined).

    Returns
    -------
    (frame, merged)
        The rows kept and how many were folded into them.
    """
    event = _events(frame)
    repeated = frame[EVENT_ID_COLUMN].ne("") & event.duplicated(keep=False)
    if not repeated.any():
        return frame, 0
    rows = pd.DataFrame({_EVENT: event[repeated], _ACTOR1: frame.loc[repeated, _ACTOR1]})
    named = rows[rows[_ACTOR1].ne("")].drop_duplicates()
    rank = named.groupby(_EVENT, sort=False).cumcount()
    first = named[rank.eq(0)].set_index(_EVENT)[_ACTOR1]
    others = _joined_actors(named, rank)
    keep = ~event.duplicated()
    out = frame[keep].copy()
    kept = event[keep]
    grouped = kept.isin(rows[_EVENT].unique())
    out.loc[grouped, _ACTOR1] = kept[grouped].map(first).fillna("")
    joined = kept.map(others)
    fill = joined.notna() & out[_ACTOR2].eq("")
    out.loc[fill, _ACTOR2] = joined[fill]
    return out, int(len(frame) - len(out))
