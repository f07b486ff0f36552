"""Cells safe to hand on: CSV files a spreadsheet opens without running them, text without NUL.

Every CSV geomap writes (exports, ``<stem>.unresolved.csv``, ``geocode --input``, ``check``,
``extract``) goes through :func:`write_csv` or :func:`csv_text`, which apply OWASP's CSV
injection rule (:func:`neutralise_formulas`): a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a single quote in front, so that Excel,
LibreOffice and Google Sheets show it as text instead of evaluating it as a formula. Plain
numbers are left alone: a negative longitude ``-3.5`` stays a number. ``raw=True`` (the
``--raw-csv`` flag) writes the cells as they are.

Every writer of :mod:`geomap.export` also drops NUL bytes from text cells
(:func:`strip_nul`; GeoPackage would cut a string at its first NUL) and says how many.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"notes": ["=HYPERLINK(\\"http://x\\")", "-3.5", "+ok"], "n": [-1, 2, 3]})
>>> print(csv_text(table), end="")
notes,n
"'=HYPERLINK(""http://x"")",-1
-3.5,2
'+ok,3
>>> print(csv_text(table, raw=True).splitlines()[1])
"=HYPERLINK(""http://x"")",-1
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geomap.atomic import atomic_path

log = logging.getLogger(__name__)

__all__ = ["FORMULA_PREFIXES", "NEUTRALISER", "NUL", "is_number", "neutralise_formulas",
           "strip_nul", "csv_text", "write_csv"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: What goes in front of such a cell: spreadsheets show what follows it as text.
NEUTRALISER = "'"
NUL = "\x00"
#: A plain number: sign, digits with one decimal point or comma, an exponent.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def is_number(text: str) -> bool:
    """Whether ``text`` is a plain number (which a spreadsheet reads as a number).

    Examples
    --------
    >>> [is_number(t) for t in ("-3.5", "+12", "-1e-3", "-12,5", "-", "-1+2", "-3.5 ")]
    [True, True, True, True, False, False, False]
    """
    return _NUMBER.fullmatch(text) is not None


def _text_columns(frame: pd.DataFrame) -> list[int]:
    """Positions of the columns that may hold text (object or string dtype)."""
    return [i for i, dtype in enumerate(frame.dtypes)
            if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)]


def _matching(values: pd.Series, test: Callable[[Any], pd.Series]) -> np.ndarray:
    """Which cells are text that ``test`` (vectorised ``.str`` methods) accepts."""
    try:
        accessor = values.str
    except AttributeError:  # an object column holding no text
        return np.zeros(len(values), dtype=bool)
    return test(accessor).eq(True).to_numpy(dtype=bool)  # missing and non-text: False


def _replaced(values: pd.Series, where: np.ndarray, cells: pd.Series) -> pd.Series:
    """A copy of ``values`` with the cells at the positions ``where`` set to ``cells``."""
    out = values.copy()
    out.iloc[where] = cells.to_numpy(dtype=object)
    return out


def _neutralised(values: pd.Series) -> pd.Series | None:
    """``values`` with every risky text cell prefixed, or ``None`` if none is."""
    first = _matching(values, lambda text: text.startswith(FORMULA_PREFIXES))
    if not first.any():
        return None
    candidates = values[first].astype(str)  # few: only the cells that start that way
    risky = ~candidates.str.fullmatch(_NUMBER.pattern).to_numpy(dtype=bool)
    if not risky.any():
        return None
    return _replaced(values, np.flatnonzero(first)[risky], NEUTRALISER + candidates[risky])


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot run as formulas.

    A text cell that starts with one of :data:`FORMULA_PREFIXES` and is not a plain number
    (:func:`is_number`) gets :data:`NEUTRALISER` in front; numbers, dates and empty cells
    are unchanged, and so is ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"a": ["@SUM(A1)", "\\tx", "-", "ok", ""], "b": [-1.5] * 5})
    >>> neutralise_formulas(t)["a"].tolist()
    ["'@SUM(A1)", "'\\tx", "'-", 'ok', '']
    """
    out = frame.copy()
    for position in _text_columns(frame):
        safe = _neutralised(frame.iloc[:, position])
        if safe is not None:
            out.isetitem(position, safe)
    names = pd.Series([str(c) for c in frame.columns], dtype=object)
    safe_names = _neutralised(names)
    if safe_names is not None:
        out.columns = list(safe_names)
    return out


def strip_nul(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``frame`` without NUL bytes in its text cells, and how many were removed.

    ``frame`` itself is returned when it holds none.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"a": ["x\\x00y\\x00", "z", ""], "n": [1, 2, 3]})
    >>> clean, count = strip_nul(table)
    >>> clean["a"].tolist(), count
    (['xy', 'z', ''], 2)
    """
    out, total = frame, 0
    for position in _text_columns(frame):
        values = frame.iloc[:, position]
        found = _matching(values, lambda text: text.contains(NUL, regex=False))
        if not found.any():
            continue
        cells = values[found].astype(str)
        total += int(cells.str.count(NUL).sum())
        if out is frame:
            out = frame.copy()
        out.isetitem(position, _replaced(values, np.flatnonzero(found),
                                         cells.str.replace(NUL, "", regex=False)))
    return out, total


def _line_end(frame: pd.DataFrame) -> str:
    """``\\n``, or RFC 4180's ``\\r\\n`` when a text cell holds a carriage return: the
    csv module quotes only cells holding a character of the line end, and an unquoted
    CR splits the row for most readers."""
    names = pd.Series([str(c) for c in frame.columns], dtype=object)
    for values in (names, *(frame.iloc[:, i] for i in _text_columns(frame))):
        if _matching(values, lambda text: text.contains("\r", regex=False)).any():
            return "\r\n"
    return "\n"


def _ready(frame: pd.DataFrame, raw: bool, where: str) -> pd.DataFrame:
    """``frame`` without NUL bytes (their count logged as a warning, naming ``where``) and,
    unless ``raw``, with formulas neutralised."""
    table, nul = strip_nul(frame)
    if nul:
        log.warning("%s: %d NUL byte(s) stripped from text cells", where, nul)
    return table if raw else neutralise_formulas(table)


def csv_text(frame: pd.DataFrame, *, raw: bool = False) -> str:
    """``frame`` as CSV text (no index), NUL bytes stripped, formulas neutralised unless
    ``raw``."""
    table = _ready(frame, raw, "<stdout>")
    return table.to_csv(index=False, lineterminator=_line_end(table))


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], *, raw: bool = False) -> Path:
    """Write ``frame`` (no index, UTF-8) to ``path`` atomically, NUL bytes stripped (a
    warning counts them), formulas neutralised unless ``raw``; return the path.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_csv(pd.DataFrame({"a": ["=1+2", "-2"]}), out)
    >>> out.read_text(encoding="utf-8").splitlines()
    ['a', "'=1+2", '-2']
    """
    table = _ready(frame, raw, str(path))
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8", lineterminator=_line_end(table))
    return Path(path)
