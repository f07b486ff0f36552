"""User gazetteers as CSV files: the places an analyst knows and GeoNames lacks.

One place a row, a header naming the columns (case and spaces do not matter; comma,
semicolon or tab separated; UTF-8):

=====================  ===========================================================
column                 accepted headers and values
=====================  ===========================================================
name (required)        ``name``
latitude (required)    ``lat``, ``latitude``: decimal degrees, -90..90
longitude (required)   ``lon``, ``lng``, ``long``, ``longitude``: -180..180
country (required)     ``country_code``, ``cc``, ``iso``, ``country``: ISO 3166
                       alpha-2 (``ML``) or alpha-3 (``MLI``)
alternate names        ``alternate_names``, ``alternatenames``, ``aliases``:
                       separated by ``|`` (or by ``,`` when there is no ``|``)
feature type           ``feature_class`` and ``feature_code`` (GeoNames: ``P`` /
                       ``PPL``), or one ``feature``/``feature_type`` column holding
                       ``P.PPL``, ``P/PPL``, ``PPLA`` or ``P``; default ``P.PPL``
population             ``population``: a whole number, default 0
id                     ``id`` (kept as written) or ``geonameid`` (becomes
                       ``geonames:<id>`` so the place replaces its GeoNames copy)
admin1, admin2         ``admin1``, ``admin2``: names or codes, kept as written
=====================  ===========================================================

Rows without an id get ``<source>:<row>``.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from pathlib import Path

from geomap.errors import InputFileError, RowError
from geomap.gazetteer.records import PlaceRecord

__all__ = ["COLUMN_ALIASES", "read_user_csv", "parse_feature"]

COLUMN_ALIASES = {
    "name": ("name",),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "country_code": ("country_code", "countrycode", "cc", "iso", "iso_a2", "country"),
    "alternate_names": ("alternate_names", "alternatenames", "alternates", "aliases",
                        "alt_names"),
    "feature_class": ("feature_class", "fclass", "class"),
    "feature_code": ("feature_code", "fcode", "code"),
    "feature": ("feature", "feature_type", "type"),
    "population": ("population", "pop"),
    "id": ("id",),
    "geonameid": ("geonameid", "geonames_id"),
    "admin1": ("admin1",),
    "admin2": ("admin2",),
}
_REQUIRED = ("name", "latitude", "longitude", "country_code")
_CODE_CLASS = (("PPL", "P"), ("ADM", "A"), ("PCL", "A"), ("TERR", "A"), ("ZN", "A"))
_FEATURE = re.compile(r"^(?:([A-Z])\s*[./:\s]\s*)?([A-Z0-9]{2,5})$")


def parse_feature(text: str) -> tuple[str, str]:
    """Split a feature type written as ``P.PPL``, ``P/PPL``, ``PPLA`` or ``P``.

    Returns
    -------
    tuple of str
        ``(feature_class, feature_code)``; the code is empty when only a class is given.

    Raises
    ------
    ValueError
        If the text is not a GeoNames feature class and/or code.

    Examples
    --------
    >>> parse_feature("P.PPL"), parse_feature("PPLA"), parse_feature("t/hll"), parse_feature("H")
    (('P', 'PPL'), ('P', 'PPLA'), ('T', 'HLL'), ('H', ''))
    """
    text = text.strip().upper()
    if len(text) == 1 and text.isalpha():
        return text, ""
    match = _FEATURE.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a GeoNames feature type; write class and code (P.PPL, T.HLL), "
            "a code (PPL, PPLA, ADM2) or a class (P, A, T, H)"
        )
    fclass, fcode = match.group(1), match.group(2)
    if fclass is None:
        fclass = next((c for prefix, c in _CODE_CLASS if fcode.startswith(prefix)), None)
        if fclass is None:
            raise ValueError(f"{text!r}: give the feature class too (for example T.{fcode})")
    return fclass, fcode


def _columns(header: list[str], path: Path) -> dict[str, int]:
    """Map our column names to header positions; raise when a required one is missing."""
    found = {h.strip().lower().replace(" ", "_").replace("-", "_"): i
             for i, h in enumerate(header)}
    columns = {}
    for ours, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in found:
                columns[ours] = found[alias]
                break
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        wanted = "; ".join(f"{c} ({' or '.join(COLUMN_ALIASES[c])})" for c in missing)
        raise InputFileError(
            f"{path}: missing column {wanted}; the header has {', '.join(header) or 'nothing'}"
        )
    return columns


class _Row:
    """One data row with its file and row number, for messages."""

    def __init__(self, path: Path, number: int, values: list[str], columns: dict[str, int]):
        self.path, self.number, self.values, self.columns = path, number, values, columns

    def get(self, column: str) -> str:
        i = self.columns.get(column)
        return self.values[i].strip() if i is not None and i < len(self.values) else ""

    def error(self, column: str, message: str) -> RowError:
        return RowError(str(self.path), self.number, column, message)

    def number_in(self, column: str, lo: float, hi: float) -> float:
        text = self.get(column)
        try:
            value = float(text.replace(",", ".") if text.count(",") == 1 else text)
        except ValueError:
            raise self.error(column, f"{text!r} is not a number") from None
        if not (math.isfinite(value) and lo <= value <= hi):
            raise self.error(column, f"{text!r} is outside [{lo:g}, {hi:g}]")
        return value


def _country(row: _Row, iso3: dict[str, str]) -> str:
    text = row.get("country_code").upper()
    if len(text) == 2 and text.isalpha():
        return text
    if text in iso3:
        return iso3[text]
    raise row.error("country_code",
                    f"{text!r} is not an ISO 3166 country code; write ML or MLI")


def _feature(row: _Row) -> tuple[str, str]:
    try:
        if row.get("feature"):
            return parse_feature(row.get("feature"))
        fclass, fcode = row.get("feature_class").upper(), row.get("feature_code").upper()
        if fcode and not fclass:
            return parse_feature(fcode)
        return (fclass or "P", fcode or ("PPL" if not fclass or fclass == "P" else ""))
    except ValueError as err:
        raise row.error("feature" if row.get("feature") else "feature_code", str(err)) from None


def _population(row: _Row) -> int:
    text = row.get("population").replace(" ", "").replace("_", "")
    if not text:
        return 0
    if not text.isdigit():
        raise row.error("population", f"{text!r} is not a whole number >= 0")
    return int(text)


def _alternates(text: str, name: str) -> tuple[str, ...]:
    parts = text.split("|") if "|" in text else text.split(",")
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip() and p.strip() != name))


def _ext_id(row: _Row, source: str) -> str:
    if row.get("id"):
        return row.get("id")
    if row.get("geonameid"):
        if not row.get("geonameid").isdigit():
            raise row.error("geonameid", f"{row.get('geonameid')!r} is not a GeoNames id")
        return f"geonames:{row.get('geonameid')}"
    return f"{source}:{row.number}"


def _record(row: _Row, source: str, iso3: dict[str, str]) -> PlaceRecord:
    name = row.get("name")
    if not name:
        raise row.error("name", "empty; every place needs a name")
    fclass, fcode = _feature(row)
    return PlaceRecord(
        ext_id=_ext_id(row, source),
        name=name,
        lat=row.number_in("latitude", -90, 90),
        lon=row.number_in("longitude", -180, 180),
        country_code=_country(row, iso3),
        feature_class=fclass,
        feature_code=fcode,
        population=_population(row),
        admin1=row.get("admin1"),
        admin2=row.get("admin2"),
        alternate_names=_alternates(row.get("alternate_names"), name),
    )


def _iso3_table() -> dict[str, str]:
    from geomap.gazetteer.sources.default import country_table

    return {info["iso3"]: iso for iso, info in country_table().items()}


def read_user_csv(path: str | Path, *, source: str | None = None) -> Iterator[PlaceRecord]:
    """Yield the places of a user CSV gazetteer (columns in the module docstring).

    Parameters
    ----------
    path : path-like
        The CSV file.
    source : str, optional
        Prefix of the ids given to rows without one (default: the file name).

    Raises
    ------
    InputFileError
        If the file is missing, not UTF-8 or lacks a required column.
    RowError
        Naming the file, the row (1-based, header is row 0) and the column of a bad value.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError.missing(path)
    source = source or path.name
    iso3 = _iso3_table()
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(1 << 14)
            fh.seek(0)
            delimiter = max(",;\t", key=sample.split("\n", 1)[0].count)
            reader = csv.reader(fh, delimiter=delimiter)
            header = next(reader, [])
            columns = _columns(header, path)
            for number, values in enumerate(reader, start=1):
                if not any(v.strip() for v in values):
                    continue
                yield _record(_Row(path, number, values, columns), source, iso3)
    except UnicodeDecodeError as err:
        raise InputFileError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") \
            from err
    except csv.Error as err:
        raise InputFileError(f"{path}: not a readable CSV file ({err})") from err
