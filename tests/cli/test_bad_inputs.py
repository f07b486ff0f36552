"""Bad input and failing disks, command by command: one line on stderr naming the file (and
the row and column), exit status 2, no traceback, and no output left behind.

The catalogue of issue #12 (deliverable 3): ``geocode --input`` reads through the one reader
of every command (empty, header-only, UTF-16, Latin-1, an open quote, ``;`` and tab
delimiters, a one-column file, a field over 131,072 characters), malformed GeoJSON, two
columns that mean the same, numbers with thousands separators or underscores, a
``--threshold-km`` that is not a distance, and the OS errors of writing (a parent that is a
file, a read-only folder, a full disk, a file size limit) for map, demo, export, check,
extract and geocode.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import Result

from geomap.resources import layer_path

EXAMPLE = str(layer_path("incidents/algeria_mali.csv"))
QA_FILE = str(Path(__file__).resolve().parents[1] / "fixtures" / "incidents_qa.csv")
ARTICLE = "Gunmen attacked Gao, Kidal and Menaka on 3 May 2024.\n"
DISK_FULL = "cannot write: the disk is full"


def failed(result: Result, *parts: str) -> str:
    """The one error line of a command that failed as a user error; each part is in it."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    line = result.stderr
    assert line.startswith("geomap: error: ") and line.count("\n") == 1, line
    assert "Traceback" not in line
    for part in parts:
        assert part in line, line
    return line


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder`` (temporary ones too), or [] when it does not exist."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- geocode --input reads as every command reads --------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    ("location,country\nS\u00e9gou,Mali\n".encode("latin-1"),
     "row 1, column 'location': not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    ("location\nGao\n".encode("utf-16-le"),
     "row 0: the header holds NUL bytes (UTF-16 text without a byte-order mark?)"),
    ('location,country\n"Gao,Mali\nKidal,Mali\n',
     "row 1, column 'location': a quoted value never ends"),
    ("location,country\nGao,Mali\nKidal,Mali,extra\n",
     "row 2: 3 values where the header has 2 columns"),
    ("place;country\nGao;Mali\n", "no column 'location' for --column (columns: place, country)"),
], ids=["empty", "latin-1", "utf-16-without-bom", "open-quote", "extra-value", "no-column"])
def test_geocode_input_errors(run, tmp_path: Path, content, message: str) -> None:
    source = write(tmp_path / "in.csv", content)
    result = run("geocode", "--input", str(source), "-o", str(tmp_path / "out" / "g.csv"))
    failed(result, f"{source}: {message}")
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize(("content", "encoding"), [
    ("location;country\nGao;Mali\nM\u00e9naka;Mali\n", "utf-8"),
    ("location\tcountry\nGao\tMali\nM\u00e9naka\tMali\n", "utf-8"),
    ("location,country\nGao,Mali\nM\u00e9naka,Mali\n", "utf-16"),  # with its byte-order mark
    ("\ufefflocation,country\nGao,Mali\nM\u00e9naka,Mali\n", "utf-8"),
], ids=["semicolon", "tab", "utf-16", "utf-8-bom"])
def test_geocode_input_delimiters_and_encodings(run, tmp_path: Path, content: str,
                                                encoding: str) -> None:
    source = write(tmp_path / "in.csv", content.encode(encoding))
    out = tmp_path / "g.csv"
    result = run("geocode", "--input", str(source), "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table[["location", "country"]].to_dict("list") == {
        "location": ["Gao", "M\u00e9naka"], "country": ["Mali", "Mali"]}
    assert table["geocoded_country"].tolist() == ["ML", "ML"]


def test_geocode_input_one_column_is_not_split_on_a_letter(run, tmp_path: Path) -> None:
    # the old sniffer took "e" for the delimiter of a one-column file
    source = write(tmp_path / "in.csv", "location\nTessalit\nM\u00e9naka\nAguelhok\n")
    out = tmp_path / "g.csv"
    assert run("geocode", "--input", str(source), "-o", str(out), "-q").exit_code == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table.columns[0] == "location" and table.columns[1] == "geocoded_name"
    assert table["location"].tolist() == ["Tessalit", "M\u00e9naka", "Aguelhok"]


def test_geocode_input_header_only_and_a_huge_field(run, tmp_path: Path) -> None:
    header_only = write(tmp_path / "h.csv", "location,country\n")
    out = tmp_path / "h.out.csv"
    assert run("geocode", "--input", str(header_only), "-o", str(out), "-q").exit_code == 0
    table = pd.read_csv(out, dtype=str)
    assert table.empty and list(table.columns[:3]) == ["location", "country", "geocoded_name"]
    notes = "x" * 200_000  # past the csv module's 131,072-character field limit
    huge = write(tmp_path / "n.csv", f"location,notes\nGao,{notes}\nKidal,short\n")
    out = tmp_path / "n.out.csv"
    assert run("geocode", "--input", str(huge), "-o", str(out), "-q").exit_code == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["notes"].str.len().tolist() == [200_000, 5]


# -- map: GeoJSON, columns, numbers -----------------------------------------------------------
def feature(**changes: object) -> dict:
    base = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.41, 18.44]},
            "properties": {"event_date": "2024-08-25", "location": "Kidal"}}
    return {**base, **changes}


@pytest.mark.parametrize(("collection", "message"), [
    ({"type": "FeatureCollection", "features": {"a": 1}},
     "'features' is an object; a FeatureCollection's features are a list of Feature objects"),
    ({"type": "FeatureCollection", "features": [feature(), feature(geometry="POINT (1 2)")]},
     "row 2, column 'geometry': a string; a geometry is a JSON object"),
    ({"type": "FeatureCollection",
      "features": [feature(geometry={"type": "Point", "coordinates": [5]})]},
     "row 1, column 'geometry': Point coordinates [5]; expected [longitude, latitude]"),
    ({"type": "FeatureCollection", "features": [feature(properties=["2024-08-25", "Kidal"])]},
     "row 1, column 'properties': a list; properties are a JSON object"),
    ({"type": "FeatureCollection", "features": ["Kidal"]},
     "row 1, column 'feature': a string; a feature is a JSON object"),
], ids=["features-not-a-list", "geometry-a-string", "one-coordinate", "properties-a-list",
        "feature-a-string"])
def test_malformed_geojson(run, tmp_path: Path, collection: dict, message: str) -> None:
    source = write(tmp_path / "in.geojson", json.dumps(collection))
    failed(run("map", str(source), "-o", str(tmp_path / "out" / "m.html")),
           f"{source}: {message}")
    assert files_in(tmp_path / "out") == []


def test_a_folder_given_as_the_input(run, tmp_path: Path) -> None:
    folder = tmp_path / "events"
    folder.mkdir()
    for command in ("map", "export", "check"):
        failed(run(command, str(folder), "-o", str(tmp_path / "out" / "x.geojson")),
               f"{folder}: is a folder; give a file")
    refused = run("geocode", "--input", str(folder), "-o", str(tmp_path / "out" / "x.csv"))
    assert refused.exit_code == 2 and "is a directory" in refused.output  # click's own check
    assert files_in(tmp_path / "out") == []


def test_two_columns_that_mean_the_same(run, tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "date,event_date,location\n2024-01-01,2024-01-02,Gao\n")
    for command in ("map", "check"):
        failed(run(command, str(source), "-o", str(tmp_path / "out" / "x.html")),
               f"{source}: the columns 'date' and 'event_date' both mean 'event_date'; "
               "rename or drop one of them")
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize(("column", "value", "message"), [
    ("latitude", "1_6", "row 1, column 'latitude': '1_6' is not a number"),
    ("latitude", "16 272", "row 1, column 'latitude': '16 272' is not a number"),
    ("fatalities", "12,5", "row 1, column 'fatalities': '12,5' is not a whole number"),
    ("fatalities", "1_000", "row 1, column 'fatalities': '1_000' is not a number"),
    ("fatalities", "1,00,000", "row 1, column 'fatalities': '1,00,000' is not a number"),
])
def test_numbers_refused(run, tmp_path: Path, column: str, value: str, message: str) -> None:
    row = {"event_date": "2024-01-01", "location": "Gao", "latitude": "16.27",
           "longitude": "-0.04", "fatalities": "1", column: value}
    source = write(tmp_path / "in.csv", ";".join(row) + "\n" + ";".join(row.values()) + "\n")
    failed(run("export", str(source), "-o", str(tmp_path / "out" / "x.csv")),
           f"{source}: {message}")
    assert files_in(tmp_path / "out") == []


def test_thousands_separators_are_read_in_counts_only(run, tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "event_date;location;latitude;longitude;fatalities\n"
                   "2024-01-01;Gao;16,27;-0,04;1,000\n2024-01-02;Gao;16.27;-0.04;12,345\n"
                   "2024-01-03;Gao;16.27;-0.04;1 000\n2024-01-04;Gao;16.27;-0.04;2,0\n")
    out = tmp_path / "x.csv"
    assert run("export", str(source), "-o", str(out), "-q").exit_code == 0
    table = pd.read_csv(out)
    assert table["fatalities"].tolist() == [1000, 12345, 1000, 2]
    assert table["latitude"].tolist()[0] == 16.27  # a decimal comma in a coordinate


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0"])
def test_threshold_must_be_a_distance(run, value: str) -> None:
    result = run("check", QA_FILE, f"--threshold-km={value}")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "Invalid value for '--threshold-km'" in result.stderr
    assert result.stdout == ""


# -- writing: every command, every OS error, one line and nothing left ----------------------
COMMANDS = ["map", "export", "demo", "check", "extract", "extract-map", "geocode"]


def commands(folder: Path, inputs: Path) -> dict[str, list[str]]:
    """Each command that writes, with its outputs in ``folder`` and inputs in ``inputs``."""
    article = inputs / "article.txt"
    names = inputs / "names.csv"
    inputs.mkdir(parents=True, exist_ok=True)
    write(article, ARTICLE)
    write(names, "location\nGao\nKidal\n")
    commands = {
        "map": ["map", EXAMPLE, "-o", str(folder / "m.html")],
        "export": ["export", EXAMPLE, "-o", str(folder / "x.csv")],
        "demo": ["demo", "-o", str(folder / "d.html")],
        "check": ["check", QA_FILE, "-o", str(folder / "c.csv")],
        "extract": ["extract", str(article), "-o", str(folder / "e.csv")],
        "extract-map": ["extract", str(article), "--map", str(folder / "e.html")],
        "geocode": ["geocode", "--input", str(names), "-o", str(folder / "g.csv")],
    }
    assert list(commands) == COMMANDS
    return commands


@pytest.mark.parametrize("name", COMMANDS)
def test_parent_is_a_file(run, tmp_path: Path, name: str) -> None:
    blocker = write(tmp_path / "afile", "keep me")
    args = commands(blocker / "sub", tmp_path / "in")[name]
    output = next(a for a in args if a.startswith(str(blocker)))
    failed(run(*args), f"{output}: cannot write: {blocker} is a file, not a folder")
    assert blocker.read_text() == "keep me"


@pytest.mark.parametrize("name", [c for c in COMMANDS if c != "export"])
def test_full_disk_dev_full(run, tmp_path: Path, name: str) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    args = commands(tmp_path / "unused", tmp_path / "in")[name]
    args[args.index(next(a for a in args if "unused" in a))] = "/dev/full"
    failed(run(*args), f"/dev/full: {DISK_FULL}")
    assert files_in(tmp_path / "unused") == []


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CSV file written fills the disk half-way (ENOSPC), as a real full disk does."""
    original = pd.DataFrame.to_csv

    def to_csv(self, path_or_buf=None, *args, **kwargs):
        if path_or_buf is None:
            return original(self, path_or_buf, *args, **kwargs)
        Path(path_or_buf).write_text("event_date,loc", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)


@pytest.mark.parametrize("name", ["export", "check", "extract", "geocode"])
def test_full_disk_while_writing_a_csv(run, tmp_path: Path, full_disk, name: str) -> None:
    out = tmp_path / "out"
    args = commands(out, tmp_path / "in")[name]
    output = next(a for a in args if a.startswith(str(out)))
    failed(run(*args), f"{output}: {DISK_FULL}")
    assert files_in(out) == []


def test_map_is_not_left_behind_when_its_unresolved_rows_cannot_be_written(
        run, tmp_path: Path, full_disk) -> None:
    source = write(tmp_path / "in.csv", "event_date,location\n2024-01-01,Gao\n"
                   "2024-01-02,Qwxzvbn\n")
    out = tmp_path / "out"
    failed(run("map", str(source), "-o", str(out / "m.html")),
           f"{out / 'm.unresolved.csv'}: {DISK_FULL}")
    assert files_in(out) == []


def test_extract_leaves_no_csv_when_its_map_cannot_be_written(run, tmp_path: Path) -> None:
    article = write(tmp_path / "article.txt", ARTICLE)
    out = tmp_path / "out"
    out.mkdir()
    blocker = write(out / "afile", "keep me")
    failed(run("extract", str(article), "-o", str(out / "events.csv"), "--map",
               str(blocker / "m.html")), f"{blocker}/m.html: cannot write: {blocker} is a file")
    assert files_in(out) == ["afile"]


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A folder no file can be created in: EACCES, as for a user without write permission
    (the tests may run as root, whom file modes do not stop)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    original = tempfile.mkstemp

    def mkstemp(suffix=None, prefix=None, dir=None, text=False):  # noqa: A002
        if dir is not None and Path(dir) == folder:
            name = os.path.join(dir, f"{prefix or ''}x1y2z3w4{suffix or ''}")
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        return original(suffix, prefix, dir, text)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    return folder


@pytest.mark.parametrize("name", COMMANDS)
def test_read_only_folder(run, tmp_path: Path, read_only: Path, name: str) -> None:
    args = commands(read_only, tmp_path / "in")[name]
    output = next(a for a in args if a.startswith(str(read_only)))
    failed(run(*args), f"{output}: cannot write: permission denied (is the folder "
                       f"{read_only} read-only?)")
    assert files_in(read_only) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="file modes do not stop root")
def test_read_only_folder_for_real(run, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        failed(run("map", EXAMPLE, "-o", str(folder / "m.html")),
               f"{folder / 'm.html'}: cannot write: permission denied")
        assert files_in(folder) == []
    finally:
        folder.chmod(0o755)


CHILD = """
import json, resource, sys
from click.testing import CliRunner
from geomap.cli import cli
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
results = []
for args in json.loads(sys.argv[2]):
    result = CliRunner().invoke(cli, args)
    results.append([result.exit_code, result.stderr, repr(result.exception)])
print(json.dumps(results))
"""
#: Bytes a process may write to one file: above what SQLite needs to read the index, below
#: every output of the commands below.
SIZE_LIMIT = 100_000


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_FSIZE")
def test_file_size_limit(tmp_path: Path) -> None:
    from geomap.gazetteer.lookup import default_gazetteer
    from geomap.geoparse.regions import default_regions

    default_gazetteer()  # built (or checked) before the limit applies
    default_regions()
    inputs = tmp_path / "in"
    inputs.mkdir()
    rows = "".join(f"2024-01-{1 + i % 28:02d},Gao,0.5,0.5,attack number {i}\n"
                   for i in range(3000))
    far = write(inputs / "far.csv", "event_date,location,latitude,longitude,notes\n" + rows)
    names = write(inputs / "names.csv", "location\n" + "Gao\nKidal\n" * 3000)
    article = write(inputs / "article.txt", ARTICLE * 400)
    out = tmp_path / "out"
    runs = {
        "map": ["map", EXAMPLE, "-o", str(out / "m.html"), "-q"],
        "demo": ["demo", "-o", str(out / "d.html")],
        "export": ["export", str(far), "-o", str(out / "x.csv"), "-q"],
        "check": ["check", str(far), "-o", str(out / "c.csv"), "-q"],
        "extract": ["extract", str(article), "--mentions", "-o", str(out / "e.csv")],
        "geocode": ["geocode", "--input", str(names), "-o", str(out / "g.csv"), "-q"],
    }
    done = subprocess.run([sys.executable, "-c", CHILD, str(SIZE_LIMIT),
                           json.dumps(list(runs.values()))],
                          capture_output=True, text=True, check=True, timeout=600)
    results = json.loads(done.stdout.splitlines()[-1])
    for (name, args), (status, stderr, exception) in zip(runs.items(), results, strict=True):
        output = next(a for a in args if a.startswith(str(out)))
        assert status == 2, (name, status, stderr, exception)
        assert stderr == (f"geomap: error: {output}: cannot write: the file would pass the "
                          "file size limit of this process (ulimit -f)\n"), name
    assert files_in(out) == []


def test_any_other_os_error_is_one_line_too() -> None:
    import click
    from click.testing import CliRunner

    from geomap.cli import GeomapGroup

    @click.group(cls=GeomapGroup)
    def top() -> None:
        """A stand-in for the real group."""

    @top.command()
    def write_part() -> None:
        raise OSError(errno.EFBIG, "File too large", "out/.m.html.geomap-1-abcdefgh.part.html")

    @top.command()
    def read_other() -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "/root/secret.csv")

    result = CliRunner().invoke(top, ["write-part"], catch_exceptions=False)
    assert failed(result) == ("geomap: error: out/m.html: cannot write: the file would pass "
                              "the file size limit of this process (ulimit -f)\n")
    result = CliRunner().invoke(top, ["read-other"], catch_exceptions=False)
    assert failed(result) == "geomap: error: /root/secret.csv: Permission denied\n"
