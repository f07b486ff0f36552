"""Download GeoNames country dumps (``ML.zip``) and import them into the local index.

GeoNames publishes one zipped dump per country at :data:`GEONAMES_DUMP_URL` under the
Creative Commons Attribution 4.0 licence (CC BY 4.0,
<https://creativecommons.org/licenses/by/4.0/>; credit "Places: GeoNames (CC BY 4.0)").
:func:`download_dump` fetches one with the standard library's :mod:`urllib.request` into
``<geomap home>/downloads/`` (:func:`downloads_dir`); :func:`download_country` then imports
it with :func:`geomap.gazetteer.importer.import_file`, exactly as
``geomap gazetteer import ML.zip`` would.

Nothing reaches the folder before every check has passed: HTTP status 200, the announced
``Content-Length`` against the bytes received, a size cap (:data:`MAX_DOWNLOAD_BYTES`),
a zip whose members pass their CRC check and that holds ``<CC>.txt``. The bytes go to a
temporary file next to the target (:func:`geomap.atomic.atomic_path`), are fsynced and
renamed into place; a failure or Ctrl-C removes the temporary file. Every failure to
download is a :class:`DownloadError` whose one-line message names the URL to fetch by hand
and the command that imports it, so that an offline machine is one step from the same result.

The base URL can point elsewhere (a mirror, a test server): pass ``url_template`` or set
``$GEOMAP_GEONAMES_URL`` (:data:`URL_ENV`) to a URL holding ``{code}``.
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from geomap.atomic import atomic_path
from geomap.errors import GazetteerError
from geomap.gazetteer.importer import import_file
from geomap.gazetteer.progress import Progress
from geomap.gazetteer.sources.default import iso_country_code
from geomap.resources import home_dir

if TYPE_CHECKING:
    from geomap.gazetteer.lookup import Gazetteer
    from geomap.gazetteer.records import SourceInfo

__all__ = [
    "GEONAMES_DUMP_URL",
    "GEONAMES_LICENCE",
    "URL_ENV",
    "DOWNLOADS_DIR",
    "MAX_DOWNLOAD_BYTES",
    "CHUNK_BYTES",
    "TIMEOUT_S",
    "DownloadError",
    "UnknownCountryError",
    "country_codes",
    "dump_url",
    "downloads_dir",
    "dump_problem",
    "download_dump",
    "download_country",
    "download_countries",
]

GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump/{code}.zip"
GEONAMES_LICENCE = "CC BY 4.0"
URL_ENV = "GEOMAP_GEONAMES_URL"  # overrides GEONAMES_DUMP_URL (a mirror, a test server)
DOWNLOADS_DIR = "downloads"  # below geomap's home directory
MAX_DOWNLOAD_BYTES = 512 * 1024**2  # the biggest country dump (US.zip) is a fraction of this
CHUNK_BYTES = 1 << 16  # bytes read from the socket at a time
TIMEOUT_S = 30.0  # seconds without an answer before a connection counts as lost
USER_AGENT = "geomap (gazetteer download; Python urllib)"
_PLACEHOLDER = "{code}"
_SCHEMES = ("http", "https")
_VALID = ("give ISO 3166 alpha-2 codes (ML, BF, NE), alpha-3 codes (MLI) "
          "or English country names (Mali)")


class DownloadError(GazetteerError, OSError):
    """A GeoNames dump cannot be fetched or is not a usable dump; nothing was written."""


class UnknownCountryError(GazetteerError, ValueError):
    """A country that is neither an ISO 3166 code nor a country name geomap knows."""


def country_codes(countries: Iterable[str]) -> list[str]:
    """Return the ISO alpha-2 codes of country codes or names, in order, each once.

    Parameters
    ----------
    countries : iterable of str
        ISO 3166 alpha-2 or alpha-3 codes in any case, or English country names.

    Raises
    ------
    UnknownCountryError
        For the first entry that is no country, naming it and what would be valid.

    Examples
    --------
    >>> country_codes(["ml", "BFA", "Niger", "ML"])
    ['ML', 'BF', 'NE']
    >>> country_codes(["ML", "XX"])
    Traceback (most recent call last):
    ...
    geomap.gazetteer.download.UnknownCountryError: unknown country 'XX': give ISO 3166 ...
    """
    codes: dict[str, None] = {}
    for text in countries:
        code = iso_country_code(text)
        if code is None:
            raise UnknownCountryError(f"unknown country {text!r}: {_VALID}")
        codes[code] = None
    return list(codes)


def dump_url(code: str, template: str | None = None) -> str:
    """Return the URL of a country's dump: ``template``, else ``$GEOMAP_GEONAMES_URL``,
    else :data:`GEONAMES_DUMP_URL`, with ``{code}`` replaced.

    Raises
    ------
    GazetteerError
        If the template holds no ``{code}`` or is not an http(s) URL.

    Examples
    --------
    >>> dump_url("ML", GEONAMES_DUMP_URL)
    'https://download.geonames.org/export/dump/ML.zip'
    >>> dump_url("BF", "http://127.0.0.1:8000/mirror/{code}.zip")
    'http://127.0.0.1:8000/mirror/BF.zip'
    """
    template = template or os.environ.get(URL_ENV) or GEONAMES_DUMP_URL
    url = template.replace(_PLACEHOLDER, code)
    if _PLACEHOLDER not in template or urlsplit(url).scheme not in _SCHEMES:
        raise GazetteerError(
            f"download URL template {template!r} must be an http(s) URL holding {_PLACEHOLDER}, "
            f"e.g. {GEONAMES_DUMP_URL} (--url-template or ${URL_ENV})"
        )
    return url


def downloads_dir() -> Path:
    """Return the folder downloaded dumps are kept in: ``<geomap home>/downloads``.

    Examples
    --------
    >>> downloads_dir().name
    'downloads'
    """
    return home_dir() / DOWNLOADS_DIR


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _failure(url: str, code: str, problem: str) -> DownloadError:
    """A DownloadError: what went wrong, then how to get the same result by hand."""
    problem = " ".join(problem.split())  # one line, whatever the reason's text holds
    return DownloadError(
        f"{problem}: download {url} by hand and run: geomap gazetteer import {code}.zip"
    )


def _reason(err: BaseException) -> str:
    reason = getattr(err, "reason", None) or err
    return str(reason) or type(reason).__name__


def _open(url: str, code: str, timeout: float) -> http.client.HTTPResponse:
    """Send the request; an unreachable host or an HTTP error is a :class:`DownloadError`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        return urllib.request.urlopen(request, timeout=timeout)  # http(s) only (dump_url)
    except urllib.error.HTTPError as err:
        err.close()
        raise _failure(url, code, f"{_host(url)} answered HTTP {err.code} ({err.reason}) "
                                  f"for {code}.zip") from err
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        raise _failure(url, code, f"cannot reach {_host(url)} ({_reason(err)})") from err


def _announced_size(response: http.client.HTTPResponse, url: str, code: str,
                    max_bytes: int) -> int | None:
    """Check the status and return the Content-Length (``None`` when not announced)."""
    if response.status != 200:
        raise _failure(url, code, f"{_host(url)} answered HTTP {response.status} "
                                  f"({response.reason}), not 200, for {code}.zip")
    header = response.headers.get("Content-Length")
    size = int(header) if header and header.strip().isdigit() else None
    if size is not None and size > max_bytes:
        raise _failure(url, code, f"{code}.zip would be {size:,} bytes, more than the "
                                  f"{max_bytes:,} a GeoNames country dump can be; refused")
    return size


def _copy(read: Callable[[], bytes], fh: BinaryIO, *, limit: int,
          on_bytes: Callable[[int], object]) -> int:
    """Copy chunks from ``read`` to ``fh`` until one is empty and return the bytes copied;
    ``-1`` as soon as they pass ``limit``.

    Examples
    --------
    >>> import io
    >>> source, out = io.BytesIO(b"abcde"), io.BytesIO()
    >>> _copy(lambda: source.read(2), out, limit=10, on_bytes=print), out.getvalue()
    2
    2
    1
    (5, b'abcde')
    >>> _copy(io.BytesIO(b"abc").read, io.BytesIO(), limit=2, on_bytes=print)
    -1
    """
    received = 0
    while chunk := read():
        received += len(chunk)
        if received > limit:
            return -1
        fh.write(chunk)
        on_bytes(len(chunk))
    return received


def _reader(response: http.client.HTTPResponse, url: str, code: str) -> Callable[[], bytes]:
    """``read()`` of the next chunk of the body; a lost connection is a DownloadError."""

    def read() -> bytes:
        try:
            return response.read(CHUNK_BYTES)
        except (OSError, http.client.HTTPException) as err:
            raise _failure(url, code, f"the connection to {_host(url)} was lost while "
                                      f"downloading {code}.zip ({_reason(err)})") from err

    return read


def _fetch(url: str, code: str, tmp: Path, *, progress: bool, max_bytes: int,
           timeout: float) -> int:
    """Write the body at ``url`` to ``tmp`` (fsynced) and return its size, all checked."""
    with _open(url, code, timeout) as response:
        size = _announced_size(response, url, code, max_bytes)
        try:
            with tmp.open("xb") as fh, Progress(progress, f"{code}.zip", size, "B") as bar:
                received = _copy(_reader(response, url, code), fh, limit=max_bytes,
                                 on_bytes=bar.add)
                fh.flush()
                os.fsync(fh.fileno())
        except DownloadError:
            raise
        except OSError as err:
            raise DownloadError(f"cannot write the download of {code}.zip to {tmp.parent} "
                                f"({err})") from err
    if received < 0:
        raise _failure(url, code, f"{code}.zip grew past {max_bytes:,} bytes, more than a "
                                  "GeoNames country dump can be; refused")
    if size is not None and received != size:
        raise _failure(url, code, f"the download of {code}.zip stopped after {received:,} of "
                                  f"the {size:,} bytes announced (truncated)")
    return received


def dump_problem(path: str | Path, code: str) -> str | None:
    """Say what is wrong with a downloaded country dump, or return ``None`` if it is usable.

    Usable means: a zip file, every member passing its CRC check, ``<code>.txt`` inside.

    Examples
    --------
    >>> import pathlib, tempfile, zipfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ML.zip"
    >>> with zipfile.ZipFile(path, "w") as archive:
    ...     archive.writestr("readme.txt", "GeoNames")
    >>> dump_problem(path, "ML")
    'a zip without ML.txt (it holds readme.txt)'
    >>> _ = path.write_bytes(b"<html>captive portal</html>")
    >>> dump_problem(path, "ML")
    "not a zip file (27 bytes, starting with b'<html>captive po')"
    """
    path = Path(path)
    if not zipfile.is_zipfile(path):
        with path.open("rb") as fh:
            start = fh.read(16)
        return f"not a zip file ({path.stat().st_size:,} bytes, starting with {start!r})"
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = [Path(m.filename).name for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as err:
        return f"a damaged zip file ({err})"
    if bad is not None:
        return f"a damaged zip file ({bad} fails its CRC check)"
    if f"{code}.txt" not in names:
        return f"a zip without {code}.txt (it holds {', '.join(names) or 'nothing'})"
    return None


def download_dump(
    country: str,
    *,
    folder: str | Path | None = None,
    url_template: str | None = None,
    progress: bool = True,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    timeout: float = TIMEOUT_S,
) -> Path:
    """Download a country's GeoNames dump (CC BY 4.0), check it and return its path.

    Parameters
    ----------
    country : str
        An ISO alpha-2 or alpha-3 code (any case) or an English country name.
    folder : path-like, optional
        Where the dump goes (default :func:`downloads_dir`); an earlier download of the same
        country is replaced, only once the new one has passed every check.
    url_template : str, optional
        The URL with ``{code}``; default ``$GEOMAP_GEONAMES_URL`` or :data:`GEONAMES_DUMP_URL`.
    progress : bool
        Show a progress bar on stderr (only when stderr is a terminal).
    max_bytes : int
        Refuse a body bigger than this.
    timeout : float
        Seconds to wait for the server before giving up.

    Returns
    -------
    pathlib.Path
        ``<folder>/<CC>.zip``.

    Raises
    ------
    UnknownCountryError
        If ``country`` is no country.
    DownloadError
        If the host cannot be reached, answers anything but 200, sends too many or too few
        bytes or something that is not a dump; the message says what to download by hand.
        Nothing is left in ``folder`` then (nor after Ctrl-C).
    """
    (code,) = country_codes([country])
    url = dump_url(code, url_template)
    target = Path(folder) if folder is not None else downloads_dir()
    with atomic_path(target / f"{code}.zip") as tmp:
        _fetch(url, code, tmp, progress=progress, max_bytes=max_bytes, timeout=timeout)
        problem = dump_problem(tmp, code)
        if problem is not None:
            raise _failure(url, code, f"the download of {code}.zip is {problem}")
    return target / f"{code}.zip"


def download_country(
    country: str,
    *,
    gazetteer: Gazetteer | None = None,
    folder: str | Path | None = None,
    url_template: str | None = None,
    progress: bool = True,
) -> SourceInfo:
    """Download a country's GeoNames dump (CC BY 4.0) and import it into the index.

    The source is named after the file (``"ML.zip"``), as ``geomap gazetteer import ML.zip``
    names it, so downloading again replaces the earlier import.

    Parameters
    ----------
    country : str
        An ISO alpha-2 or alpha-3 code (any case) or an English country name.
    gazetteer : Gazetteer, optional
        The gazetteer whose index receives the places; default :func:`default_gazetteer`.
    folder, url_template, progress
        As for :func:`download_dump`.

    Returns
    -------
    SourceInfo
        The source as the index now holds it.

    Raises
    ------
    UnknownCountryError, DownloadError
        As for :func:`download_dump`; the index is then unchanged.
    InputFileError, RowError
        If the dump cannot be read (the index is then left as it was).
    """
    path = download_dump(country, folder=folder, url_template=url_template, progress=progress)
    return import_file(path, gazetteer=gazetteer, progress=progress)


def download_countries(
    countries: Iterable[str],
    *,
    gazetteer: Gazetteer | None = None,
    url_template: str | None = None,
    progress: bool = True,
) -> Iterator[SourceInfo]:
    """Download and import several countries' dumps, one :class:`SourceInfo` each.

    Every country and the URL template are checked before the first request, so a typo
    in the last code costs no download.

    Raises
    ------
    UnknownCountryError, DownloadError, GazetteerError
        As for :func:`download_country`; the countries before the failing one stay
        imported.
    """
    codes = country_codes(countries)
    for code in codes:
        dump_url(code, url_template)
    for code in codes:
        yield download_country(code, gazetteer=gazetteer, url_template=url_template,
                               progress=progress)
