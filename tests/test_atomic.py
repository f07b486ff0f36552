"""geomap.atomic: links written through, devices written into, groups, stale temporary files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geomap.atomic import (
    PART_MAX_AGE,
    PART_NAME,
    atomic_path,
    check_outputs,
    commit_together,
    sweep_parts,
    write_text_atomic,
)
from geomap.errors import GeomapError, OutputError


def test_temporary_names_are_recognisable_and_unique(tmp_path: Path) -> None:
    seen = []
    with atomic_path(tmp_path / "m.html") as first, atomic_path(tmp_path / "m.html") as second:
        seen = [first.name, second.name]
        first.write_text("1")
        second.write_text("2")
    assert seen[0] != seen[1]
    for name in seen:
        assert name.startswith(f".m.html.geomap-{os.getpid()}-") and name.endswith(".part.html")
        assert PART_NAME.match(name)
    assert not PART_NAME.match("m.html") and not PART_NAME.match(".notes.part")


def test_symlink_output_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "map.html"
    target.write_text("old")
    link = tmp_path / "map.html"
    link.symlink_to(target)
    write_text_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["map.html"]


def test_dangling_symlink_output_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to("made.csv")
    write_text_atomic(link, "a\n")
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == "a\n"


def test_character_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mknod of a character device needs root")
    null = tmp_path / "null"  # a private /dev/null: replacing it would break nothing
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    write_text_atomic(null, "gone")
    assert stat.S_ISCHR(null.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_dev_null_stays_a_device() -> None:
    write_text_atomic("/dev/null", "gone")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_stdout_is_written_into_its_pipe() -> None:
    code = "from geomap.atomic import write_text_atomic; write_text_atomic('/dev/stdout', 'piped')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout == "piped"


def test_group_commits_all_or_nothing(tmp_path: Path) -> None:
    main, extra = tmp_path / "a.html", tmp_path / "a.unresolved.csv"
    main.write_text("old")
    with pytest.raises(RuntimeError), commit_together([main, extra], stale=[extra]):
        write_text_atomic(main, "new")
        with atomic_path(extra) as tmp:
            tmp.write_text("half")
            raise RuntimeError("companion failed")
    assert main.read_text() == "old" and not extra.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]


def test_group_removes_stale_companion_only_when_unwritten(tmp_path: Path) -> None:
    main, extra = tmp_path / "a.html", tmp_path / "a.unresolved.csv"
    extra.write_text("from an earlier run")
    with commit_together([main, extra], stale=[extra]):
        write_text_atomic(main, "new")
    assert main.read_text() == "new" and not extra.exists()
    with commit_together([main, extra], stale=[extra]):
        write_text_atomic(main, "newer")
        write_text_atomic(extra, "this run's")
    assert extra.read_text() == "this run's"


def test_sweep_removes_old_parts_only(tmp_path: Path) -> None:
    old = [tmp_path / ".m.html.geomap-12-abcd_123.part.html",
           tmp_path / ".m.html.k2j4h5g6.part.html",  # the naming of earlier versions
           tmp_path / ".x.gpkg.geomap-3-abcdefgh.part.gpkg-journal"]
    kept = [tmp_path / ".m.html.geomap-13-abcdefgh.part.html",  # a run in progress
            tmp_path / ".notes.part", tmp_path / "m.html", tmp_path / "old.part.html"]
    stamp = time.time() - PART_MAX_AGE - 60
    for path in old + kept:
        path.write_text("x")
    for path in old + kept[1:]:
        os.utime(path, (stamp, stamp))
    assert sorted(sweep_parts(tmp_path)) == sorted(old)
    assert sorted(tmp_path.iterdir()) == sorted(kept)


def test_atomic_path_sweeps_the_folder_it_writes(tmp_path: Path) -> None:
    old = tmp_path / ".a.csv.geomap-9-abcdefgh.part.csv"
    fresh = tmp_path / ".a.csv.geomap-9-zzzzzzzz.part.csv"
    old.write_text("x")
    fresh.write_text("x")
    stamp = time.time() - 2 * PART_MAX_AGE
    os.utime(old, (stamp, stamp))
    write_text_atomic(tmp_path / "b.csv", "b\n")
    assert not old.exists() and fresh.exists()


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_output_that_is_an_input_is_refused(tmp_path: Path, how: str) -> None:
    data = tmp_path / "a.csv"
    data.write_text("a\n")
    out = {"same": data, "symlink": tmp_path / "l.csv", "hardlink": tmp_path / "h.csv"}[how]
    if how == "symlink":
        out.symlink_to(data)
    elif how == "hardlink":
        os.link(data, out)
    with pytest.raises(OutputError) as caught:
        check_outputs([data], {out: "the output"})
    assert isinstance(caught.value, GeomapError)
    assert str(caught.value).startswith(f"{out}: the output would overwrite the input {data}")


def test_outputs_may_not_share_a_path(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="the map would overwrite the CSV"):
        check_outputs([], [(tmp_path / "x.csv", "the CSV"), (tmp_path / "x.csv", "the map")])
    check_outputs(["-", None, tmp_path / "missing.csv"],
                  [("/dev/null", "the CSV"), ("/dev/null", "the map")])
