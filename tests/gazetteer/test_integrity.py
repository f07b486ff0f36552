"""A cache that cannot run code: no pickle is ever read, a damaged index or fuzzy array is
found when opened and rebuilt with a one-line notice (an error when read-only), a full disk
is one line and leaves nothing a later run trusts, and cache writers never share a
temporary file. Damage is only ever done to copies (``private_home``) or small indexes."""

from __future__ import annotations

import ast
import errno
import json
import logging
import os
import pathlib
import pickle
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

import geomap.gazetteer.index as index_module
import geomap.gazetteer.sources.default as default
from geomap.cli import cli
from geomap.errors import DamagedIndexError, DiskFullError, GazetteerError
from geomap.gazetteer import fuzzy, integrity
from geomap.gazetteer.fuzzy import fuzzy_files, is_current
from geomap.gazetteer.importer import import_file
from geomap.gazetteer.index import Index, PlaceRecord
from geomap.gazetteer.lookup import INDEX_FILE, Gazetteer
from geomap.geoparse import regions_cache

PACKAGE = Path(__file__).resolve().parents[2] / "geomap"
USER_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "user_gazetteer.csv"
PLACES = [PlaceRecord("t:1", "Tinzaouaten", 19.95, 2.97, "ML", population=2000),
          PlaceRecord("t:2", "Mogoro", 39.7, 8.8, "IT", population=4000)]
# enough places for a load to need new pages (a full disk shows only when the file grows)
MANY = PLACES + [PlaceRecord(f"t:{i}", f"Place number {i}", 10 + i / 1000, 3.0, "ML")
                 for i in range(3, 3000)]


def tiny_default(records: list[PlaceRecord] = PLACES) -> list[default.DefaultSource]:
    return [default.DefaultSource("tiny", "two test places", "v1", lambda: iter(records))]


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded default is two places: a rebuild takes a blink."""
    monkeypatch.setattr(default, "default_sources", tiny_default)


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def damage(path: Path, offset: int, data: bytes) -> None:
    """Overwrite bytes in place, as a failing disk would, some time after geomap's last
    write (within one tick of the file clock a stamp could not tell the change)."""
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(data)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


class Payload:
    """Unpickling this creates a file: proof that a pickle was read."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (pathlib.Path.touch, (self.marker,))


# -- no pickle, no eval --------------------------------------------------------------------
def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return f"{_name(func.value)}.{func.attr}"
    return func.id if isinstance(func, ast.Name) else ""


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_module_can_read_code_from_a_file(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in (node.names if isinstance(node, ast.Import)
                              else [ast.alias(node.module or "")])}
    assert not imported & {"pickle", "joblib", "marshal", "shelve", "dill", "cloudpickle"}
    bad = []
    for call in _calls(tree):
        name = _name(call.func)
        keywords = {k.arg: k.value for k in call.keywords}
        if name in ("eval", "exec") or name.endswith("read_pickle"):
            bad.append(name)
        if name in ("np.load", "numpy.load"):
            flag = keywords.get("allow_pickle")
            if not (isinstance(flag, ast.Constant) and flag.value is False):
                bad.append(f"{name} without allow_pickle=False")
    assert bad == []


def test_a_pickle_in_place_of_the_fuzzy_arrays_is_never_loaded(tiny, tmp_path: Path,
                                                              caplog) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite")
    hashes, _ = fuzzy_files(gaz.index)
    marker = tmp_path / "pickle-was-read"
    np.save(hashes, np.array([Payload(marker)], dtype=object), allow_pickle=True)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = Gazetteer(tmp_path / "index.sqlite")
    assert not marker.exists()
    (notice,) = warnings_of(caplog)
    assert "fuzzy-name structure of the gazetteer index" in notice
    assert "holds object, not uint64" in notice and "rebuilding it" in notice
    assert is_current(again.index)
    assert again.lookup("Tin Zawaten").place.id == "t:1"  # the rebuilt structure works
    assert not marker.exists()


def test_a_pickle_in_place_of_the_regions_cache_is_never_loaded(tmp_path: Path) -> None:
    marker = tmp_path / "pickle-was-read"
    path = tmp_path / "geoparse_regions.json"
    path.write_bytes(pickle.dumps(Payload(marker)))
    assert regions_cache.read_regions_cache(path, ["v"]) is None
    assert not marker.exists()


# -- the index checked on open -------------------------------------------------------------
def test_an_unchanged_index_is_not_checked_twice_and_opening_writes_nothing(
        tiny, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "index.sqlite"
    Gazetteer(path).index.close()
    checks = []
    original = Index.quick_check
    monkeypatch.setattr(Index, "quick_check", lambda self: checks.append(1) or original(self))
    before = path.stat().st_mtime_ns
    gaz = Gazetteer(path)
    assert gaz.lookup("Tinzaouaten").resolved
    gaz.index.close()
    assert checks == [] and path.stat().st_mtime_ns == before  # stamped when built
    (tmp_path / f"{path.name}{integrity.STAMP_SUFFIX}").unlink()
    Gazetteer(path).index.close()
    Gazetteer(path).index.close()
    assert checks == [1]  # checked once, then stamped again


def test_a_damaged_page_is_found_and_the_index_rebuilt(private_home: Path, tiny,
                                                      caplog) -> None:
    path = private_home / INDEX_FILE
    size, page = path.stat().st_size, page_size(path)
    damage(path, size // 2 // page * page, b"\xa5" * page)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer()
    (notice, *_) = warnings_of(caplog)
    assert notice.startswith(f"the gazetteer index at {path} is damaged (Page ")
    assert notice.endswith("; rebuilding it") and "\n" not in notice  # one line
    assert gaz.lookup("Tinzaouaten").place.id == "t:1"
    assert gaz.index.quick_check() == "ok" and is_current(gaz.index)


def test_a_truncated_index_is_found_and_rebuilt(private_home: Path, tiny, caplog) -> None:
    path = private_home / INDEX_FILE
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 3 // page_size(path) * page_size(path))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer()
    assert "is damaged (truncated: " in warnings_of(caplog)[0]  # whole pages missing
    assert gaz.lookup("Tinzaouaten").place.id == "t:1"
    assert [s.name for s in gaz.index.sources()] == ["tiny"]


def test_damage_met_by_a_query_is_one_line_then_rebuilt_on_the_next_run(
        tiny, tmp_path: Path, caplog) -> None:
    path = tmp_path / "index.sqlite"
    Gazetteer(path).index.close()
    page = page_size(path)
    damage(path, page, b"\xa5" * (path.stat().st_size - page))  # every page but the schema's
    integrity.write_stamp(path)  # as if the damage came after the last check
    with pytest.raises(DamagedIndexError, match=r"is damaged \(.*\): run the command again"):
        Gazetteer(path)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer(path)
    assert "rebuilding it" in warnings_of(caplog)[0]
    assert gaz.lookup("Tinzaouaten").place.id == "t:1"


def test_the_imports_of_a_damaged_index_are_named_and_imported_again(
        tiny, tmp_path: Path, caplog) -> None:
    path = tmp_path / "index.sqlite"
    kept, gone = tmp_path / "kept.csv", tmp_path / "gone.csv"
    kept.write_bytes(USER_CSV.read_bytes())
    gone.write_text("name,lat,lon,country_code\nInabag,19.9,3.05,ML\n", encoding="utf-8")
    gaz = Gazetteer(path)
    for file in (kept, gone):
        import_file(file, gazetteer=gaz, progress=False)
    assert gaz.lookup("Inabag").resolved
    gaz.index.close()
    gone.unlink()
    integrity.mark_damaged(path, "database disk image is malformed")  # met by a query
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer(path)
    notice = warnings_of(caplog)[0]
    assert f"importing again kept.csv from {kept}" in notice
    assert f"lost: gone.csv ({gone} is gone): import them again (geomap gazetteer import FILE)" \
        in notice
    assert sorted(s.name for s in gaz.index.sources()) == ["kept.csv", "tiny"]
    assert not gaz.lookup("Inabag").resolved and gaz.lookup("Tinzaouaten").resolved
    assert gaz.index.lost == []


def test_an_import_that_cannot_be_read_again_is_named(tiny, tmp_path: Path, caplog) -> None:
    path, mine = tmp_path / "index.sqlite", tmp_path / "mine.csv"
    mine.write_text("name,lat,lon,country_code\nInabag,19.9,3.05,ML\n", encoding="utf-8")
    gaz = Gazetteer(path)
    import_file(mine, gazetteer=gaz, progress=False)
    gaz.index.close()
    mine.write_text("nothing,useful\n1,2\n", encoding="utf-8")  # changed since
    integrity.mark_damaged(path, "database disk image is malformed")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer(path)
    assert any(w.startswith(f"could not import mine.csv again from {mine} (") and
               w.endswith("import it yourself (geomap gazetteer import FILE)")
               for w in warnings_of(caplog))
    assert [s.name for s in gaz.index.sources()] == ["tiny"] and is_current(gaz.index)


def test_an_unreadable_list_of_imports_says_so(tiny, tmp_path: Path, caplog) -> None:
    path = tmp_path / "index.sqlite"
    Gazetteer(path).index.close()
    with path.open("r+b") as fh:
        fh.truncate(60)  # not even a whole header
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer(path)
    notice = warnings_of(caplog)[0]
    assert "is damaged (truncated to 60 bytes); rebuilding it" in notice
    assert "the list of its imported sources is unreadable" in notice
    assert gaz.lookup("Tinzaouaten").resolved


def test_a_file_that_is_no_index_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_text("name,lat,lon\n" * 50, encoding="utf-8")
    with pytest.raises(GazetteerError, match="it is not an SQLite file"):
        Index(path)
    assert path.read_text(encoding="utf-8").startswith("name,lat,lon")


# -- a read-only home ------------------------------------------------------------------------
def test_a_damaged_read_only_index_is_one_line_of_error(tiny, tmp_path: Path,
                                                        monkeypatch) -> None:
    path = tmp_path / "index.sqlite"
    Gazetteer(path).index.close()
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size - page_size(path))
    before = path.read_bytes()
    monkeypatch.setattr(index_module.os, "access", lambda path, mode: False)
    with pytest.raises(DamagedIndexError) as caught:
        Gazetteer(path)
    message = str(caught.value)
    assert "\n" not in message and "is damaged (truncated: " in message
    assert "its folder is read-only" in message and "$GEOMAP_HOME" in message
    assert path.read_bytes() == before


def test_damage_met_in_a_read_only_index_is_one_line_and_marks_nothing(
        tiny, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "index.sqlite"
    Gazetteer(path).index.close()
    page = page_size(path)
    damage(path, page, b"\xa5" * (path.stat().st_size - page))
    monkeypatch.setattr(index_module.os, "access", lambda path, mode: False)
    with pytest.raises(DamagedIndexError, match="its folder is read-only"):
        Gazetteer(path)
    assert integrity.stamp_damage(path) is None


# -- the fuzzy arrays ------------------------------------------------------------------------
@pytest.mark.parametrize("harm", ["truncate", "header", "ids"])
def test_a_damaged_fuzzy_array_is_rebuilt_with_a_notice(tiny, tmp_path: Path, caplog,
                                                        harm: str) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite")
    hashes, ids = fuzzy_files(gaz.index)
    if harm == "truncate":
        with hashes.open("r+b") as fh:
            fh.truncate(hashes.stat().st_size - 5)
    elif harm == "header":
        damage(hashes, 0, b"garbage!")
    else:
        ids.unlink()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = Gazetteer(tmp_path / "index.sqlite")
    (notice,) = warnings_of(caplog)
    assert notice.startswith(f"the fuzzy-name structure of the gazetteer index at "
                             f"{again.index.path} is damaged (")
    assert is_current(again.index)
    assert again.lookup("Tin Zawaten").place.id == "t:1"


def test_a_lookup_rebuilds_a_fuzzy_array_damaged_since_the_build(tiny, tmp_path: Path,
                                                                 caplog) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite")
    hashes, _ = fuzzy_files(gaz.index)
    with hashes.open("r+b") as fh:
        fh.truncate(hashes.stat().st_size // 2)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert gaz.lookup("Tin Zawaten").place.id == "t:1"
    assert "is damaged (" in warnings_of(caplog)[0]


def test_a_damaged_read_only_fuzzy_array_is_never_read(tiny, tmp_path: Path, monkeypatch,
                                                        caplog) -> None:
    gaz = Gazetteer(tmp_path / "index.sqlite")
    hashes, _ = fuzzy_files(gaz.index)
    gaz.index.close()
    with hashes.open("r+b") as fh:
        fh.truncate(hashes.stat().st_size // 2)
    monkeypatch.setattr(index_module.os, "access", lambda path, mode: False)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        gaz = Gazetteer(tmp_path / "index.sqlite")
        assert gaz.lookup("Tinzaouaten").resolved and not gaz.lookup("Tin Zawaten").resolved
    assert "has no sound fuzzy-name structure" in caplog.text


# -- a full disk -----------------------------------------------------------------------------
@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up while places are loaded: SQLite's own SQLITE_FULL (the file may
    not grow), which also rolls the transaction back by itself."""
    monkeypatch.setattr(default, "default_sources", lambda: tiny_default(MANY))
    insert = Index._insert_records

    def full(cur: sqlite3.Cursor, source_id: int, records) -> int:
        cur.execute("PRAGMA max_page_count = 1")  # never below the file's size: no growth
        return insert(cur, source_id, records)

    monkeypatch.setattr(Index, "_insert_records", staticmethod(full))


def test_a_full_disk_is_one_line_and_leaves_nothing_trusted(full_disk, tmp_path: Path,
                                                           monkeypatch) -> None:
    path = tmp_path / "index.sqlite"
    with pytest.raises(DiskFullError) as caught:
        Gazetteer(path)
    assert str(caught.value) == (f"no space left on device while building the gazetteer "
                                 f"index at {path}: free some space and run the command again")
    assert "rollback" not in str(caught.value.__cause__)
    index = Index(path)
    assert index.sources() == [] and index.place_count() == 0 and not is_current(index)
    index.close()
    monkeypatch.undo()  # room again: the next run builds the whole index
    monkeypatch.setattr(default, "default_sources", lambda: tiny_default(MANY))
    assert Gazetteer(path).lookup("Place number 2999").place.id == "t:2999"


def test_a_full_disk_in_the_command_line_is_one_line_and_status_2(full_disk, tmp_path: Path,
                                                                  monkeypatch) -> None:
    from click.testing import CliRunner

    from geomap.gazetteer.lookup import default_gazetteer

    monkeypatch.setenv("GEOMAP_HOME", str(tmp_path))
    default_gazetteer.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["geocode", "Tinzaouaten"])
    finally:
        default_gazetteer.cache_clear()
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("geomap:")]
    assert lines == [f"geomap: error: no space left on device while building the gazetteer "
                     f"index at {tmp_path / INDEX_FILE}: free some space and run the command "
                     "again"]


def test_a_full_disk_while_writing_the_fuzzy_arrays_leaves_none(tiny, tmp_path: Path,
                                                                monkeypatch) -> None:
    def no_room(self, hashes_file, ids_file) -> None:
        hashes_file.write(b"\0" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fuzzy._Buckets, "write_sorted", no_room)
    with pytest.raises(DiskFullError, match="while building the fuzzy-name structure"):
        Gazetteer(tmp_path / "index.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir() if "fuzzy" in p.name) == []
    monkeypatch.undo()
    monkeypatch.setattr(default, "default_sources", tiny_default)
    assert is_current(Gazetteer(tmp_path / "index.sqlite").index)


# -- cache writers ---------------------------------------------------------------------------
def test_two_first_runs_writing_the_regions_cache_do_not_clash(tmp_path: Path,
                                                               monkeypatch) -> None:
    """Both writers hold their temporary file at the same time, then both move it into
    place: with one shared temporary name the second would lose its file."""
    both_written = threading.Barrier(2, timeout=10)
    write_text = pathlib.Path.write_text

    def write_then_wait(self: Path, *args, **kwargs) -> int:
        written = write_text(self, *args, **kwargs)
        both_written.wait()
        return written

    monkeypatch.setattr(pathlib.Path, "write_text", write_then_wait)
    path = tmp_path / "geoparse_regions.json"
    tables = {"places": {}, "abbreviations": {}, "demonyms": {"malian": "ML"},
              "country_points": {"ML": (17.0, -4.0)}}
    errors: list[BaseException] = []

    def run() -> None:
        try:
            regions_cache.write_regions_cache(path, ["v"], tables)
        except BaseException as err:  # noqa: BLE001 - reported by the test
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    assert json.loads(path.read_text(encoding="utf-8"))["demonyms"] == {"malian": "ML"}
    assert regions_cache.read_regions_cache(path, ["v"])["demonyms"] == {"malian": "ML"}
