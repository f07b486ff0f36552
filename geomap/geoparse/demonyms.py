"""Demonyms: the adjectives that name a country ("Malian") or a continent ("African").

Countries' demonyms come from ``countryinfo`` (one or more per country; the most
populous country wins a shared one), continents' from :data:`CONTINENT_ADJECTIVES`, and
a divided country's bare demonym ("Korean") from :func:`bare_of_divided`. The same
``countryinfo`` records carry the CIA World Factbook point of each country, which
:func:`geomap.geoparse.country_points.country_point` weighs against the landmass centre.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from importlib import resources
from typing import NamedTuple

from geomap.gazetteer.normalize import compact_key

__all__ = ["CONTINENT_ADJECTIVES", "COMPASS_WORDS", "CountryInfo", "bare_of_divided",
           "read_countryinfo"]

log = logging.getLogger(__name__)

#: Continent adjectives (English usage), by GeoNames continent code.
CONTINENT_ADJECTIVES = {
    "AF": ("African",), "EU": ("European",), "AS": ("Asian",),
    "NA": ("North American",), "SA": ("South American", "Latin American"),
    "OC": ("Oceanian",), "AN": ("Antarctic",),
}
#: The words that tell the parts of a divided country apart ("South Korea").
COMPASS_WORDS = ("north", "south", "east", "west")
# a shorter remainder after a compass word is a fragment, not a name
_MIN_BARE_LETTERS = 4


class CountryInfo(NamedTuple):
    """What geoparsing reads from ``countryinfo``.

    Attributes
    ----------
    demonyms : dict
        Compact key of a demonym ("malian") -> ISO alpha-2 code, or ``"@XX"`` for the
        continent with code ``XX``.
    factbook_points : dict
        ISO alpha-2 code -> (lat, lon), the Factbook's "geographic coordinates".
    """

    demonyms: dict[str, str]
    factbook_points: dict[str, tuple[float, float]]


def read_countryinfo() -> CountryInfo:
    """Read the demonyms and Factbook points of every country (empty without countryinfo).

    Examples
    --------
    >>> info = read_countryinfo()
    >>> info.demonyms["malian"], info.demonyms["african"], len(info.factbook_points) > 200
    ('ML', '@AF', True)
    """
    try:
        folder = resources.files("countryinfo") / "data"
        files = [f for f in folder.iterdir() if f.name.endswith(".json")]
    except (ModuleNotFoundError, FileNotFoundError):
        log.warning("countryinfo is not installed: demonyms are not recognised")
        files = []
    best: dict[str, tuple[int, str]] = {}
    points: dict[str, tuple[float, float]] = {}
    for f in files:
        rec = json.loads(f.read_text(encoding="utf-8"))
        iso = (rec.get("ISO") or {}).get("alpha2")
        if not iso:
            continue
        latlng = rec.get("latlng")
        if isinstance(latlng, list) and len(latlng) == 2:
            points[iso] = (float(latlng[0]), float(latlng[1]))
        pop = int(rec.get("population") or 0)
        for word in (rec.get("demonym") or "").split(","):
            key = compact_key(word.strip())
            if key and (key not in best or best[key][0] < pop):
                best[key] = (pop, iso)
    out = {key: iso for key, (_, iso) in best.items()}
    for code, words in CONTINENT_ADJECTIVES.items():
        for word in words:
            out.setdefault(compact_key(word), f"@{code}")
    for key, iso in bare_of_divided(best).items():
        out.setdefault(key, iso)  # never over a continent's adjective ("African")
    return CountryInfo(out, points)


def bare_of_divided(named: dict[str, tuple[int, str]]) -> dict[str, str]:
    """A divided country's bare name or demonym: "Korean" is "South Korean".

    ``named`` maps compact keys ("southkorean") to (population, ISO code). A bare key
    ("korean") that is no key itself and occurs with two or more compass words (North
    and South Korea) goes to the most populous of those countries, as a demonym shared
    by two countries does. "South African" alone leaves "African" alone.

    Examples
    --------
    >>> bare_of_divided({"southkorean": (51, "KR"), "northkorean": (25, "KP"),
    ...                  "sudanese": (40, "SD"), "southsudanese": (11, "SS"),
    ...                  "southafrican": (58, "ZA")})
    {'korean': 'KR'}
    """
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for key, (pop, iso) in named.items():
        for word in COMPASS_WORDS:
            bare = key[len(word):] if key.startswith(word) else ""
            if len(bare) >= _MIN_BARE_LETTERS and bare not in named:
                found[bare].append((pop, iso))
    return {bare: max(options)[1] for bare, options in found.items() if len(options) > 1}
