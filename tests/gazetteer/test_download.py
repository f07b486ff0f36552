"""Downloading GeoNames country dumps: checks, atomic writes, the offline message.

Every test talks to :class:`geonames_server.FakeGeoNames` on 127.0.0.1 (or to a closed
port there); none touches the network.
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from geonames_server import FakeGeoNames, Reply, closed_port, downloaded, dump_zip

import geomap.gazetteer.download as download
import geomap.gazetteer.progress as progress_bars
from geomap.errors import GazetteerError
from geomap.gazetteer.download import (
    URL_ENV,
    DownloadError,
    UnknownCountryError,
    download_country,
    download_dump,
    downloads_dir,
    dump_url,
)
from geomap.gazetteer.lookup import Gazetteer

BY_HAND = "by hand and run: geomap gazetteer import ML.zip"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A GEOMAP_HOME of its own and no URL override from the environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("GEOMAP_HOME", str(home))
    monkeypatch.delenv(URL_ENV, raising=False)
    return home


@pytest.fixture
def gaz(tmp_path: Path) -> Gazetteer:
    """An empty private index (no embedded default: fast)."""
    return Gazetteer(tmp_path / "index.sqlite", ensure_default=False)


@pytest.fixture
def server() -> Iterator[FakeGeoNames]:
    with FakeGeoNames() as fake:
        fake.serve("ML", Reply(200, dump_zip("ML")))
        yield fake


def failure(server: FakeGeoNames, **kwargs) -> str:
    """The message of the DownloadError that downloading ML raises; checked to be one line."""
    with pytest.raises(DownloadError) as err:
        download_dump("ML", url_template=server.template, progress=False, **kwargs)
    message = str(err.value)
    assert "\n" not in message
    return message


# -- success ---------------------------------------------------------------------------
def test_download_imports_the_places(home: Path, gaz: Gazetteer,
                                     server: FakeGeoNames) -> None:
    info = download_country("ml", gazetteer=gaz, url_template=server.template, progress=False)
    assert (info.name, info.kind, info.count, info.modified) == (
        "ML.zip", "geonames", 3, "2024-03-01")
    assert info.path == str(home / "downloads" / "ML.zip")
    place = gaz.lookup("Tinfixtura").place
    assert (place.id, place.country_code, place.source) == ("geonames:99200001", "ML", "ML.zip")
    assert server.requests == ["/export/dump/ML.zip"]
    assert downloaded(home) == ["ML.zip"]
    assert zipfile.ZipFile(home / "downloads" / "ML.zip").namelist() == ["readme.txt", "ML.txt"]


def test_download_again_replaces(home: Path, gaz: Gazetteer, server: FakeGeoNames) -> None:
    for country in ("ML", "Mali", "mli"):
        info = download_country(country, gazetteer=gaz, url_template=server.template,
                                progress=False)
    assert info.count == gaz.index.place_count() == 3
    assert [s.name for s in gaz.index.sources()] == ["ML.zip"]
    assert downloaded(home) == ["ML.zip"]


def test_the_environment_sets_the_url(home: Path, server: FakeGeoNames,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, server.template)
    assert download_dump("ML", progress=False) == downloads_dir() / "ML.zip"
    assert server.requests == ["/export/dump/ML.zip"]


def test_a_body_without_content_length_is_accepted(home: Path, server: FakeGeoNames) -> None:
    server.serve("ML", Reply(200, dump_zip("ML"), no_length=True))
    assert download_dump("ML", url_template=server.template, progress=False).is_file()


def test_url_template_needs_the_code_and_http() -> None:
    assert dump_url("NE", "https://mirror.example/geonames/{code}.zip") == \
        "https://mirror.example/geonames/NE.zip"
    for template in ("https://mirror.example/ML.zip", "file:///tmp/{code}.zip"):
        with pytest.raises(GazetteerError, match="must be an http.s. URL holding {code}"):
            dump_url("ML", template)


# -- refusals: nothing is left behind --------------------------------------------------
def test_404_says_what_to_download_by_hand(home: Path, server: FakeGeoNames) -> None:
    server.routes.clear()
    message = failure(server)
    host = server.template.split("/")[2]
    assert message == (f"{host} answered HTTP 404 (Not Found) for ML.zip: download "
                       f"{server.template.format(code='ML')} {BY_HAND}")
    assert downloaded(home) == []


def test_another_status_than_200_is_refused(home: Path, server: FakeGeoNames) -> None:
    server.serve("ML", Reply(203, dump_zip("ML")))
    assert "HTTP 203 (Non-Authoritative Information), not 200" in failure(server)
    assert downloaded(home) == []


def test_random_bytes_are_not_a_zip(home: Path, server: FakeGeoNames) -> None:
    server.serve("ML", Reply(200, random.Random(7).randbytes(4096)))
    message = failure(server)
    assert message.startswith("the download of ML.zip is not a zip file (4,096 bytes")
    assert message.endswith(BY_HAND)
    assert downloaded(home) == []


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_damaged_zip_is_refused(home: Path, server: FakeGeoNames, compression: int) -> None:
    body = bytearray(dump_zip("ML", compression=compression))
    start = body.index(b"ML.txt") + len(b"ML.txt")  # the member's data follow its name
    body[start + 10] ^= 0xFF
    server.serve("ML", Reply(200, bytes(body)))
    assert "the download of ML.zip is a damaged zip file" in failure(server)
    assert downloaded(home) == []


def test_a_zip_without_the_country_table_is_refused(home: Path, server: FakeGeoNames) -> None:
    server.serve("ML", Reply(200, dump_zip("ML", table="BF.txt")))
    assert "is a zip without ML.txt (it holds readme.txt, BF.txt)" in failure(server)
    assert downloaded(home) == []


def test_a_truncated_body_is_refused(home: Path, server: FakeGeoNames) -> None:
    body = dump_zip("ML")
    server.serve("ML", Reply(200, body[:100], length=len(body)))
    message = failure(server)
    assert f"stopped after 100 of the {len(body):,} bytes announced (truncated)" in message
    assert downloaded(home) == []


def test_an_absurd_size_is_refused_before_and_while_reading(home: Path,
                                                            server: FakeGeoNames) -> None:
    server.serve("ML", Reply(200, b"", length=10**12))
    assert "would be 1,000,000,000,000 bytes, more than the" in failure(server)
    server.serve("ML", Reply(200, dump_zip("ML"), no_length=True))
    assert "grew past 100 bytes" in failure(server, max_bytes=100)
    assert downloaded(home) == []


def test_an_earlier_download_survives_a_failed_one(home: Path, server: FakeGeoNames) -> None:
    path = download_dump("ML", url_template=server.template, progress=False)
    before = path.read_bytes()
    server.serve("ML", Reply(200, b"<html>captive portal</html>"))
    failure(server)
    assert downloaded(home) == ["ML.zip"] and path.read_bytes() == before


def test_ctrl_c_leaves_nothing(home: Path, server: FakeGeoNames,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(path: Path, code: str) -> None:
        assert path.stat().st_size > 0  # the body was written to the temporary file
        raise KeyboardInterrupt

    monkeypatch.setattr(download, "dump_problem", interrupted)
    with pytest.raises(KeyboardInterrupt):
        download_dump("ML", url_template=server.template, progress=False)
    assert downloaded(home) == []


# -- no network --------------------------------------------------------------------------
def test_a_refused_connection_is_the_offline_message(home: Path) -> None:
    template = f"http://127.0.0.1:{closed_port()}/{{code}}.zip"
    with pytest.raises(DownloadError) as err:
        download_dump("ML", url_template=template, progress=False)
    assert isinstance(err.value, GazetteerError) and isinstance(err.value, OSError)
    message = str(err.value)
    assert message.startswith(f"cannot reach {template.split('/')[2]} (")
    assert "Connection refused" in message and message.endswith(BY_HAND)
    assert "\n" not in message and downloaded(home) == []


def test_a_silent_server_times_out(home: Path, server: FakeGeoNames) -> None:
    server.serve("ML", Reply(200, dump_zip("ML"), delay_s=1.0))
    message = failure(server, timeout=0.2)
    assert "(timed out)" in message and message.endswith(BY_HAND)
    assert downloaded(home) == []


# -- countries -------------------------------------------------------------------------
def test_unknown_country_is_refused_before_any_request(home: Path,
                                                       server: FakeGeoNames) -> None:
    with pytest.raises(UnknownCountryError, match="unknown country 'Atlantis': give ISO 3166 "
                       r"alpha-2 codes \(ML, BF, NE\)") as err:
        download_dump("Atlantis", url_template=server.template)
    assert isinstance(err.value, ValueError)
    assert server.requests == [] and downloaded(home) == []


# -- the progress bar ----------------------------------------------------------------------
class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("progress", "drawn"), [(True, True), (False, False)])
def test_the_bar_is_drawn_on_a_terminal_when_asked(home: Path, server: FakeGeoNames,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   progress: bool, drawn: bool) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(progress_bars, "BAR_DELAY_S", 0)  # drawn at once, however fast
    download_dump("ML", url_template=server.template, progress=progress)
    assert ("ML.zip:" in terminal.getvalue()) is drawn
