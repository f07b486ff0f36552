"""``geomap extract --map``: the events go to the map as a table, not through a file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from support import payload_of

import geomap.pipeline
from geomap.gazetteer.lookup import default_gazetteer
from geomap.geoparse.command import article_title, readable_places
from geomap.geoparse.events import events_frame, extract_events

ARTICLE = ("On August 25, 2024, a drone strike near Tin Zaouatine, on the border with Algeria, "
           "killed about twenty people, Bamako said. Later that week, on August 28, 2024, "
           "gunmen attacked a market in Gao. Algiers condemned the strike.")


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_extract_map_hands_the_events_frame_to_make_map(run, tmp_path, monkeypatch) -> None:
    seen = []
    real = geomap.pipeline.make_map

    def spy(source, output, *args, **kwargs):
        seen.append(source)
        return real(source, output, *args, **kwargs)

    def no_temporary_files(*args, **kwargs):
        raise AssertionError("extract --map writes no temporary file")

    default_gazetteer()  # the session's index is built first (its fuzzy build has a work folder)
    monkeypatch.setattr(geomap.pipeline, "make_map", spy)
    monkeypatch.setattr(tempfile, "TemporaryDirectory", no_temporary_files)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", no_temporary_files)
    html = tmp_path / "map.html"
    result = run("extract", str(_article(tmp_path)), "--map", str(html))
    assert result.exit_code == 0, result.output
    assert len(seen) == 1 and isinstance(seen[0], pd.DataFrame)
    assert (seen[0]["event_date"] != "").all()
    assert result.stderr.strip().endswith(f", map {html}")


def test_extract_map_is_the_map_of_its_events_file(run, tmp_path) -> None:
    html = tmp_path / "map.html"
    result = run("extract", str(_article(tmp_path)), "--map", str(html))
    assert result.exit_code == 0, result.output
    # the map a user gets by writing the events (admin-1 and countries by name) to CSV and
    # mapping that file under the article's first line
    events = readable_places(events_frame(extract_events(ARTICLE, source="article.txt")))
    csv = tmp_path / "events.csv"
    events[events["event_date"] != ""].to_csv(csv, index=False)
    geomap.pipeline.make_map(csv, tmp_path / "file.html",
                             title=article_title(ARTICLE, "article.txt"))
    direct, via_file = (payload_of(p.read_text(encoding="utf-8"))
                        for p in (html, tmp_path / "file.html"))
    assert direct == via_file
    assert direct["events"]["n"] >= 1
