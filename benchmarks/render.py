"""Whole ``geomap map`` commands against ``read_csv`` + ``explore()`` + ``save``, as users run them.

Usage::

    python benchmarks/render.py [--sizes 100000,1000000] [--runs 3] [--loads 3]
                                [--peer-max 1000000] [--out DIR] [--no-browser]

For each size a fixed-seed synthetic ACLED-like CSV with coordinates is written to a temporary
directory (towns of Mali, Burkina Faso, Niger, Chad, Nigeria, Algeria and Mauritania with
events scattered around them, ACLED actors, event and sub-event types, dates over 2018-2025,
notes of about 200 characters, sources and source URLs). Then, in the same run, with the runs
of the two commands interleaved (the machine's load falls on both alike):

* **geomap**: ``geomap map data.csv -o out.html --offline -q`` as a subprocess: reading,
  validating, locating, the country of each point, the distance of each point to the nearest
  border, the payload and the page, all inside the timing;
* **explore**: the peer, ``python -c`` doing ``pd.read_csv`` + ``gpd.GeoDataFrame(
  points_from_xy)`` + ``gdf.explore()`` + ``m.save()`` on the same CSV (it computes no
  countries and no distances; that is its advantage, not geomap's).

Each command runs under ``/usr/bin/time`` (peak RSS, the ``%M`` figure); min and median wall
times over ``--runs``. One untimed ``geomap map`` of 100 rows first builds the gazetteer index
if ``GEOMAP_HOME`` has none (a one-off per install). The geomap page is then drawn in headless
Chromium (``/usr/bin/chromium``, every non-``file:`` request refused): the figure is
``window.geomap.timings.ready``, ms from navigation start to the first animation frame after
the initial view is drawn, median of ``--loads`` fresh loads. A table gives each figure next to
its target (issue #13) and met or MISSED.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

SEED = 20240825
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
TIME_BIN = "/usr/bin/time"
WARM_ROWS = 100
LOAD_TIMEOUT_MS = 180_000
# issue #13 targets
RATIO_TIME_100K = 0.3  # geomap's whole command / explore's, 100k rows
RATIO_BYTES_100K = 0.15  # geomap's page / explore's page, 100k rows
DRAWN_100K_MS = 3000
SECONDS_1M = 45.0
RSS_1M_BYTES = 2e9
DRAWN_1M_MS = 5000
SMALL, LARGE = 100_000, 1_000_000

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



def write_csv(n: int, folder: Path) -> Path:
    """Write (once per folder) the synthetic CSV of ``n`` incidents; return its path."""
    path = folder / f"incidents_{n}.csv"
    if not path.exists():
        frame = synthetic_incidents(n)
        frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
        frame.to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------- commands

PEER = """
import sys
import geopandas as gpd
import pandas as pd
frame = pd.read_csv(sys.argv[1])
gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"],
                       frame["latitude"]), crs="EPSG:4326")
m = gdf.explore()
m.save(sys.argv[2])
"""


def geomap_command(csv: Path, out: Path) -> list[str]:
    """``geomap map`` as installed next to this Python (the user's command)."""
    exe = shutil.which("geomap", path=str(Path(sys.executable).parent)) or "geomap"
    return [exe, "map", str(csv), "-o", str(out), "--offline", "-q"]


def peer_command(csv: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", PEER, str(csv), str(out)]


def run_timed(command: list[str], folder: Path) -> tuple[float, float]:
    """Run ``command``; return (wall seconds, peak RSS bytes). Fails loudly on error."""
    report = folder / "time.txt"
    wrapped = [TIME_BIN, "-o", str(report), "-f", "%M", *command]
    t0 = time.perf_counter()
    done = subprocess.run(wrapped, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{command[:3]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    kb = report.read_text().strip().splitlines()[-1]
    return seconds, float(kb) * 1024


# --------------------------------------------------------------------------- browser

READY = "() => window.geomap && window.geomap.timings && window.geomap.timings.ready"


def draw_times(pages: list[Path], loads: int) -> dict[Path, tuple[float, int]]:
    """Median ``timings.ready`` (ms) and error count of each page in headless Chromium."""
    from playwright.sync_api import sync_playwright

    def refuse(route) -> None:
        if urlsplit(route.request.url).scheme in ("file", "data", "blob", "about"):
            route.continue_()
        else:
            route.abort()

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in pages:
            ready, errors = [], 0
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.route("**/*", refuse)
                page = context.new_page()
                seen: list[str] = []
                page.on("pageerror", lambda e, seen=seen: seen.append(str(e)))
                page.goto(path.resolve().as_uri(), timeout=LOAD_TIMEOUT_MS)
                page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
                ready.append(page.evaluate("() => window.geomap.timings.ready"))
                errors = max(errors, len(seen))
                context.close()
            out[path] = (statistics.median(ready), errors)
        browser.close()
    return out


# --------------------------------------------------------------------------- main


def summary(times: list[float]) -> str:
    return f"{min(times):7.2f} / {statistics.median(times):7.2f} s"


def measure(n: int, folder: Path, runs: int, with_peer: bool) -> dict:
    """Interleaved runs of geomap and its peer on ``n`` rows; the figures of both."""
    csv = write_csv(n, folder)
    ours, theirs = folder / f"geomap_{n}.html", folder / f"explore_{n}.html"
    res: dict = {"n": n, "geomap": [], "explore": [], "page": ours}
    for _ in range(runs):
        res["geomap"].append(run_timed(geomap_command(csv, ours), folder))
        if with_peer:
            res["explore"].append(run_timed(peer_command(csv, theirs), folder))
    res["bytes"] = ours.stat().st_size
    res["peer_bytes"] = theirs.stat().st_size if with_peer else None
    return res


def print_size(res: dict) -> None:
    n = res["n"]
    print(f"\n=== {n:,} incidents ({res['csv_mb']:.0f} MB CSV) ===")
    print(f"{'command':<10}{'min / median wall':>20}{'peak RSS':>12}{'page':>12}")
    for name, size in (("geomap", res["bytes"]), ("explore", res["peer_bytes"])):
        if not res[name]:
            print(f"{name:<10}{'not run (--peer-max)':>20}")
            continue
        times = [t for t, _ in res[name]]
        rss = max(r for _, r in res[name])
        print(f"{name:<10}{summary(times):>20}{rss / 1e6:9.0f} MB{size / 1e6:9.2f} MB")


def verdicts(res: dict) -> list[tuple[str, str, str]]:
    """(figure, value, target) rows for the targets that apply to ``res``."""
    n, rows = res["n"], []
    t_ours = statistics.median(t for t, _ in res["geomap"])
    rss = max(r for _, r in res["geomap"])
    drawn = res.get("drawn")
    if n == SMALL and res["explore"]:
        t_peer = statistics.median(t for t, _ in res["explore"])
        rows.append(("100k time / explore", t_ours / t_peer, RATIO_TIME_100K))
        rows.append(("100k page bytes / explore", res["bytes"] / res["peer_bytes"],
                     RATIO_BYTES_100K))
    if n == SMALL and drawn is not None:
        rows.append(("100k drawn (ms)", drawn, DRAWN_100K_MS))
    if n == LARGE:
        rows.append(("1M whole command (s)", t_ours, SECONDS_1M))
        rows.append(("1M peak RSS (GB)", rss / 1e9, RSS_1M_BYTES / 1e9))
        if drawn is not None:
            rows.append(("1M drawn (ms)", drawn, DRAWN_1M_MS))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=f"{SMALL},{LARGE}", help="rows, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (min/median)")
    parser.add_argument("--loads", type=int, default=3, help="page loads in Chromium (median)")
    parser.add_argument("--peer-max", type=int, default=LARGE, help="largest size for explore")
    parser.add_argument("--out", type=Path, help="folder for CSVs and pages (default: temp)")
    parser.add_argument("--no-browser", action="store_true", help="skip the page loads")
    args = parser.parse_args(argv)
    folder = args.out or Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"seed {SEED}; folder {folder}; {args.runs} runs each, interleaved; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    run_timed(geomap_command(write_csv(WARM_ROWS, folder), folder / "warm.html"), folder)
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        res = measure(n, folder, args.runs, n <= args.peer_max)
        res["csv_mb"] = (folder / f"incidents_{n}.csv").stat().st_size / 1e6
        results.append(res)
        print_size(res)
    if not args.no_browser:
        drawn = draw_times([r["page"] for r in results], args.loads)
        for res in results:
            res["drawn"], errors = drawn[res["page"]]
            print(f"{res['n']:>9,} page drawn in {res['drawn']:.0f} ms (median of {args.loads}; "
                  f"page errors: {errors})")
    print(f"\n{'target (issue #13)':<28}{'value':>10}{'target':>10}  verdict")
    for res in results:
        for name, value, target in verdicts(res):
            print(f"{name:<28}{value:10.3f}{target:10.3f}  "
                  f"{'met' if value <= target else 'MISSED'}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
