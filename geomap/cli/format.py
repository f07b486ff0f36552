"""What the commands print: one line a match, the sources table, the one-line summaries.

Plain functions from values to text, so that commands only call and echo, and the text can
be tested without running a command. Nothing heavy is imported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geomap.place import Match

__all__ = ["geocoded_file_line", "hint_line", "import_line", "match_line", "removed_line",
           "summary_lines", "table_lines", "sources_table"]

SOURCE_HEADER = ("source", "kind", "places", "imported", "modified")
RIGHT_ALIGNED = frozenset({2})  # the place counts
COLUMN_GAP = "  "


def match_line(match: Match) -> str:
    """One tab-separated line for a :class:`geomap.place.Match` (``geocode NAMES``)."""
    if not match.resolved:
        return f"{match.query}\tunresolved: {match.rule}"
    p = match.place
    return (f"{match.query}\t{p.name}, {p.country_code}\t{p.lat:.5f}, {p.lon:.5f}\t"
            f"precision {match.precision}\t{match.method}: {match.rule}\t[{p.source}]")


def geocoded_file_line(input_path: str | Path, output: str | Path, rows: int, unresolved: int,
                       areas: int) -> str:
    """The summary of ``geocode --input``.

    Examples
    --------
    >>> geocoded_file_line("a.csv", "b.csv", 10, 2, 1)
    "a.csv: 10 rows, 8 geocoded (1 at their commune's centre), 2 unresolved -> b.csv"
    """
    placed = f" ({areas} at their commune's centre)" if areas else ""
    return (f"{input_path}: {rows} rows, {rows - unresolved} geocoded{placed}, "
            f"{unresolved} unresolved -> {output}")


def hint_line(hint: object) -> str:
    """The line under a summary that gives advice (:mod:`geomap.gazetteer.advice`).

    Examples
    --------
    >>> hint_line("import GeoNames")
    'hint: import GeoNames'
    """
    return f"hint: {hint}"


def summary_lines(summary: str, hint: object = "") -> list[str]:
    """A command's summary, and its :func:`hint_line` when there is advice.

    Examples
    --------
    >>> summary_lines("a.csv: 3 rows", "")
    ['a.csv: 3 rows']
    """
    return [summary, hint_line(hint)] if hint else [summary]


def table_lines(rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> list[str]:
    """Columns padded to their widest cell, ``right`` ones right-aligned, trailing blanks cut.

    Examples
    --------
    >>> table_lines([("a", "n"), ("bbb", "10")], right={1})
    ['a     n', 'bbb  10']
    """
    right = set(right)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [COLUMN_GAP.join(v.rjust(w) if i in right else v.ljust(w)
                            for i, (v, w) in enumerate(zip(r, widths, strict=True))).rstrip()
            for r in rows]


def sources_table(sources: Iterable[Any]) -> list[str]:
    """The lines of ``gazetteer info``: one row per source of the index, under a header."""
    rows = [SOURCE_HEADER]
    rows += [(s.name, s.kind, f"{s.count:,}", s.imported_at, s.modified) for s in sources]
    return table_lines(rows, RIGHT_ALIGNED)


def import_line(info: Any) -> str:
    """The line ``gazetteer import`` prints for each imported source."""
    modified = f", modified {info.modified}" if info.modified else ""
    return f"imported {info.name}: {info.count:,} places ({info.kind}{modified})"


def removed_line(info: Any) -> str:
    """The line ``gazetteer remove`` prints."""
    return f"removed {info.name} ({info.count:,} places)"
