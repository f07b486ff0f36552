"""``geomap gazetteer import | info | remove``: the commands' wiring, with a stand-in index.

The real index is exercised end to end in tests/gazetteer/test_importer.py.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import geomap.gazetteer.importer as importer

ML = SimpleNamespace(name="ML.txt", kind="geonames", count=1234, imported_at="2025-01-02",
                     modified="2022-06-14")


@pytest.fixture
def calls(monkeypatch) -> list:
    seen: list = []

    def import_file(path, *, name=None, progress=True):
        seen.append(("import", path, name, progress))
        return ML

    def remove_source(name):
        seen.append(("remove", name))
        return ML

    monkeypatch.setattr(importer, "import_file", import_file)
    monkeypatch.setattr(importer, "remove_source", remove_source)
    monkeypatch.setattr(importer, "list_sources", lambda: [ML])
    return seen


def test_import_each_file(run, calls) -> None:
    result = run("gazetteer", "import", "ML.txt", "DZ.txt", "--no-progress")
    assert result.exit_code == 0, result.output
    assert calls == [("import", "ML.txt", None, False), ("import", "DZ.txt", None, False)]
    assert result.stderr.splitlines()[0] == \
        "imported ML.txt: 1,234 places (geonames, modified 2022-06-14)"


def test_import_name_needs_one_file(run, calls) -> None:
    result = run("gazetteer", "import", "a.txt", "b.txt", "--name", "x")
    assert result.exit_code == 2 and "give --name with a single FILE" in result.stderr
    assert calls == []


def test_info_prints_the_table_and_the_index(run, calls) -> None:
    result = run("gazetteer", "info")
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()
    assert header.split() == ["source", "kind", "places", "imported", "modified"]
    assert row.split() == ["ML.txt", "geonames", "1,234", "2025-01-02", "2022-06-14"]
    assert result.stderr.startswith("index: ")


def test_remove(run, calls) -> None:
    result = run("gazetteer", "remove", "ML.txt")
    assert result.exit_code == 0 and result.stderr == "removed ML.txt (1,234 places)\n"
    assert calls == [("remove", "ML.txt")]
