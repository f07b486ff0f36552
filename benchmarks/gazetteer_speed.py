"""Whole ``geomap geocode --input`` commands, timed the way a user runs them, next to a peer.

Used by ``benchmarks/gazetteer.py`` (``--only speed``). Each command runs as a subprocess
with ``GEOMAP_HOME`` set to the benchmark's temporary home (ML.txt imported, index and
fuzzy structures built). Its peer is a plain pandas process that reads the same CSV and
writes it back with as many extra columns as geomap adds: the I/O floor. geomap and its
peer alternate, one warm-up run each first (not counted); min and median wall times, the
ratio of the medians, and the peak RSS of each (``/usr/bin/time -v``, or ``getrusage`` of
a wrapper process's children where GNU time is absent).

Every input is written to the temporary directory, never into the repository.
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Command", "Timing", "write_inputs", "commands", "time_commands", "print_timings"]

GNU_TIME = Path("/usr/bin/time")
# The kinds of geomap's extra columns (geomap.gazetteer.batch.RESULT_COLUMNS): name, lat,
# lon, country, method, score, precision (s string, f float, i integer).
EXTRA_KINDS = "sffssfi"
HINTS_ALL = ["--country-column", "country", "--admin1-column", "admin1",
             "--admin2-column", "admin2", "--admin3-column", "admin3"]
DROPPED = ("latitude", "longitude")

# The peer: read the CSV as geomap does, add one column of each kind of EXTRA_KINDS
# (strings copied from the name column, floats of 5 decimals as GeoNames coordinates,
# small integers), write it back.
PEER = """\
import sys
import pandas as pd
src, dst, col, kinds = sys.argv[1:5]
t = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8-sig")
codes = pd.factorize(t[col])[0]
like = {"s": t[col], "f": (codes * 0.00731).round(5), "i": codes % 3 + 1}
for i, kind in enumerate(kinds):
    t[f"extra_{i}"] = like[kind]
t.to_csv(dst, index=False)
"""

# Peak RSS without GNU time: the wrapper waits for the command and reports its children's.
RSS_WRAPPER = """\
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:]).returncode
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"Maximum resident set size (kbytes): {kb}", file=sys.stderr)
sys.exit(rc)
"""


@dataclass(frozen=True)
class Command:
    """One whole command, its peer, and what it stands for."""

    label: str
    rows: int
    geomap: list[str]
    peer: list[str]
    target_s: float | None


@dataclass(frozen=True)
class Timing:
    """Wall times (s) and peak RSS (MB) of a command and of its peer."""

    command: Command
    geomap_s: list[float]
    peer_s: list[float]
    geomap_mb: float
    peer_mb: float

    @property
    def ratio(self) -> float:
        """geomap's median over its peer's median."""
        return statistics.median(self.geomap_s) / statistics.median(self.peer_s)

    @property
    def met(self) -> bool | None:
        """Whether geomap's median meets the target (``None`` without one)."""
        if self.command.target_s is None:
            return None
        return statistics.median(self.geomap_s) <= self.command.target_s


def write_places(places: list[dict], path: Path) -> None:
    """The distinct ACLED places as a CSV (location, country, admin1-admin3)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["location", "country", "admin1", "admin2", "admin3"])
        out.writerows(p["key"] for p in places)


def write_acled(acled: Path, path: Path) -> int:
    """The ACLED file without its coordinates; return its number of rows."""
    with acled.open(encoding="utf-8", newline="") as src, \
            path.open("w", encoding="utf-8", newline="") as dst:
        reader = csv.DictReader(src)
        fields = [f for f in reader.fieldnames or [] if f not in DROPPED]
        out = csv.DictWriter(dst, fieldnames=fields, extrasaction="ignore")
        out.writeheader()
        rows = 0
        for row in reader:
            out.writerow(row)
            rows += 1
    return rows


def write_big(home: Path, path: Path, rows: int, distinct: int, seed: int) -> None:
    """``rows`` names drawn (fixed seed) from ``distinct`` index names, each with the
    country of its best place (the most important one bearing it)."""
    import pandas as pd
    from gazetteer_lookups import name_pool

    from geomap.gazetteer.lookup import Gazetteer

    gaz = Gazetteer(home / "gazetteer.sqlite")
    pool = name_pool(gaz.index, distinct)
    country = {}
    for name in pool:
        best = gaz.candidates(name)
        country[name] = best[0].country_code if best else ""
    names = random.Random(seed).choices(pool, k=rows)
    pd.DataFrame({"location": names, "country": [country[n] for n in names]}).to_csv(
        path, index=False)
    gaz.index.close()


def write_inputs(tmp: Path, *, home: Path, places: list[dict], acled: Path, big_rows: int,
                 big_distinct: int, seed: int) -> dict[str, int]:
    """Write the three inputs to ``tmp``; return their numbers of rows."""
    write_places(places, tmp / "places.csv")
    acled_rows = write_acled(acled, tmp / "acled.csv")
    write_big(home, tmp / "big.csv", big_rows, big_distinct, seed)
    return {"places": len(places), "acled": acled_rows, "big": big_rows}


def geomap_command() -> list[str]:
    """The ``geomap`` entry point of this interpreter's environment."""
    script = Path(sys.executable).with_name("geomap")
    if script.is_file():
        return [str(script)]
    found = shutil.which("geomap")
    if found is None:
        raise SystemExit("no geomap command: install geomap (pip install -e .) first")
    return [found]


def commands(tmp: Path, rows: dict[str, int], *, big_distinct: int, places_target: float,
             big_target: float) -> list[Command]:
    """The three whole commands and their peers."""
    geomap = geomap_command()

    def pair(label: str, stem: str, hints: list[str], target: float | None) -> Command:
        src, out, peer = tmp / f"{stem}.csv", tmp / f"{stem}.out.csv", tmp / f"{stem}.peer.csv"
        cmd = [*geomap, "geocode", "--input", str(src), "--column", "location", *hints,
               "-o", str(out)]
        peer_cmd = [sys.executable, "-c", PEER, str(src), str(peer), "location", EXTRA_KINDS]
        return Command(label, rows[stem], cmd, peer_cmd, target)

    return [
        pair("distinct ACLED places, all hints", "places", HINTS_ALL, places_target),
        pair("ACLED file (no coordinates), all hints", "acled", HINTS_ALL, None),
        pair(f"{big_distinct:,} index names, country column", "big", HINTS_ALL[:2],
             big_target),
    ]


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command once; return its wall time (s) and peak RSS (MB)."""
    if GNU_TIME.is_file():
        wrapped = [str(GNU_TIME), "-v", *cmd]
    else:
        wrapped = [sys.executable, "-c", RSS_WRAPPER, *cmd]
    start = time.perf_counter()
    done = subprocess.run(wrapped, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed:\n{done.stderr[-3000:]}")
    kb = [line.split(":")[1] for line in done.stderr.splitlines()
          if "Maximum resident set size" in line]
    return wall, int(kb[-1]) / 1024 if kb else float("nan")


def time_commands(cmds: list[Command], env: dict[str, str], runs: int) -> list[Timing]:
    """Time each command and its peer, alternating, after one warm-up run of each."""
    timings = []
    for cmd in cmds:
        run_once(cmd.geomap, env)
        run_once(cmd.peer, env)
        ours, peers, our_mb, peer_mb = [], [], [], []
        for _ in range(runs):
            wall, mb = run_once(cmd.geomap, env)
            ours.append(wall)
            our_mb.append(mb)
            wall, mb = run_once(cmd.peer, env)
            peers.append(wall)
            peer_mb.append(mb)
        timings.append(Timing(cmd, ours, peers, max(our_mb), max(peer_mb)))
    return timings


def print_timings(timings: list[Timing], runs: int) -> None:
    """One line per command: geomap min / median, peer min / median, ratio, peak RSS."""
    print(f"\nwhole commands ({runs} runs each after a warm-up; peer: pandas reads the CSV "
          f"and writes it back with {len(EXTRA_KINDS)} more columns)", flush=True)
    print(f"  {'command':<40} {'rows':>9}   {'geomap min / median':>20}   "
          f"{'peer min / median':>18}   {'ratio':>6}   peak RSS geomap / peer")
    for t in timings:
        print(f"  {t.command.label:<40} {t.command.rows:>9,}   "
              f"{min(t.geomap_s):>7.2f} s / {statistics.median(t.geomap_s):>6.2f} s   "
              f"{min(t.peer_s):>6.2f} s / {statistics.median(t.peer_s):>5.2f} s   "
              f"x{t.ratio:>5.2f}   {t.geomap_mb:>5.0f} MB / {t.peer_mb:.0f} MB", flush=True)
    for t in timings:
        words = [Path(a).name if "/" in a else a for a in t.command.geomap]
        print(f"  {t.command.label}: {' '.join(words)}", flush=True)
