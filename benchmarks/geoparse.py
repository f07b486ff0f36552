"""Benchmark ``geomap.geoparse`` on GeoWebNews (GWN) and LGL, against geotext.

Usage::

    python benchmarks/geoparse.py [--data ../shared/data/geoparse] [--limit N] [--jobs 2]

Prints, per corpus:

* toponym recognition precision / recall / F1, exact span and overlapping span, for
  geomap and for the gazetteer-only baseline ``geotext`` (GeoNames cities >= 15,000 and
  countries; its names are located in the text at every whole-word occurrence);
* resolution given the gold spans: share within 161 km and median error (km), for
  geomap (document context) and for a context-free baseline (the gazetteer's top
  candidate of each name, no context);
* end-to-end accuracy: gold toponyms that are both found (overlap) and placed within
  161 km;
* speed: articles per second over the corpus with ``--jobs`` worker processes, and the
  cold start (a new process: imports, index and tables loaded, first article).

Runs in a temporary ``GEOMAP_HOME`` (the embedded default is built there first), unless
``GEOMAP_HOME`` is set, so the user's index is never touched.

Gold toponyms: GWN spans with coordinates (the 2,601 toponym spans; demonym nouns,
languages and non-toponyms have none); LGL spans with a gazetteer tag. The data is not
part of the repository (see ``../shared/data/geoparse/SOURCE.txt``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from geomap.geodesy import great_circle_km

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "geoparse"
KM = 161.0


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Article:
    text: str
    gold: tuple[Gold, ...]


def load_gwn(path: Path) -> list[Article]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for t in art.iter("toponym"):
            lat, lon = t.findtext("latitude"), t.findtext("longitude")
            if not lat or not lon:
                continue
            a, b = int(t.findtext("start")), int(t.findtext("end"))
            gold.append(Gold(a, b, text[a:b], float(lat), float(lon)))
        out.append(Article(text, tuple(gold)))
    return out


def load_lgl(path: Path) -> list[Article]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for t in art.iter("toponym"):
            tag = t.find("gaztag")
            if tag is None or not tag.findtext("lat"):
                continue
            a, b = int(t.findtext("start")), int(t.findtext("end"))
            gold.append(Gold(a, b, text[a:b], float(tag.findtext("lat")),
                             float(tag.findtext("lon"))))
        out.append(Article(text, tuple(gold)))
    return out


km = great_circle_km  # the project's own great-circle distance


# -- systems -------------------------------------------------------------------------
def geomap_spans(text: str) -> list[tuple[int, int]]:
    from geomap.geoparse import find_mentions

    return [(m.start, m.end) for m in find_mentions(text)]


_GEOTEXT = None


def geotext_spans(text: str) -> list[tuple[int, int]]:
    global _GEOTEXT
    if _GEOTEXT is None:
        from geotext import GeoText

        _GEOTEXT = GeoText
    found = _GEOTEXT(text)
    names = set(found.cities) | set(found.countries) | set(getattr(found, "nationalities", ()))
    spans = []
    for name in names:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            spans.append((m.start(), m.end()))
    return _no_overlap(spans)


def _no_overlap(spans):
    out = []
    for a, b in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return out


def geomap_resolve(article: Article) -> list[tuple[float, float] | None]:
    from geomap.geoparse import Mention, resolve_mentions
    from geomap.geoparse.mentions import tokenize

    tokens = tokenize(article.text)
    sentence_of = {}
    for t in tokens:
        sentence_of.setdefault(t.start, t.sentence)
    mentions = [Mention(g.start, g.end, g.text, "name", sentence_of.get(g.start, 0))
                for g in article.gold]
    out = []
    for r in resolve_mentions(article.text, mentions):
        out.append((r.place.lat, r.place.lon) if r.place else None)
    return out


def baseline_resolve(article: Article) -> list[tuple[float, float] | None]:
    from geomap.gazetteer.lookup import default_gazetteer

    gaz = default_gazetteer()
    out = []
    for g in article.gold:
        m = gaz.lookup(g.text)
        out.append((m.place.lat, m.place.lon) if m.place else None)
    return out


def run_article(args: tuple[str, Article]) -> dict:
    system, article = args
    if system == "geotext":
        return {"spans": geotext_spans(article.text), "res": baseline_resolve(article)}
    return {"spans": geomap_spans(article.text), "res": geomap_resolve(article),
            "e2e": _end_to_end(article)}


def _end_to_end(article: Article) -> list[tuple[int, int, float, float]]:
    from geomap.geoparse import resolve_text

    return [(r.mention.start, r.mention.end, r.place.lat, r.place.lon)
            for r in resolve_text(article.text) if r.place is not None]


def extract_only(article: Article) -> int:
    from geomap.geoparse import extract_events

    return len(extract_events(article.text))


# -- scoring -------------------------------------------------------------------------
def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(articles: list[Article], results: list[dict]) -> dict:
    exact = overlap_p = overlap_g = n_pred = n_gold = 0
    errors: list[float] = []
    e2e_ok = 0
    for art, res in zip(articles, results, strict=True):
        gold = [(g.start, g.end) for g in art.gold]
        pred = res["spans"]
        n_pred += len(pred)
        n_gold += len(gold)
        gold_set = set(gold)
        exact += sum(1 for s in pred if s in gold_set)
        overlap_p += sum(1 for a, b in pred if any(a < gb and ga < b for ga, gb in gold))
        overlap_g += sum(1 for ga, gb in gold if any(a < gb and ga < b for a, b in pred))
        for g, point in zip(art.gold, res["res"], strict=True):
            errors.append(km(g.lat, g.lon, *point) if point else 20_000.0)
        for g in art.gold:
            for a, b, lat, lon in res.get("e2e", ()):
                if a < g.end and g.start < b and km(g.lat, g.lon, lat, lon) <= KM:
                    e2e_ok += 1
                    break
    p, r, f = prf(exact, n_pred, n_gold)
    op, orr = (overlap_p / n_pred if n_pred else 0.0), (overlap_g / n_gold if n_gold else 0.0)
    of = 2 * op * orr / (op + orr) if op + orr else 0.0
    return {
        "exact": (p, r, f), "overlap": (op, orr, of),
        "acc161": sum(e <= KM for e in errors) / len(errors) if errors else 0.0,
        "median_km": statistics.median(errors) if errors else 0.0,
        "e2e": e2e_ok / n_gold if n_gold else 0.0, "n_gold": n_gold,
    }


def _triple(values: tuple[float, float, float]) -> str:
    return "/".join(f"{v:.3f}" for v in values)


def cold_start(sample: str) -> float:
    code = ("import sys,time; t=time.perf_counter(); "
            "from geomap.geoparse import extract_events; "
            "extract_events(sys.stdin.read()); print(time.perf_counter()-t)")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], input=sample, text=True, check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=0, help="First N articles of each corpus.")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    if os.environ.get("GEOMAP_HOME"):
        run(args)
        return
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        os.environ["GEOMAP_HOME"] = tmp  # never the user's index; built here (~15 s)
        run(args)


def run(args: argparse.Namespace) -> None:
    """Score both corpora with both systems and print the figures."""
    corpora = {"GWN": load_gwn(args.data / "GWN.xml"), "LGL": load_lgl(args.data / "lgl.xml")}
    # warm the index and tables once before the workers fork
    from geomap.geoparse import extract_events

    extract_events("Warm-up in Bamako, Mali.")
    print(f"{'corpus':6} {'system':8} {'exact P/R/F1':>20} {'overlap P/R/F1':>20} "
          f"{'acc@161':>8} {'med km':>8} {'e2e@161':>8}")
    with mp.get_context("fork").Pool(args.jobs) as pool:
        for name, articles in corpora.items():
            if args.limit:
                articles = articles[:args.limit]
            for system in ("geotext", "geomap"):
                results = pool.map(run_article, [(system, a) for a in articles], chunksize=4)
                s = score(articles, results)
                e2e = f"{s['e2e']:8.3f}" if system == "geomap" else f"{'':>8}"
                print(f"{name:6} {system:8} {_triple(s['exact']):>20} "
                      f"{_triple(s['overlap']):>20} {s['acc161']:8.3f} "
                      f"{s['median_km']:8.1f} {e2e}  (gold {s['n_gold']})", flush=True)
            t0 = time.perf_counter()
            pool.map(extract_only, articles, chunksize=4)
            dt = time.perf_counter() - t0
            print(f"{name:6} extract: {len(articles) / dt:.1f} articles/s with {args.jobs} "
                  f"processes ({len(articles)} articles, {dt:.1f} s)", flush=True)
    sample = corpora["GWN"][0].text
    print(f"cold start (new process: imports, index, tables, first article): "
          f"{cold_start(sample):.2f} s")


if __name__ == "__main__":
    main()
