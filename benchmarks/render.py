"""Benchmark geomap's HTML map against geopandas ``explore()`` and folium FastMarkerCluster.

Usage::

    python benchmarks/render.py [--sizes 1000,10000,100000] [--out output/bench]
                                [--loads 3] [--no-peers] [--no-browser]

For each size it builds synthetic but realistic Sahel incidents (fixed seed: towns of Mali,
Burkina Faso, Niger, Chad, Nigeria, Algeria and Mauritania with events scattered around
them, ACLED actors, event and sub-event types, dates over 2018-2025 at day, month or year
precision, notes of about 200 characters composed from a vocabulary of sentences, sources
and source URLs), then, in the same run:

* **build + save**: wall time of building the map object and writing the HTML file, and
  the file's size, for geomap (default = CDN links + OpenStreetMap tiles, and
  ``--offline`` = everything inlined + vector basemap), ``GeoDataFrame.explore()`` (its
  default tooltip of every column, plus ``popup=True``) and folium ``FastMarkerCluster``
  with a popup callback (one escaped HTML popup string per event, as folium users do).
  Border distances (``geomap.borders.layers.distance_to_border``), border layers
  (``geomap.borders.layers.border_layers``) and the offline basemap
  (``geomap.borders.layers.basemap_layers``) are computed once, **outside** the timing: they are
  data preparation shared by every tool, and their time is printed on its own line.
* **load** (geomap pages only): each page opened in headless Debian Chromium
  (``/usr/bin/chromium``), CDN assets answered from ``node_modules``, tiles blank, nothing
  else reachable. The figure is ``performance.now()`` (milliseconds since navigation start)
  in the first animation frame after the cluster layer has drawn the initial view: the
  runtime then sets ``geomap.timings.ready`` and dispatches ``geomap:ready``. The median
  of ``--loads`` fresh page loads is reported, with the phases of that load.
* **date filter** (geomap default page): the time the page takes to apply a one-year date
  range, and to go back to all dates (``input`` event to legend and clusters updated).

Ratios against ``explore()`` are printed with the issue's targets: build + save <= 0.2x,
HTML <= 0.25x, 100k page drawn <= 3 s, 10k <= 1 s.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240825
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b4944415478da63600002000005000157a2fe0a0000000049454e44ae426082"
)

# --------------------------------------------------------------------------- synthetic data

# (name, admin1, ISO code, country, lat, lon, weight)
TOWNS = [
    ("Bamako", "Bamako", "ML", "Mali", 12.65, -8.00, 3),
    ("Gao", "Gao", "ML", "Mali", 16.27, -0.04, 5),
    ("Timbuktu", "Tombouctou", "ML", "Mali", 16.77, -3.01, 4),
    ("Kidal", "Kidal", "ML", "Mali", 18.44, 1.41, 3),
    ("Mopti", "Mopti", "ML", "Mali", 14.49, -4.18, 5),
    ("Bandiagara", "Mopti", "ML", "Mali", 14.35, -3.61, 5),
    ("Djenne", "Mopti", "ML", "Mali", 13.91, -4.55, 3),
    ("Douentza", "Mopti", "ML", "Mali", 15.00, -2.95, 4),
    ("Segou", "Segou", "ML", "Mali", 13.43, -6.26, 3),
    ("Niono", "Segou", "ML", "Mali", 14.25, -5.99, 4),
    ("Menaka", "Menaka", "ML", "Mali", 15.92, 2.40, 4),
    ("Ansongo", "Gao", "ML", "Mali", 15.66, 0.50, 3),
    ("Tessalit", "Kidal", "ML", "Mali", 20.20, 1.01, 2),
    ("Tin Zaouatine", "Kidal", "ML", "Mali", 19.95, 2.95, 2),
    ("Lere", "Tombouctou", "ML", "Mali", 15.72, -4.91, 2),
    ("Ouagadougou", "Centre", "BF", "Burkina Faso", 12.37, -1.52, 3),
    ("Djibo", "Sahel", "BF", "Burkina Faso", 14.10, -1.63, 6),
    ("Dori", "Sahel", "BF", "Burkina Faso", 14.03, -0.03, 4),
    ("Arbinda", "Sahel", "BF", "Burkina Faso", 14.23, -0.87, 4),
    ("Gorom-Gorom", "Sahel", "BF", "Burkina Faso", 14.44, -0.24, 3),
    ("Kaya", "Centre-Nord", "BF", "Burkina Faso", 13.09, -1.08, 4),
    ("Barsalogho", "Centre-Nord", "BF", "Burkina Faso", 13.42, -1.06, 3),
    ("Ouahigouya", "Nord", "BF", "Burkina Faso", 13.58, -2.42, 3),
    ("Fada N'Gourma", "Est", "BF", "Burkina Faso", 12.06, 0.36, 4),
    ("Diapaga", "Est", "BF", "Burkina Faso", 12.07, 1.79, 3),
    ("Niamey", "Niamey", "NE", "Niger", 13.51, 2.11, 2),
    ("Tillaberi", "Tillaberi", "NE", "Niger", 14.21, 1.45, 4),
    ("Ouallam", "Tillaberi", "NE", "Niger", 14.32, 2.09, 3),
    ("Ayorou", "Tillaberi", "NE", "Niger", 14.73, 0.92, 3),
    ("Tera", "Tillaberi", "NE", "Niger", 14.01, 0.75, 3),
    ("Tillia", "Tahoua", "NE", "Niger", 16.14, 4.79, 2),
    ("Tahoua", "Tahoua", "NE", "Niger", 14.89, 5.27, 2),
    ("Agadez", "Agadez", "NE", "Niger", 16.97, 7.99, 1),
    ("Diffa", "Diffa", "NE", "Niger", 13.32, 12.61, 4),
    ("Maradi", "Maradi", "NE", "Niger", 13.50, 7.10, 2),
    ("N'Djamena", "N'Djamena", "TD", "Chad", 12.11, 15.04, 1),
    ("Bol", "Lac", "TD", "Chad", 13.46, 14.71, 3),
    ("Maiduguri", "Borno", "NG", "Nigeria", 11.85, 13.16, 4),
    ("Tamanrasset", "Tamanrasset", "DZ", "Algeria", 22.79, 5.52, 1),
    ("Bordj Badji Mokhtar", "Adrar", "DZ", "Algeria", 21.33, 0.95, 1),
    ("In Guezzam", "Tamanrasset", "DZ", "Algeria", 19.57, 5.77, 1),
    ("Bassikounou", "Hodh Ech Chargui", "MR", "Mauritania", 15.87, -5.96, 1),
]
EVENT_TYPES = [
    ("Battles", 0.30, ["Armed clash", "Government regains territory",
                       "Non-state actor overtakes territory"]),
    ("Violence against civilians", 0.28, ["Attack", "Abduction/forced disappearance",
                                          "Sexual violence"]),
    ("Explosions/Remote violence", 0.15, ["Air/drone strike", "Remote explosive/landmine/IED",
                                          "Shelling/artillery/missile attack"]),
    ("Protests", 0.11, ["Peaceful protest", "Protest with intervention"]),
    ("Riots", 0.05, ["Mob violence", "Violent demonstration"]),
    ("Strategic developments", 0.11, ["Looting/property destruction", "Arrests", "Agreement",
                                      "Change to group/activity", "Other"]),
]
ARMED = ["JNIM: Jama'at Nasr al-Islam wal Muslimin", "Islamic State (Sahel)",
         "Unidentified Armed Group ({c})", "Wagner Group", "Military Forces of {c} (2021-)",
         "Dan Na Ambassagou", "VDP: Volunteers for the Defense of the Homeland",
         "Fulani Ethnic Militia ({c})", "CSP-PSD: Permanent Strategic Framework",
         "Islamic State West Africa Province (ISWAP)", "Police Forces of {c}",
         "Koglweogo Militia"]
VICTIMS = ["Civilians ({c})", "Fulani Ethnic Group ({c})", "Dogon Ethnic Group ({c})",
           "Health Workers ({c})", "Teachers ({c})", "Miners ({c})"]
SOURCES = ["Reuters", "AFP", "RFI", "Le Monde", "Studio Tamani", "Menastream", "Le Faso",
           "ActuNiger", "Jeune Afrique", "Local sources", "Human Rights Watch", "Sahel Intel"]
DOMAINS = ["www.reuters.com", "www.rfi.fr", "www.lemonde.fr", "www.studiotamani.org",
           "lefaso.net", "www.actuniger.com", "www.jeuneafrique.com", "x.com/menastream"]
VERBS = {
    "Battles": ["clashed with", "ambushed", "attacked a position of", "repelled an attack by"],
    "Violence against civilians": ["attacked", "killed", "abducted", "executed"],
    "Explosions/Remote violence": ["carried out a drone strike against",
                                   "detonated an IED against", "shelled"],
    "Protests": ["demonstrated against", "held a sit-in against", "marched against"],
    "Riots": ["clashed with", "burned property belonging to", "attacked"],
    "Strategic developments": ["looted the property of", "arrested", "signed an agreement with",
                               "seized the weapons of"],
}
PLACES = ["near", "in", "on the road between {t} and the border, near", "in a village near",
          "at the weekly market of", "at a checkpoint outside"]
AFTER = [
    "{k} people were killed and {w} wounded.",
    "Several motorbikes and livestock were taken.",
    "The assailants fled towards the border after the attack.",
    "Local sources reported {k} fatalities, a figure that could not be verified.",
    "Shops and granaries were set on fire and {w} families fled the area.",
    "The army said it had neutralised {k} militants and recovered weapons.",
    "No casualties were reported.",
    "The attack came two days after a similar incident in the same commune.",
    "Humanitarian access to the area remains limited.",
    "Residents said the group had demanded zakat from herders in the area.",
]
CONTEXT = [
    "[size=no report]", "[size=around {w} people]", "Fatalities coded as {k}.",
    "The incident is part of a wider offensive in the region.",
    "Telecommunications in the area were cut for several days.", "",
]


def synthetic_incidents(n: int, seed: int = SEED) -> pd.DataFrame:
    """Return ``n`` realistic synthetic incidents (the incident schema, with coordinates)."""
    rng = np.random.default_rng(seed)
    weights = np.array([t[6] for t in TOWNS], dtype=float)
    town = rng.choice(len(TOWNS), size=n, p=weights / weights.sum())
    spread = rng.choice([0.02, 0.15, 0.6], size=n, p=[0.5, 0.35, 0.15])
    lat = np.array([TOWNS[t][4] for t in town]) + rng.normal(0, 1, n) * spread
    lon = np.array([TOWNS[t][5] for t in town]) + rng.normal(0, 1, n) * spread
    geo_precision = np.where(spread < 0.1, 1, np.where(spread < 0.5, 2, 3))
    type_p = np.array([e[1] for e in EVENT_TYPES])
    etype = rng.choice(len(EVENT_TYPES), size=n, p=type_p / type_p.sum())
    start = pd.Timestamp("2018-01-01").value // 86_400_000_000_000
    days = start + np.sort(rng.triangular(0, 2700, 2700, n)).astype(int)
    rng.shuffle(days)
    time_precision = rng.choice([1, 2, 3], size=n, p=[0.9, 0.08, 0.02])
    fatalities = np.minimum(rng.negative_binomial(1, 0.25, n), 250)
    rows = []
    for i in range(n):
        name, admin1, code, country, *_ = TOWNS[town[i]]
        et, _, subs = EVENT_TYPES[etype[i]]
        sub = subs[rng.integers(len(subs))]
        a1 = ARMED[rng.integers(len(ARMED))].format(c=country)
        if et == "Violence against civilians":
            a2 = VICTIMS[rng.integers(len(VICTIMS))].format(c=country)
        elif et in ("Protests", "Riots"):
            a1 = ("Protesters ({c})" if et == "Protests" else "Rioters ({c})").format(c=country)
            a2 = None if rng.random() < 0.6 else f"Police Forces of {country}"
        else:
            a2 = ARMED[rng.integers(len(ARMED))].format(c=country) if rng.random() < 0.7 else None
        day = pd.Timestamp(int(days[i]), unit="D")
        k, w = int(fatalities[i]), int(rng.integers(1, 40))
        place = PLACES[rng.integers(len(PLACES))].format(t=name)
        note = (f"On {day.day} {day.month_name()} {day.year}, {a1} "
                f"{VERBS[et][rng.integers(len(VERBS[et]))]} {a2 or 'civilians'} {place} "
                f"{name} ({admin1}). " + AFTER[rng.integers(len(AFTER))].format(k=k, w=w)
                + " " + CONTEXT[rng.integers(len(CONTEXT))].format(k=k, w=w)).strip()
        source = SOURCES[rng.integers(len(SOURCES))]
        url = (None if rng.random() < 0.15 else
               f"https://{DOMAINS[rng.integers(len(DOMAINS))]}/afrique/"
               f"{day:%Y%m%d}-{name.lower().replace(' ', '-')}-{rng.integers(10**6)}")
        rows.append((f"{code}X{i + 1}", day, int(time_precision[i]), et, sub, a1, a2, country,
                     code, admin1, name, name, round(float(lat[i]), 4), round(float(lon[i]), 4),
                     int(geo_precision[i]), k, note, source, url))
    columns = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
               "actor1", "actor2", "country", "country_code", "admin1", "location",
               "geocoded_name", "latitude", "longitude", "geo_precision", "fatalities", "notes",
               "source", "source_url"]
    return pd.DataFrame(rows, columns=columns)


def to_geodataframe(frame: pd.DataFrame) -> Any:
    import geopandas as gpd

    points = gpd.points_from_xy(frame["longitude"], frame["latitude"])
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


# --------------------------------------------------------------------------- builders


def timed(fn: Any) -> tuple[float, Path]:
    t0 = time.perf_counter()
    path = fn()
    return time.perf_counter() - t0, path


def geomap_builder(gdf: Any, out: Path, layers: Any, basemap: Any, offline: bool) -> Any:
    from geomap.map.page import MapOptions, build_map, save_map

    options = MapOptions(title="Synthetic Sahel incidents", offline=offline)

    def run() -> Path:
        fmap = build_map(gdf, options, borders=layers, basemap=basemap if offline else None)
        return save_map(fmap, out)

    return run


def explore_builder(gdf: Any, out: Path) -> Any:
    def run() -> Path:
        frame = gdf.copy()
        frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
        m = frame.explore(popup=True)
        m.save(str(out))
        return out

    return run


def fast_cluster_builder(gdf: Any, out: Path) -> Any:
    import folium
    from folium.plugins import FastMarkerCluster

    callback = ("function (row) { var marker = L.marker(new L.LatLng(row[0], row[1]));"
                " marker.bindPopup(row[2]); return marker; }")
    fields = ["event_date", "event_type", "actor1", "actor2", "location", "fatalities",
              "notes", "source", "source_url", "border_distance_km"]

    def run() -> Path:
        cols = [["" if pd.isna(v) else str(v) for v in gdf[f]] for f in fields]
        data = []
        for i, (lat, lon) in enumerate(zip(gdf["latitude"], gdf["longitude"], strict=True)):
            popup = "".join(f"<b>{f}</b>: {html.escape(c[i])}<br>"
                            for f, c in zip(fields, cols, strict=True))
            data.append([lat, lon, popup])
        m = folium.Map(location=[15, 0], zoom_start=5)
        FastMarkerCluster(data, callback=callback).add_to(m)
        m.save(str(out))
        return out

    return run


# --------------------------------------------------------------------------- browser

READY = "() => window.geomap && window.geomap.timings && window.geomap.timings.ready"
FILTER = """async ([from, to]) => {
    const g = window.geomap;
    const a = document.querySelector(".geomap-time-from");
    const b = document.querySelector(".geomap-time-to");
    a.value = from; b.value = to;
    const t0 = performance.now();
    b.dispatchEvent(new Event("change"));
    const t1 = performance.now();
    await new Promise((r) => requestAnimationFrame(() => r()));
    return {apply: t1 - t0, frame: performance.now() - t0,
            legend: document.querySelector(".geomap-legend-total").textContent};
}"""


class Browser:
    """Headless Chromium with the test suite's network policy."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        from geomap.map.assets import local_asset_files

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.assets = local_asset_files()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("file", "data", "blob", "about"):
            route.continue_()
        elif url in self.assets:
            path = self.assets[url]
            kind = "text/css" if path.suffix == ".css" else "application/javascript"
            route.fulfill(status=200, body=path.read_bytes(), content_type=kind)
        elif url.split("?")[0].endswith(".png"):
            route.fulfill(status=200, body=BLANK_PNG, content_type="image/png")
        else:
            route.abort()

    def load(self, path: Path, *, filter_range: tuple[str, str] | None = None) -> dict:
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        context.route("**/*", self._route)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.resolve().as_uri(), timeout=120_000)
        page.wait_for_function(READY, timeout=120_000)
        result = page.evaluate("() => window.geomap.timings")
        result["drawn"] = page.evaluate(
            """() => document.querySelectorAll('path.geomap-event').length +
                     document.querySelectorAll('.geomap-cluster').length""")
        if filter_range is not None:
            result["narrow"] = page.evaluate(FILTER, list(filter_range))
            lo, hi = page.evaluate("""() => [document.querySelector('.geomap-time-from').min,
                                            document.querySelector('.geomap-time-to').max]""")
            result["reset"] = page.evaluate(FILTER, [lo, hi])
        result["errors"] = errors
        context.close()
        return result

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()


# --------------------------------------------------------------------------- main


def mb(n: int) -> str:
    return f"{n / 1e6:7.2f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "bench")
    parser.add_argument("--loads", type=int, default=3, help="page loads per file (median)")
    parser.add_argument("--no-peers", action="store_true", help="skip explore/FastMarkerCluster")
    parser.add_argument("--no-browser", action="store_true", help="skip the page loads")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)

    from geomap.borders.layers import basemap_layers, border_layers, distance_to_border

    t0 = time.perf_counter()
    layers = border_layers(["ML", "BF", "NE", "TD", "NG", "DZ", "MR"])
    basemap = basemap_layers()["countries"]
    print(f"border layers (7 countries) + offline basemap, outside timing: "
          f"{time.perf_counter() - t0:.2f} s")
    browser = None if args.no_browser else Browser()
    print(f"seed {SEED}; build + save = wall time of build_map/explore/FastMarkerCluster + save; "
          "load = navigation start -> first frame with the initial view drawn (median of "
          f"{args.loads})")
    failures: list[str] = []
    for n in sizes:
        t0 = time.perf_counter()
        gdf = to_geodataframe(synthetic_incidents(n))
        gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        dist = distance_to_border(gdf["longitude"].to_numpy(), gdf["latitude"].to_numpy())
        gdf["border_distance_km"] = dist["border_distance_km"].to_numpy()
        gdf["border_pair"] = dist["border_pair"].to_numpy()
        border_s = time.perf_counter() - t0
        note_len = gdf["notes"].str.len().mean()
        print(f"\n=== {n:,} incidents (generated in {gen:.1f} s, mean note {note_len:.0f} "
              f"chars; distance_to_border {border_s:.2f} s, outside timing) ===")
        runs: dict[str, tuple[float, int]] = {}
        tools = [("geomap", geomap_builder(gdf, args.out / f"geomap_{n}.html", layers, basemap,
                                           False)),
                 ("geomap --offline", geomap_builder(gdf, args.out / f"geomap_{n}_offline.html",
                                                     layers, basemap, True))]
        if not args.no_peers:
            tools += [("explore()", explore_builder(gdf, args.out / f"explore_{n}.html")),
                      ("FastMarkerCluster", fast_cluster_builder(
                          gdf, args.out / f"fastcluster_{n}.html"))]
        for name, build in tools:
            seconds, path = timed(build)
            runs[name] = (seconds, path.stat().st_size)
        base = runs.get("explore()")
        print(f"{'tool':<20}{'build+save':>12}{'HTML':>12}{'time/explore':>14}{'bytes/explore':>15}")
        for name, (seconds, size) in runs.items():
            ratio = (f"{seconds / base[0]:14.3f}{size / base[1]:15.3f}" if base else "")
            print(f"{name:<20}{seconds:10.2f} s{mb(size):>12}{ratio}")
            if base and name.startswith("geomap") and n >= 100_000:
                if seconds > 0.2 * base[0]:
                    failures.append(f"{name} {n}: build+save {seconds / base[0]:.3f}x > 0.2x")
                if size > 0.25 * base[1]:
                    failures.append(f"{name} {n}: HTML {size / base[1]:.3f}x > 0.25x")
        if browser is None:
            continue
        limit = 3000 if n >= 100_000 else 1000 if n >= 10_000 else None
        for label, stem in (("geomap", f"geomap_{n}"), ("geomap --offline",
                                                       f"geomap_{n}_offline")):
            path = args.out / f"{stem}.html"
            loads = [browser.load(path) for _ in range(args.loads)]
            loads.sort(key=lambda r: r["ready"])
            mid = loads[len(loads) // 2]
            phases = ", ".join(f"{k} {mid[k]:.0f}" for k in ("decoded", "markers", "clustered")
                               if k in mid)
            every = ", ".join(f"{r['ready']:.0f}" for r in loads)
            print(f"load {label:<17} {mid['ready']:7.0f} ms  (all: {every}; phases ms: {phases}; "
                  f"{mid['drawn']} markers+clusters drawn; errors: {len(mid['errors'])})")
            if mid["errors"]:
                failures.append(f"{label} {n}: page errors {mid['errors'][:3]}")
            if limit is not None and mid["ready"] > limit:
                failures.append(f"{label} {n}: drawn in {mid['ready']:.0f} ms > {limit} ms")
        f = browser.load(args.out / f"geomap_{n}.html", filter_range=("2022-01-01", "2022-12-31"))
        print(f"date filter (geomap): one year {f['narrow']['frame']:.0f} ms "
              f"({f['narrow']['legend']}), back to all dates {f['reset']['frame']:.0f} ms "
              f"({f['reset']['legend']})")
    if browser is not None:
        browser.close()
    print("\ntargets: 100k build+save <= 0.2x explore, HTML <= 0.25x explore (default and "
          "offline); 100k drawn <= 3000 ms, 10k <= 1000 ms")
    if failures:
        print("NOT MET:\n  " + "\n  ".join(failures))
    elif base is not None:
        print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
