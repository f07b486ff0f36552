"""Cells of an untrusted table made ready for the page: clean text, numbers, day numbers.

Text columns are dictionary-encoded: ``{"v": distinct values, "i": one code per row}``,
code -1 for a missing value; ``"i"`` is left out when every row has its own value, in
order (as notes usually do). Every function works on whole columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "EPOCH",
    "clean_text",
    "clean_texts",
    "column_or_missing",
    "day_numbers",
    "dictionary_column",
    "factorize_text",
    "nullable_ints",
    "recode",
    "to_numbers",
]

#: Day 0 of the page's day numbers.
EPOCH = np.datetime64("1970-01-01", "D")
#: The code of a missing value in a dictionary-encoded column.
MISSING_CODE = -1


def clean_text(value: Any) -> str | None:
    """Return an untrusted cell as a valid, stripped Unicode string, or ``None`` when missing.

    Examples
    --------
    >>> clean_text("  Gao "), clean_text(float("nan")), clean_text("   "), clean_text(3)
    ('Gao', None, None, '3')
    >>> clean_text("broken \\ud800 text")
    'broken ? text'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = value if isinstance(value, str) else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", errors="replace").decode("utf-8")
    return text.strip() or None


def clean_texts(values: Any) -> list[str | None]:
    """:func:`clean_text` of many values; fast when all are valid strings.

    Examples
    --------
    >>> clean_texts(["a ", "", None])
    ['a', None, None]
    """
    values = list(values)
    if all(type(v) is str for v in values):
        try:
            "".join(values).encode("utf-8")  # no lone surrogates anywhere
        except UnicodeEncodeError:
            pass
        else:
            return [v.strip() or None for v in values]
    return [clean_text(v) for v in values]


def column_or_missing(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return ``frame[name]``, or a column of ``None`` when the frame has no such column.

    Examples
    --------
    >>> column_or_missing(pd.DataFrame({"a": [1]}), "b").tolist()
    [None]
    """
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def factorize_text(series: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Return codes (-1 missing) and distinct cleaned values; each value cleaned once.

    Values that clean to the same text share one code.

    Examples
    --------
    >>> codes, values = factorize_text(pd.Series(["Gao", " Gao", None, "Kidal"]))
    >>> codes.tolist(), values
    ([0, 0, -1, 1], ['Gao', 'Kidal'])
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    cleaned = np.empty(len(uniques), dtype=object)  # an object array: no per-item pyarrow
    cleaned[:] = clean_texts(np.asarray(uniques, dtype=object))
    # cleaned texts numbered in order of first appearance, None missing (in C, not a loop)
    again, distinct = pd.factorize(cleaned, use_na_sentinel=True)
    remap = np.empty(len(cleaned) + 1, dtype=np.int64)
    remap[-1] = MISSING_CODE  # pandas' missing code -1 indexes this last slot
    remap[:-1] = np.where(again < 0, MISSING_CODE, again)
    return remap[codes], list(distinct)


def recode(codes: np.ndarray, values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Drop the values no code uses and renumber the codes.

    Examples
    --------
    >>> codes, values = recode(np.array([2, -1, 2]), ["a", "b", "c"])
    >>> codes.tolist(), values
    ([0, -1, 0], ['c'])
    """
    used = np.unique(codes[codes >= 0])
    remap = np.full(len(values) + 1, MISSING_CODE, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return remap[codes], [values[k] for k in used.tolist()]


def dictionary_column(codes: np.ndarray, values: list[Any]) -> dict[str, Any]:
    """``{"v": values, "i": codes}``; ``"i"`` omitted when the codes are 0, 1, 2, ...

    Examples
    --------
    >>> dictionary_column(np.array([0, 1]), ["a", "b"])
    {'v': ['a', 'b']}
    >>> dictionary_column(np.array([0, -1, 0]), ["a"])
    {'v': ['a'], 'i': [0, -1, 0]}
    """
    if len(values) == len(codes) and np.array_equal(codes, np.arange(len(codes))):
        return {"v": values}
    return {"v": values, "i": codes.tolist()}


def nullable_ints(values: np.ndarray) -> list[int | None]:
    """Finite floats as ints, NaN as ``None``.

    Examples
    --------
    >>> nullable_ints(np.array([1.0, np.nan, 3.0]))
    [1, None, 3]
    """
    finite = np.isfinite(values)
    ints = np.where(finite, values, 0).astype(np.int64).tolist()
    if finite.all():
        return ints
    return [v if ok else None for v, ok in zip(ints, finite.tolist(), strict=True)]


def to_numbers(series: pd.Series) -> np.ndarray:
    """Return a column as float64, NaN where a cell is no number.

    Examples
    --------
    >>> to_numbers(pd.Series(["3", "x", None])).tolist()
    [3.0, nan, nan]
    """
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def day_numbers(series: pd.Series) -> np.ndarray:
    """Day numbers since 1970-01-01 (NaN for missing or unreadable dates).

    Examples
    --------
    >>> day_numbers(pd.Series(["1970-01-02", None, "1969-12-31"])).tolist()
    [1.0, nan, -1.0]
    """
    stamps = pd.to_datetime(series, errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    days = stamps.to_numpy("datetime64[ns]").astype("datetime64[D]")
    out = (days - EPOCH).astype("float64")
    out[np.isnat(days)] = np.nan
    return out
