"""What the commands print, tested without running them."""

from __future__ import annotations

from types import SimpleNamespace

from geomap.cli.format import import_line, match_line, removed_line, sources_table
from geomap.place import Match


def test_sources_table_aligns_columns() -> None:
    sources = [SimpleNamespace(name="geonames-cities500", kind="default", count=212_345,
                               imported_at="2025-01-01", modified=""),
               SimpleNamespace(name="ML.txt", kind="geonames", count=10,
                               imported_at="2025-01-02", modified="2022-06-14")]
    lines = sources_table(sources)
    assert lines[0].split() == ["source", "kind", "places", "imported", "modified"]
    assert lines[1].split() == ["geonames-cities500", "default", "212,345", "2025-01-01"]
    assert lines[1].index("212,345") + len("212,345") == lines[2].index("10") + 2  # right
    assert all(line == line.rstrip() for line in lines)


def test_import_and_remove_lines() -> None:
    info = SimpleNamespace(name="ML.txt", kind="geonames", count=1234, modified="2022-06-14")
    assert import_line(info) == "imported ML.txt: 1,234 places (geonames, modified 2022-06-14)"
    assert import_line(SimpleNamespace(name="a.csv", kind="csv", count=3, modified="")) == \
        "imported a.csv: 3 places (csv)"
    assert removed_line(info) == "removed ML.txt (1,234 places)"


def test_unresolved_match_line() -> None:
    line = match_line(Match.unresolved("Qwxzvbn", "no place of that name"))
    assert line == "Qwxzvbn\tunresolved: no place of that name"
