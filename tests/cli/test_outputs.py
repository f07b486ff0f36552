"""Nothing is overwritten that is not the output (issue #12): inputs, links, devices,
companions, temporary files."""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

import pytest

import geomap.pipeline
from geomap.atomic import PART_MAX_AGE, atomic_path

UNRESOLVED = "event_date,location,country\n2024-08-25,Qwxzvbn,Mali\n2024-08-26,Kidal,Mali\n"


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.is_symlink()}


def _refused(result, before: dict[str, bytes], folder: Path) -> None:
    """Exit 2, one line naming the file, and the folder exactly as it was."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("geomap: error: "), result.stderr
    assert "would overwrite" in lines[0] and "choose" in lines[0]
    assert _listing(folder) == before


@pytest.fixture
def data(example: str, tmp_path: Path) -> Path:
    """A copy of the bundled example in a folder of its own."""
    return Path(shutil.copy(example, tmp_path / "a.csv"))


@pytest.mark.parametrize("command", ["map", "export", "geocode"])
@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_output_that_is_the_input_is_refused(run, data: Path, command: str, how: str) -> None:
    out = {"same": data, "symlink": data.with_name("l.csv"), "hardlink": data.with_name("h.csv")}
    out = out[how]
    if how == "symlink":
        out.symlink_to(data.name)
    elif how == "hardlink":
        os.link(data, out)
    before = _listing(data.parent)
    args = {"map": ["map", str(data)], "export": ["export", str(data)],
            "geocode": ["geocode", "--input", str(data)]}[command]
    result = run(*args, "-o", str(out))
    _refused(result, before, data.parent)
    assert f"the output would overwrite the input {data}" in result.stderr
    assert out.is_symlink() == (how == "symlink")


def test_check_and_extract_refuse_their_input(run, data: Path) -> None:
    before = _listing(data.parent)
    _refused(run("check", str(data), "-o", str(data)), before, data.parent)
    article = data.with_name("article.txt")
    article.write_text("Clashes in Kidal on 25 August 2024.\n", encoding="utf-8")
    before = _listing(data.parent)
    _refused(run("extract", str(article), "-o", str(article)), before, data.parent)
    _refused(run("extract", str(article), "--map", str(article)), before, data.parent)


@pytest.mark.parametrize("output", ["out.html", "out.geojson"])
def test_companion_landing_on_an_input_is_refused(run, tmp_path: Path, output: str) -> None:
    source = tmp_path / "out.unresolved.csv"
    source.write_text(UNRESOLVED, encoding="utf-8")
    before = _listing(tmp_path)
    command = "map" if output.endswith(".html") else "export"
    result = run(command, str(source), "-o", str(tmp_path / output))
    _refused(result, before, tmp_path)
    assert f"the unresolved rows of {tmp_path / output} would overwrite the input" \
        in result.stderr


def test_symlink_output_is_kept(run, data: Path, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    link = tmp_path / "latest.csv"
    link.symlink_to(Path("real") / "jan.csv")
    result = run("export", str(data), "-o", str(link), "-q")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "jan.csv")
    assert (tmp_path / "real" / "jan.csv").read_text(encoding="utf-8").startswith("event_id")
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["jan.csv"]


def test_dev_null_output(run, tmp_path: Path) -> None:
    source = tmp_path / "u.csv"
    source.write_text(UNRESOLVED, encoding="utf-8")
    result = run("map", str(source), "-o", "/dev/null")
    assert result.exit_code == 0, result.output
    assert "1 unresolved -> /dev/null" in result.stderr
    geocoded = run("geocode", "--input", str(source), "-o", "/dev/null")
    assert geocoded.exit_code == 0, geocoded.output
    assert "1 unresolved -> /dev/null" in geocoded.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not Path("/dev/null.unresolved.csv").exists()


def test_stale_companion_is_removed(run, data: Path, tmp_path: Path) -> None:
    source = tmp_path / "u.csv"
    source.write_text(UNRESOLVED, encoding="utf-8")
    out = tmp_path / "out" / "m.geojson"
    companion = out.with_name("m.unresolved.csv")
    assert run("export", str(source), "-o", str(out), "-q").exit_code == 0
    assert "Qwxzvbn" in companion.read_text(encoding="utf-8")
    result = run("export", str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert not companion.exists() and "unresolved rows:" not in result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.geojson"]


def test_old_temporary_files_go_fresh_ones_stay(run, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / ".m.html.geomap-4242-abcdefgh.part.html"
    older_naming = out / ".m.html.q1w2e3r4.part.html"
    fresh = out / ".m.html.geomap-4243-abcdefgh.part.html"  # another run in progress
    mine = out / ".notes.part"  # not geomap's
    stamp = time.time() - PART_MAX_AGE - 3600
    for path in (old, older_naming, fresh, mine):
        path.write_bytes(b"x" * 100)
    for path in (old, older_naming, mine):
        os.utime(path, (stamp, stamp))
    result = run("map", str(data), "-o", str(out / "m.html"), "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([fresh.name, mine.name, "m.html"])


@pytest.mark.parametrize("output", ["m.html", "m.gpkg"])
def test_failing_companion_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            output: str) -> None:
    source = tmp_path / "u.csv"
    source.write_text(UNRESOLVED, encoding="utf-8")
    out = tmp_path / "out" / output
    out.parent.mkdir()
    (out.parent / "keep.txt").write_text("x")

    def broken(frame, path, *, raw=False):
        with atomic_path(path) as tmp:
            tmp.write_text("half")
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(geomap.pipeline, "write_csv", broken)
    write = geomap.pipeline.make_map if output.endswith(".html") else geomap.pipeline.export
    with pytest.raises(OSError):
        write(source, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["keep.txt"]
    out.write_text("the previous run's")
    with pytest.raises(OSError):
        write(source, out)
    assert out.read_text() == "the previous run's"
    assert sorted(p.name for p in out.parent.iterdir()) == ["keep.txt", output]
