"""``geomap gazetteer import | info | remove``: the commands' wiring, with a stand-in index;
``gazetteer download`` end to end, against a stand-in GeoNames server on 127.0.0.1.

The real index is exercised end to end in tests/gazetteer/test_importer.py and
tests/gazetteer/test_download.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from geonames_server import FakeGeoNames, Reply, closed_port, downloaded, dump_zip

import geomap.gazetteer.importer as importer
from geomap.gazetteer.download import URL_ENV
from geomap.gazetteer.lookup import default_gazetteer

ML = SimpleNamespace(name="ML.txt", kind="geonames", count=1234, imported_at="2025-01-02",
                     modified="2022-06-14")


@pytest.fixture
def calls(monkeypatch) -> list:
    seen: list = []

    def import_file(path, *, name=None, progress=True, refresh=True):
        seen.append(("import", path, name, progress, refresh))
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
    # the fuzzy-name structure is rebuilt once, after the last file
    assert calls == [("import", "ML.txt", None, False, False),
                     ("import", "DZ.txt", None, False, True)]
    assert result.stderr.splitlines()[0] == \
        "imported ML.txt: 1,234 places (geonames, modified 2022-06-14)"


def test_import_quiet_prints_nothing(run, calls) -> None:
    result = run("gazetteer", "import", "ML.txt", "-q")
    assert result.exit_code == 0 and result.stderr == ""
    assert calls == [("import", "ML.txt", None, False, True)]


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


# -- gazetteer download: the real command against a stand-in GeoNames on 127.0.0.1 ----------
@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty GEOMAP_HOME of its own (enough for downloads that fail before importing)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("GEOMAP_HOME", str(home))
    monkeypatch.delenv(URL_ENV, raising=False)
    default_gazetteer.cache_clear()
    yield home
    default_gazetteer.cache_clear()


@pytest.fixture
def indexed_home(private_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """:func:`private_home` (a copy of the session's default index), no URL override."""
    monkeypatch.delenv(URL_ENV, raising=False)
    return private_home


@pytest.fixture
def geonames() -> Iterator[FakeGeoNames]:
    with FakeGeoNames() as server:
        server.serve("ML", Reply(200, dump_zip("ML")))
        yield server


def error_line(result) -> str:
    """The one line a failed command prints (and its exit status is 2)."""
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("geomap: error: ")
    return line.removeprefix("geomap: error: ")


def test_download_imports_and_geocodes(run, indexed_home: Path,
                                       geonames: FakeGeoNames) -> None:
    result = run("gazetteer", "download", "ml", "--url-template", geonames.template)
    assert result.exit_code == 0, result.output
    assert result.stderr == "imported ML.zip: 3 places (geonames, modified 2024-03-01)\n"
    assert downloaded(indexed_home) == ["ML.zip"]
    found = run("geocode", "Tinfixtura")
    assert found.exit_code == 0, found.output
    assert found.stdout.startswith("Tinfixtura\tTinfixtura, ML\t19.61000, 2.71000\t")
    assert found.stdout.rstrip().endswith("[ML.zip]")


def test_download_quiet_and_from_the_environment(run, indexed_home: Path,
                                                 geonames: FakeGeoNames,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, geonames.template)
    result = run("gazetteer", "download", "Mali", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert geonames.requests == ["/export/dump/ML.zip"]
    assert downloaded(indexed_home) == ["ML.zip"]


def test_download_404(run, home: Path, geonames: FakeGeoNames) -> None:
    result = run("gazetteer", "download", "BF", "--url-template", geonames.template, "-q")
    url = geonames.template.replace("{code}", "BF")
    assert error_line(result).endswith(
        f"answered HTTP 404 (Not Found) for BF.zip: download {url} by hand and run: "
        "geomap gazetteer import BF.zip")
    assert downloaded(home) == []


def test_download_refuses_a_corrupt_zip(run, home: Path, geonames: FakeGeoNames) -> None:
    geonames.serve("ML", Reply(200, bytes(range(256)) * 8))
    result = run("gazetteer", "download", "ML", "--url-template", geonames.template)
    assert error_line(result).startswith("the download of ML.zip is not a zip file (2,048 bytes")
    assert downloaded(home) == []


def test_download_refuses_a_truncated_body(run, home: Path, geonames: FakeGeoNames) -> None:
    body = dump_zip("ML")
    geonames.serve("ML", Reply(200, body[:50], length=len(body)))
    result = run("gazetteer", "download", "ML", "--url-template", geonames.template)
    assert f"stopped after 50 of the {len(body):,} bytes announced (truncated)" \
        in error_line(result)
    assert downloaded(home) == []


def test_download_checks_every_country_first(run, home: Path, geonames: FakeGeoNames) -> None:
    result = run("gazetteer", "download", "ML", "XX", "--url-template", geonames.template)
    assert error_line(result) == ("unknown country 'XX': give ISO 3166 alpha-2 codes (ML, BF, "
                                  "NE), alpha-3 codes (MLI) or English country names (Mali)")
    assert geonames.requests == [] and downloaded(home) == []


def test_download_offline(run, home: Path) -> None:
    port = closed_port()
    result = run("gazetteer", "download", "ML", "--url-template",
                 f"http://127.0.0.1:{port}/export/dump/{{code}}.zip")
    line = error_line(result)
    assert line.startswith(f"cannot reach 127.0.0.1:{port} (")
    assert "Connection refused" in line
    assert line.endswith(f"download http://127.0.0.1:{port}/export/dump/ML.zip by hand and "
                         "run: geomap gazetteer import ML.zip")
    assert downloaded(home) == []


def test_download_help_names_the_licence_and_the_fallback(run) -> None:
    text = " ".join(run("gazetteer", "download", "--help").stdout.split())
    assert "CC BY 4.0" in text and "--url-template" in text and "--quiet" in text
    assert "https://download.geonames.org/export/dump/CC.zip" in text
    assert "geomap gazetteer import CC.zip" in text


def test_download_checks_the_url_template_first(run, home: Path) -> None:
    result = run("gazetteer", "download", "ML", "--url-template", "ftp://mirror/{code}.zip")
    assert error_line(result).startswith(
        "download URL template 'ftp://mirror/{code}.zip' must be an http(s) URL holding {code}")
    assert downloaded(home) == []
