"""In-process gazetteer figures for ``benchmarks/gazetteer.py``, each in its own process.

Run by ``benchmarks/gazetteer.py`` (``python benchmarks/gazetteer_lookups.py MODE PAYLOAD``
starts one worker and prints its JSON answer); not meant to be run by hand.

Workers
-------
build
    builds the embedded default index (and the fuzzy-name structures) in ``GEOMAP_HOME``.
import
    imports a GeoNames dump (the payload path) and builds the fuzzy structures again.
cold
    a new process opens the (built) index and looks up one name.
geomap
    1,000 one-typo queries (fuzzy top-1) and ``Gazetteer.lookup_many`` over 1,000,000 names
    drawn from 10,000 distinct index names; peak RSS of that process.
localis
    the same typo queries answered by localis (if installed).
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["SEED", "km_between", "name_pool", "run_worker", "cold_start", "performance"]

SEED = 20240825
LETTERS = "abcdefghijklmnopqrstuvwxyz"
COLD_RUNS = 5


def km_between(lat1: list[float], lon1: list[float], lat2: list[float], lon2: list[float]
               ) -> list[float]:
    """Geodesic distances in km between two aligned lists of points."""
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    return [m / 1000 for m in metres]


def run_worker(mode: str, payload: Path, env: dict[str, str]) -> dict:
    """Run one worker of this module in a new process; return its JSON answer."""
    cmd = [sys.executable, str(Path(__file__).resolve()), mode, str(payload)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- query sets ------------------------------------------------------------------------
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
def rss_mb() -> float:
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
    gaz.lookup("Kidalx")  # builds the fuzzy structures, if any, once
    return {"seconds": time.perf_counter() - start, "rss_mb": rss_mb()}


def worker_import(dump: Path) -> dict:
    """Import a GeoNames dump into the temporary home, then build the fuzzy structures."""
    start = time.perf_counter()
    from geomap.gazetteer.importer import import_file
    from geomap.gazetteer.lookup import Gazetteer

    import_file(dump, gazetteer=Gazetteer(), progress=False)
    gaz = Gazetteer()
    gaz.lookup("Kidalx")
    return {"seconds": time.perf_counter() - start, "rss_mb": rss_mb()}


def worker_cold(_: Path) -> dict:
    """Open the index and look one name up."""
    start = time.perf_counter()
    from geomap.gazetteer.lookup import Gazetteer

    match = Gazetteer().lookup("Kidal", country="ML")
    return {"in_process_s": time.perf_counter() - start, "resolved": match.resolved}


def top1(results: list[tuple[str, float, float] | None], queries: list[dict]) -> float:
    """Share of queries whose answer is the same place id or within 10 km of it."""
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
        "fuzzy_s": fuzzy_s, "fuzzy_top1": top1(results, queries),
        "fuzzy_resolved": sum(r is not None for r in results) / len(queries),
        "methods": methods, "million_s": million_s, "million_n": len(many),
        "million_resolved": sum(m.resolved for m in many) / len(many), "rss_mb": rss_mb(),
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
    return {"cold_s": cold_s, "fuzzy_s": fuzzy_s, "fuzzy_top1": top1(results, queries),
            "fuzzy_resolved": sum(r is not None for r in results) / len(queries),
            "rss_mb": rss_mb()}


WORKERS = {"build": worker_build, "import": worker_import, "cold": worker_cold,
           "geomap": worker_geomap, "localis": worker_localis}


# -- the figures -----------------------------------------------------------------------
def cold_start(env: dict[str, str], payload: Path) -> dict:
    """Median wall time of a new process that opens the index and looks one name up."""
    walls, inner = [], []
    for _ in range(COLD_RUNS):
        start = time.perf_counter()
        answer = run_worker("cold", payload, env)
        walls.append(time.perf_counter() - start)
        inner.append(answer["in_process_s"])
    return {"wall_s": statistics.median(walls), "in_process_s": statistics.median(inner)}


def performance(home: Path, env: dict[str, str], *, fuzzy: int, lookups: int, distinct: int,
                localis: bool) -> dict:
    """Cold start, fuzzy queries and 1M lookups (and localis on the same queries)."""
    from geomap.gazetteer.index import Index

    index = Index(home / "gazetteer.sqlite")
    payload = home / "queries.json"
    payload.write_text(json.dumps({
        "fuzzy": fuzzy_queries(index, fuzzy),
        "pool": name_pool(index, distinct), "total": lookups,
    }), encoding="utf-8")
    index.close()
    figures = {"cold": cold_start(env, payload), "geomap": run_worker("geomap", payload, env)}
    if localis:
        try:
            figures["localis"] = run_worker("localis", payload, env)
        except SystemExit as err:
            print(f"localis not measured: {str(err).splitlines()[0]}", flush=True)
    return figures


if __name__ == "__main__":
    print(json.dumps(WORKERS[sys.argv[1]](Path(sys.argv[2]))))
