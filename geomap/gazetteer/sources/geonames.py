"""GeoNames dumps: ``allCountries.txt``, per-country files such as ``ML.txt``, or their zip.

The standard GeoNames "geoname" table is UTF-8 text, one place a line, 19 tab-separated
columns and no header (see :data:`COLUMNS`). :class:`GeoNamesDump` streams it: the
file is read line by line, never whole (``allCountries.txt`` is 1.5 GB), and only the
administrative names (a few thousand) are kept in memory.

Places keep their GeoNames identity (``ext_id="geonames:<geonameid>"``) so that a place
both in an imported dump and in the embedded default is indexed once; admin codes are
stored as ``"ML.10"`` (admin1) and ``"ML.10.7670549"`` (admin2) and named from the
dump's own ``ADM1``/``ADM2`` features.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from geomap.errors import InputFileError, RowError
from geomap.gazetteer.records import PlaceRecord

__all__ = ["COLUMNS", "GeoNamesDump", "dump_size", "is_geonames_dump", "open_dump"]

COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
    "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
    "modification_date",
)
_N = len(COLUMNS)
_COL = {name: i for i, name in enumerate(COLUMNS)}
_ADMIN_LEVELS = {"ADM1": 1, "ADM2": 2}


def _dump_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    """Pick the geoname table inside a GeoNames zip (``ML.zip`` holds ``ML.txt``)."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    for member in members:
        if Path(member.filename).name == f"{path.stem}.txt":
            return member
    tables = [m for m in members if m.filename.endswith(".txt")
              and "readme" not in m.filename.lower()]
    if len(tables) == 1:
        return tables[0]
    names = ", ".join(m.filename for m in members) or "nothing"
    raise InputFileError(
        f"{path}: cannot tell which file is the GeoNames table; expected {path.stem}.txt, "
        f"the zip holds {names}"
    )


@contextmanager
def open_dump(path: str | Path) -> Iterator[tuple[BinaryIO, int]]:
    """Open a dump (plain or zipped) as a binary stream and give its uncompressed size.

    Raises
    ------
    InputFileError
        If the file is missing or is a damaged zip.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError.missing(path)
    if path.suffix.lower() != ".zip":
        with path.open("rb") as fh:
            yield fh, path.stat().st_size
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as err:
        raise InputFileError(f"{path}: not a readable zip file ({err})") from err
    with archive:
        member = _dump_member(archive, path)
        with archive.open(member) as fh:
            yield fh, member.file_size


def dump_size(path: str | Path) -> int:
    """Return the uncompressed size in bytes of a dump (plain or zipped)."""
    with open_dump(path) as (_, size):
        return size


def is_geonames_dump(path: str | Path) -> bool:
    """Tell whether a file looks like a GeoNames table: 19 tab-separated columns, an id.

    Zip files are assumed to be GeoNames dumps (that is how GeoNames distributes them).
    """
    path = Path(path)
    if path.suffix.lower() == ".zip":
        return True
    with path.open("rb") as fh:
        first = fh.readline(1 << 16).rstrip(b"\r\n").split(b"\t")
    return len(first) == _N and first[0].strip().isdigit()


class GeoNamesDump:
    """One GeoNames dump, read as a stream of :class:`~geomap.gazetteer.records.PlaceRecord`.

    Iterate :meth:`records` once; afterwards :attr:`admin_names` holds the ``(code,
    name)`` pairs of the dump's ADM1/ADM2 features and :attr:`modified` the latest
    modification date (column 19), both as :meth:`geomap.gazetteer.index.Index.replace_source`
    takes them.

    Parameters
    ----------
    path : path-like
        ``allCountries.txt``, ``ML.txt``, ... or their ``.zip``.
    on_bytes : callable, optional
        Called with the number of (uncompressed) bytes read after each line, for a
        progress bar.
    """

    def __init__(self, path: str | Path, *, on_bytes: Callable[[int], object] | None = None):
        self.path = Path(path)
        self.on_bytes = on_bytes
        self.admin_names: list[tuple[str, str]] = []
        self.modified = ""
        self.size = 0

    def records(self) -> Iterator[PlaceRecord]:
        """Yield the places of the dump, line by line.

        Raises
        ------
        RowError
            For a line that is not valid UTF-8, has the wrong number of columns or holds
            a bad number (the row is the 1-based line number).
        """
        self.admin_names = []
        self.modified = ""
        with open_dump(self.path) as (fh, size):
            self.size = size
            for lineno, raw in enumerate(io.BufferedReader(fh, 1 << 20), start=1):
                if self.on_bytes is not None:
                    self.on_bytes(len(raw))
                if not raw.strip() or raw.startswith(b"#"):
                    continue
                yield self._record(self._fields(raw, lineno), lineno)

    def _fields(self, raw: bytes, lineno: int) -> list[str]:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise RowError(str(self.path), lineno, "line",
                           f"not UTF-8 text ({err.reason} at byte {err.start})") from None
        fields = text.rstrip("\r\n").split("\t")
        if len(fields) != _N:
            raise RowError(
                str(self.path), lineno, "line",
                f"{len(fields)} tab-separated columns, a GeoNames table has {_N} "
                f"({', '.join(COLUMNS[:3])}, ..., modification_date)",
            )
        return fields

    def _number(self, fields: list[str], column: str, lineno: int, kind: type,
                lo: float, hi: float) -> float:
        text = fields[_COL[column]].strip()
        if not text and kind is int:
            return 0
        try:
            value = kind(text)
        except ValueError:
            raise RowError(str(self.path), lineno, column,
                           f"{text!r} is not {'a whole number' if kind is int else 'a number'}"
                           ) from None
        if not lo <= value <= hi:
            raise RowError(str(self.path), lineno, column, f"{text!r} is outside [{lo}, {hi}]")
        return value

    def _record(self, f: list[str], lineno: int) -> PlaceRecord:
        geonameid = self._number(f, "geonameid", lineno, int, 1, float("inf"))
        lat = self._number(f, "latitude", lineno, float, -90, 90)
        lon = self._number(f, "longitude", lineno, float, -180, 180)
        population = self._number(f, "population", lineno, int, 0, float("inf"))
        cc, a1, a2 = f[_COL["country_code"]], f[_COL["admin1_code"]], f[_COL["admin2_code"]]
        admin1 = f"{cc}.{a1}" if cc and a1 else ""
        admin2 = f"{admin1}.{a2}" if admin1 and a2 else ""
        fcode = f[_COL["feature_code"]]
        self._note_admin(fcode, admin1, admin2, f[_COL["name"]])
        modified = f[_COL["modification_date"]]
        if modified > self.modified:
            self.modified = modified
        name = f[_COL["name"]]
        alternates = [a for a in f[_COL["alternatenames"]].split(",") if a and a != name]
        ascii_name = f[_COL["asciiname"]]
        if ascii_name and ascii_name != name and ascii_name not in alternates:
            alternates.insert(0, ascii_name)
        return PlaceRecord(
            ext_id=f"geonames:{geonameid}",
            name=name,
            lat=lat,
            lon=lon,
            country_code=cc,
            feature_class=f[_COL["feature_class"]],
            feature_code=fcode,
            population=int(population),
            admin1=admin1,
            admin2=admin2,
            alternate_names=tuple(alternates),
        )

    def _note_admin(self, fcode: str, admin1: str, admin2: str, name: str) -> None:
        level = _ADMIN_LEVELS.get(fcode)
        code = {1: admin1, 2: admin2}.get(level or 0, "")
        if code and name:
            self.admin_names.append((code, name))
