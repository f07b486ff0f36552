"""OS errors of writing, worded once (geomap.atomic.write_error) and raised by atomic_path."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from geomap.atomic import atomic_path, write_error, write_text_atomic
from geomap.errors import GeomapError, WriteError


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "the disk is full (no space left on the device)"),
    (errno.EFBIG, "the file would pass the file size limit of this process (ulimit -f)"),
    (errno.EROFS, "out is on a read-only file system"),
    (errno.EACCES, "permission denied (is the folder out read-only?)"),
    (errno.EDQUOT, "the disk quota is used up"),
    (errno.EIO, os.strerror(errno.EIO)),
])
def test_each_error_is_one_line_naming_the_target(code: int, words: str) -> None:
    err = write_error(OSError(code, os.strerror(code)), "out/map.html")
    assert isinstance(err, WriteError) and isinstance(err, GeomapError)
    assert isinstance(err, OSError)  # children inherit the builtin they resemble
    assert str(err) == f"out/map.html: cannot write: {words}"


def test_a_temporary_file_is_named_as_the_file_it_stands_for() -> None:
    err = PermissionError(errno.EACCES, "Permission denied",
                          "out/.map.html.geomap-12-ab_cd9x1.part.html")
    assert str(write_error(err)) == ("out/map.html: cannot write: permission denied (is the "
                                     "folder out read-only?)")


def test_an_error_that_is_not_a_write_keeps_the_systems_words() -> None:
    err = PermissionError(errno.EACCES, "Permission denied", "/etc/shadow")
    assert str(write_error(err)) == "/etc/shadow: Permission denied"
    assert str(write_error(OSError(errno.ENOSPC, "No space left on device"))) == \
        "cannot write: the disk is full (no space left on the device)"


def test_a_parent_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("keep")
    with pytest.raises(WriteError) as info:
        write_text_atomic(blocker / "deeper" / "map.html", "x")
    assert str(info.value) == (f"{blocker}/deeper/map.html: cannot write: {blocker} is a "
                               "file, not a folder")
    assert blocker.read_text() == "keep"


def test_atomic_path_names_the_target_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(WriteError, match=f"^{target}: cannot write: the disk is full"):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_lets_other_errors_pass(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="a writer's own"):
        with atomic_path(tmp_path / "a.csv"):
            raise ValueError("a writer's own")
    elsewhere = tmp_path / "elsewhere" / "source.txt"
    with pytest.raises(FileNotFoundError) as info:  # reading another file: not a write
        with atomic_path(tmp_path / "out" / "b.csv"):
            elsewhere.read_text()
    assert not isinstance(info.value, WriteError)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []
