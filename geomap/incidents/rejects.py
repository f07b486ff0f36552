"""Bad rows: the values validation refuses, one table for all, and the rows set aside.

Validation (:mod:`~geomap.incidents.validate`) finds every bad value of a column at once
and describes them as a table of :data:`PROBLEM_COLUMNS` (:func:`bad_values`). What then
happens depends on :data:`ON_BAD_ROWS`: ``"strict"`` (the default) stops at the first bad
value in row order (:func:`raise_first`: one line naming the file, the row and the
column); ``"skip"`` sets the bad rows aside (:func:`rejected_rows`: one line per row, its
problems and its cells as read) and goes on with the others, which a command writes to
``<output stem>.rejected.csv``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> records = pd.DataFrame({"row": [1, 2], "event_date": ["2024-08-25", "25/13/2024"]})
>>> found = bad_values(records, "event_date", np.array([False, True]), "no such month", "a.csv")
>>> rejected_rows(records, found).to_csv(index=False).splitlines()
['file,row,column,reason,event_date', 'a.csv,2,event_date,no such month,25/13/2024']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geomap.errors import RowError
from geomap.incidents.schema import ROW_COLUMN

__all__ = ["ON_BAD_ROWS", "STRICT", "SKIP", "PROBLEM_COLUMNS", "SEPARATOR", "bad_values",
           "in_row_order", "raise_first", "rejected_rows", "check_on_bad_rows",
           "rejected_phrases", "no_problems"]

#: What a command does with a row whose value validation refuses: stop (the default), or
#: set the row aside and go on.
STRICT, SKIP = "strict", "skip"
ON_BAD_ROWS: tuple[str, ...] = (STRICT, SKIP)
#: The columns of a table of bad values: the input, the row, the column and what is wrong.
PROBLEM_COLUMNS: tuple[str, ...] = ("file", ROW_COLUMN, "column", "reason")
#: Joins the columns and the reasons of a rejected row that has several bad values.
SEPARATOR = "; "


def check_on_bad_rows(on_bad_rows: str) -> str:
    """Return ``on_bad_rows`` if it is one of :data:`ON_BAD_ROWS`, else raise ValueError."""
    if on_bad_rows not in ON_BAD_ROWS:
        raise ValueError(f"on_bad_rows must be one of {', '.join(ON_BAD_ROWS)}, "
                         f"got {on_bad_rows!r}")
    return on_bad_rows


def no_problems() -> pd.DataFrame:
    """An empty table of :data:`PROBLEM_COLUMNS` (what strict validation leaves aside)."""
    return pd.DataFrame(columns=list(PROBLEM_COLUMNS))


def bad_values(frame: pd.DataFrame, column: object, bad: np.ndarray, reasons: object,
               name: str) -> pd.DataFrame:
    """The rows of ``frame`` where ``bad`` holds as a table of :data:`PROBLEM_COLUMNS`.

    ``column`` and ``reasons``: one for all those rows, or one per row.
    """
    rows = frame[ROW_COLUMN].to_numpy()[bad] if bad.any() else np.zeros(0, dtype=int)
    return pd.DataFrame({"file": name, ROW_COLUMN: rows, "column": column, "reason": reasons},
                        columns=list(PROBLEM_COLUMNS))


def in_row_order(problems: list[pd.DataFrame]) -> pd.DataFrame:
    """The problems of several columns as one table: by row and, within a row, in the
    order of the list."""
    found = [p for p in problems if len(p)]
    if not found:
        return problems[0].iloc[:0] if problems else no_problems()
    return pd.concat(found, ignore_index=True).sort_values(ROW_COLUMN, kind="stable",
                                                           ignore_index=True)


def raise_first(problems: list[pd.DataFrame]) -> None:
    """Raise the :class:`RowError` of the earliest row; within a row, of the first column
    in the order of the list."""
    found = in_row_order(problems)
    if len(found):
        file, row, column, reason = found.iloc[0][list(PROBLEM_COLUMNS)]
        raise RowError(file, int(row), column, reason)


def rejected_rows(records: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """One line per row that has a problem: :data:`PROBLEM_COLUMNS` (several columns and
    reasons of a row joined by :data:`SEPARATOR`), then the row's cells as read.

    ``records`` are the rows as :func:`~geomap.incidents.read.read_records` returns them
    (strings, ``row`` numbering them); a column of theirs whose name is one of the
    :data:`PROBLEM_COLUMNS` is written as ``input_<name>``.
    """
    joined = problems.groupby(ROW_COLUMN, sort=True).agg(
        file=("file", "first"), column=("column", SEPARATOR.join),
        reason=("reason", SEPARATOR.join)).reset_index()
    cells = records[records[ROW_COLUMN].isin(joined[ROW_COLUMN])]
    cells = cells.rename(columns={c: f"input_{c}" for c in PROBLEM_COLUMNS
                                  if c != ROW_COLUMN and c in cells.columns})
    out = joined[list(PROBLEM_COLUMNS)].merge(cells, on=ROW_COLUMN, how="left")
    return out.reset_index(drop=True)


def rejected_phrases(rejected: int, file: str = "") -> list[str]:
    """The words of a summary for the rows set aside, and where they went.

    Examples
    --------
    >>> rejected_phrases(2, "out.rejected.csv"), rejected_phrases(0, "x")
    (['2 rejected -> out.rejected.csv'], [])
    """
    if not rejected:
        return []
    return [f"{rejected} rejected" + (f" -> {file}" if file else "")]
