"""The geoparser on a sample of GeoWebNews, against geotext (skipped without the corpus)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "geoparse"


@pytest.mark.skipif(not (DATA / "GWN.xml").exists() or os.environ.get("GEOMAP_SKIP_CORPUS"),
                    reason="GeoWebNews corpus not available")
def test_gwn_sample_beats_geotext():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import geoparse as bench

    articles = bench.load_gwn(DATA / "GWN.xml")[:25]
    ours = bench.score(articles, [bench.run_article(("geomap", a)) for a in articles])
    base = bench.score(articles, [bench.run_article(("geotext", a)) for a in articles])
    assert ours["exact"][2] > base["exact"][2]
    assert ours["acc161"] > 0.6
