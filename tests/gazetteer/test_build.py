"""The index is built in one step with its fuzzy-name structure; lookups only open it."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest

import geomap.gazetteer.index as index_module
import geomap.gazetteer.progress as progress
import geomap.gazetteer.sources.default as default
from geomap.errors import GazetteerError
from geomap.gazetteer import fuzzy
from geomap.gazetteer.build import build_index
from geomap.gazetteer.fuzzy import FuzzyIndex, fuzzy_files, is_current
from geomap.gazetteer.importer import import_file, remove_source
from geomap.gazetteer.index import Index, PlaceRecord
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.place import Hints

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
USER_CSV = FIXTURES / "user_gazetteer.csv"
PLACES = [PlaceRecord("t:1", "Tinzaouaten", 19.95, 2.97, "ML", population=2000),
          PlaceRecord("t:2", "Mogoro", 39.7, 8.8, "IT", population=4000)]


def tiny_default(fingerprint: str = "v1") -> list[default.DefaultSource]:
    """A stand-in for the embedded default: two places, built in a blink."""
    return [default.DefaultSource("tiny", "two test places", fingerprint, lambda: iter(PLACES))]


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(default, "default_sources", tiny_default)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """stderr is a terminal, and bars are drawn at once however quick the step.

    Called in the test itself: pytest sets its own stderr between a fixture and the test.
    """
    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(progress, "BAR_DELAY_S", 0)
    return stream


def building(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "building the fuzzy" in r.getMessage()]


# -- one step ----------------------------------------------------------------------------
def test_the_session_index_was_built_with_its_fuzzy_structure() -> None:
    index = default_gazetteer().index
    assert is_current(index)
    assert all(path.is_file() for path in fuzzy_files(index))


def test_a_fresh_build_holds_the_fuzzy_structure(tiny, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite")
    assert is_current(gaz.index)
    hashes, ids = fuzzy_files(gaz.index)
    assert hashes.is_file() and ids.is_file()
    with caplog.at_level(logging.WARNING):
        assert ("tinzauaten", 0) in FuzzyIndex(gaz.index).neighbours("tinzauaten")
        assert gaz.lookup("Tin Zawaten").place.id == "t:1"  # a variant: found by the structure
    assert building(caplog) == []  # opened, never built by a lookup


def test_a_changed_default_is_reloaded_with_a_new_structure(monkeypatch: pytest.MonkeyPatch,
                                                            tiny, tmp_path: Path) -> None:
    before = fuzzy_files(Gazetteer(tmp_path / "index.sqlite").index)
    monkeypatch.setattr(default, "default_sources", lambda: tiny_default("v2"))
    gaz = Gazetteer(tmp_path / "index.sqlite")
    assert is_current(gaz.index) and fuzzy_files(gaz.index) != before
    assert not any(path.exists() for path in before)


def test_import_and_remove_rebuild_the_structure(tmp_path: Path) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite", ensure_default=False)
    import_file(USER_CSV, gazetteer=gaz, progress=False)
    assert is_current(gaz.index)
    assert ("tesitsud", 0) in FuzzyIndex(gaz.index).neighbours("tesitsud")
    import_file(USER_CSV, gazetteer=gaz, name="later", progress=False, refresh=False)
    assert not is_current(gaz.index)  # left to the last import of a batch
    remove_source("later", gazetteer=gaz, progress=False)
    assert is_current(gaz.index)


def test_a_gazetteer_reopens_the_structure_after_an_import(tmp_path: Path) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite", ensure_default=False)
    import_file(USER_CSV, gazetteer=gaz, progress=False)
    assert not gaz.lookup("Tin Zawaten").resolved  # the fuzzy structure is open now
    dump = tmp_path / "mine.csv"
    dump.write_text("name,lat,lon,country_code\nTinzaouaten,19.95,2.97,ML\n", encoding="utf-8")
    import_file(dump, gazetteer=gaz, progress=False)
    assert gaz.lookup("Tin Zawaten").place.name == "Tinzaouaten"


def test_a_lookup_builds_a_missing_structure_and_says_so(tiny, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite")
    for path in fuzzy_files(gaz.index):
        path.unlink()
    with caplog.at_level(logging.WARNING):
        assert gaz.lookup("Tin Zawaten").resolved
    assert len(building(caplog)) == 1 and str(gaz.index.path) in building(caplog)[0]
    assert is_current(gaz.index)


# -- a read-only home --------------------------------------------------------------------
@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing can be written where the index lives (as on a read-only mount)."""
    monkeypatch.setattr(index_module.os, "access", lambda path, mode: False)


def test_a_read_only_home_serves_lookups(tiny, tmp_path: Path, monkeypatch, caplog) -> None:
    Gazetteer(tmp_path / "index.sqlite").index.close()
    monkeypatch.setattr(index_module.os, "access", lambda path, mode: False)
    monkeypatch.setattr(default, "default_sources", lambda: tiny_default("v2"))  # newer
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer(tmp_path / "index.sqlite")
    assert gaz.index.read_only
    assert "read-only: using it as it is" in caplog.text
    assert gaz.lookup("Tin Zawaten").place.id == "t:1"
    assert not (tmp_path / "index.sqlite-wal").exists()


def test_a_read_only_home_without_the_structure_has_no_fuzzy_matches(tiny, tmp_path: Path,
                                                                    read_only, caplog) -> None:
    index = Index(tmp_path / "index.sqlite")  # created: the folder did not hold it yet
    assert not index.read_only
    build_index(index, progress=False)
    index.close()
    for path in tmp_path.glob("*.npy"):
        path.unlink()
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer(tmp_path / "index.sqlite")
        assert gaz.lookup("Tinzaouaten").resolved  # exact names still resolve
        assert not gaz.lookup("Tin Zawaten").resolved
    assert "read-only and has no fuzzy-name structure" in caplog.text
    assert building(caplog) == [] and not list(tmp_path.glob("*.npy"))


def test_a_read_only_index_of_another_schema_is_refused(tiny, tmp_path: Path,
                                                        monkeypatch) -> None:
    Gazetteer(tmp_path / "index.sqlite").index.close()
    monkeypatch.setattr(index_module, "SCHEMA_VERSION", "0")
    monkeypatch.setattr("geomap.gazetteer.build.SCHEMA_VERSION", "0")
    monkeypatch.setattr(index_module.os, "access", lambda path, mode: False)
    with pytest.raises(GazetteerError, match="read-only and was built by another version"):
        Gazetteer(tmp_path / "index.sqlite")


# -- progress bars -----------------------------------------------------------------------
def test_the_build_draws_its_bars_on_a_terminal(tiny, tmp_path: Path, monkeypatch) -> None:
    terminal = on_a_terminal(monkeypatch)
    Gazetteer(tmp_path / "index.sqlite")
    drawn = terminal.getvalue()
    assert "tiny:" in drawn and "fuzzy names (1/2)" in drawn and "fuzzy names (2/2)" in drawn


def test_no_bar_when_quiet_or_not_a_terminal(tiny, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    terminal = on_a_terminal(monkeypatch)
    with progress.progress_bars(False), caplog.at_level(logging.WARNING):
        Gazetteer(tmp_path / "a.sqlite")
    assert terminal.getvalue() == "" and "building the gazetteer index" not in caplog.text
    monkeypatch.setattr(terminal, "isatty", lambda: False)
    with caplog.at_level(logging.WARNING):
        Gazetteer(tmp_path / "b.sqlite")
    assert terminal.getvalue() == "" and "building the gazetteer index" in caplog.text


def test_batch_lookups_draw_a_bar_over_the_distinct_names(monkeypatch) -> None:
    default_gazetteer()  # built before the terminal is
    terminal = on_a_terminal(monkeypatch)
    keys = [("Gao", Hints("ML")), ("Kidal", Hints())]
    default_gazetteer().lookup_keys(keys, progress=True)
    assert "geocoding:" in terminal.getvalue() and "0/2 " in terminal.getvalue()
    terminal.seek(0)
    terminal.truncate(0)
    default_gazetteer().lookup_keys(keys, progress=False)
    assert terminal.getvalue() == ""


def test_small_builds_use_the_same_code_path(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite")
    index.replace_source("x", PLACES, kind="test")
    assert not is_current(index)
    fuzzy.build_fuzzy(index, progress=False)
    assert is_current(index)
