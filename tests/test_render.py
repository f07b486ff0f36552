"""Tests of geomap.render that need no browser: data encoding, escaping, options, assets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import HOSTILE_NOTE, make_borders, make_incidents
from geomap import render
from geomap.errors import GeomapError, RenderError
from geomap.render import (
    EVENT_GROUPS,
    build_map,
    encode_incidents,
    event_group_index,
    format_event_date,
    save_map,
    to_escaped_json,
)

DATA = re.compile(
    r'<script type="application/json" id="(geomap-data-[^"]+)">(.*?)</script>', re.DOTALL
)


def render_html(incidents, tmp_path: Path, **kwargs) -> str:
    path = save_map(build_map(incidents, **kwargs), tmp_path / "map.html")
    return path.read_text(encoding="utf-8")


def payload_of(html: str) -> dict:
    blocks = DATA.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0][1])


def decode(column: dict) -> list:
    return [None if code < 0 else column["v"][code] for code in column["i"]]


# --------------------------------------------------------------------------- the data


def test_one_record_per_event(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    events = payload_of(html)["events"]
    for name in ("lat", "lon", "group", "day", "time_precision", "fatalities", "border_km"):
        assert len(events[name]) == len(incidents), name
    for name, column in events["text"].items():
        assert len(column["i"]) == len(incidents), name
    assert decode(events["text"]["event_id_cnty"]) == list(incidents["event_id_cnty"])
    assert events["lat"][0] == pytest.approx(19.95)
    assert events["lon"][0] == pytest.approx(2.95)


def test_no_per_event_folium_objects(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    assert "L.marker(" not in html
    assert "bindPopup(" not in html.split("</head>")[1]  # only in the runtime, once
    assert html.count("geomapInit(") == 2  # the definition and the one call


def test_text_is_dictionary_encoded(incidents):
    events = encode_incidents(incidents)
    country = events["text"]["country"]
    assert country["v"] == ["Mali", "Algeria", "United States"]
    assert decode(country) == list(incidents["country"])
    assert decode(events["text"]["actor2"])[2] is None


def test_dates_and_precision(incidents):
    events = encode_incidents(incidents)
    labels = decode(events["text"]["date"])
    assert labels[0] == "2023-12-05"
    assert labels[1] == "December 2023"
    assert labels[5] == "2023"
    assert events["day"][0] == (pd.Timestamp("2023-12-05") - pd.Timestamp("1970-01-01")).days
    assert events["time_precision"][:3] == [1, 2, 1]


def test_format_event_date_missing():
    assert format_event_date(None) is None
    assert format_event_date(pd.NaT, 2) is None
    assert format_event_date(pd.Timestamp("2024-02-29"), 7) == "2024-02-29"


def test_missing_values_and_columns_do_not_break(tmp_path):
    frame = make_incidents()
    frame = frame.drop(columns=["notes", "border_pair", "source_url", "fatalities"])
    frame.loc[0, "event_type"] = float("nan")
    frame.loc[1, "event_date"] = pd.NaT
    events = payload_of(render_html(frame, tmp_path))["events"]
    assert events["fatalities"] == [None] * len(frame)
    assert events["day"][1] is None
    assert events["group"][0] == len(EVENT_GROUPS) - 1


def test_rows_without_coordinates_are_left_out(caplog):
    frame = make_incidents()
    frame.loc[2, "geometry"] = None
    events = encode_incidents(frame)
    assert len(events["lat"]) == len(frame) - 1
    assert "MLI3" not in decode(events["text"]["event_id_cnty"])
    assert "without usable coordinates" in caplog.text


def test_plain_dataframe_uses_lat_lon_columns():
    frame = pd.DataFrame(make_incidents().drop(columns="geometry"))
    events = encode_incidents(frame)
    assert events["lat"][3] == pytest.approx(12.65)


def test_projected_geometry_is_reprojected():
    frame = make_incidents().to_crs("EPSG:3857")
    events = encode_incidents(frame)
    assert events["lat"][0] == pytest.approx(19.95, abs=1e-4)
    assert events["lon"][0] == pytest.approx(2.95, abs=1e-4)


# --------------------------------------------------------------------------- escaping


def test_hostile_notes_only_escaped(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    assert "<script>alert(1)" not in html
    assert "alert(1)</script>" not in html
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c/script\\u003e" in html
    notes = decode(payload_of(html)["events"]["text"]["notes"])
    assert notes[1] == HOSTILE_NOTE


def test_escaped_json_characters():
    text = to_escaped_json(["<>&\u2028\u2029`\\1${x}"])
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == ["<>&\u2028\u2029`\\1${x}"]


def test_escaped_json_refuses_nan():
    with pytest.raises(ValueError):
        to_escaped_json([float("nan")])


def test_hostile_title(incidents, tmp_path):
    title = "</title><script>alert(1)</script>"
    html = render_html(incidents, tmp_path, title=title)
    assert "<script>alert(1)" not in html
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert payload_of(html)["title"] == title


def test_lone_surrogates_do_not_break_the_file(tmp_path):
    frame = make_incidents()
    frame.loc[0, "notes"] = "broken \ud800 text"
    html = render_html(frame, tmp_path)
    assert decode(payload_of(html)["events"]["text"]["notes"])[0] == "broken ? text"


# --------------------------------------------------------------------------- links


def test_only_http_links(incidents):
    text = encode_incidents(incidents)["text"]
    links = decode(text["source_link"])
    others = decode(text["source_url"])
    assert links[0] == "https://example.org/a"
    assert links[2] == "http://example.com/k"
    assert links[1] is None and others[1] == "javascript:alert(1)"
    assert links[5] is None and others[5] == "ftp://example.net/x"
    assert all(link is None or re.match(r"https?://", link) for link in links)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "https://",
        "http:/relative",
        "https://exa mple.org/",
        "//example.org/x",
    ],
)
def test_non_web_urls_are_never_links(url):
    frame = make_incidents()
    frame.loc[0, "source_url"] = url
    assert decode(encode_incidents(frame)["text"]["source_link"])[0] is None


# --------------------------------------------------------------------------- groups, legend


def test_event_groups():
    assert [g.label for g in EVENT_GROUPS[:6]] == [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Riots",
        "Protests",
        "Strategic developments",
    ]
    assert len({g.color for g in EVENT_GROUPS}) == len(EVENT_GROUPS)
    assert event_group_index("violence  AGAINST civilians") == 2
    assert event_group_index(None) == len(EVENT_GROUPS) - 1


def test_legend_counts(incidents, tmp_path):
    groups = payload_of(render_html(incidents, tmp_path))["groups"]
    counts = {g["label"]: g["count"] for g in groups}
    assert counts == {
        "Battles": 2,
        "Explosions/Remote violence": 1,
        "Violence against civilians": 1,
        "Riots": 1,
        "Protests": 3,
        "Strategic developments": 1,
        "Other / unknown": 2,
    }


# --------------------------------------------------------------------------- borders


def test_border_layers(incidents, tmp_path):
    payload = payload_of(render_html(incidents, tmp_path, borders=make_borders()))
    countries = payload["countries"]["features"]
    lines = payload["lines"]["features"]
    assert [f["properties"]["iso_a2"] for f in countries] == ["ML", "DZ"]
    assert lines[0]["properties"] == {
        "a": "DZ", "b": "ML", "name_a": "Algeria", "name_b": "Mali", "length_km": 1359.0
    }
    assert lines[0]["geometry"]["type"] == "LineString"


def test_hostile_border_names_escaped(incidents, tmp_path):
    borders = make_borders(("<img src=x onerror=alert(1)>", "</script>"))
    html = render_html(incidents, tmp_path, borders=borders)
    assert "<img src=x" not in html
    assert "</script>\\" not in html


def test_borders_without_layers_are_refused(incidents):
    with pytest.raises(RenderError, match="countries"):
        build_map(incidents, borders=object())


def test_no_borders_no_features(incidents, tmp_path):
    payload = payload_of(render_html(incidents, tmp_path))
    assert payload["countries"]["features"] == [] and payload["lines"]["features"] == []


# --------------------------------------------------------------------------- the page


def test_page_chrome(incidents, tmp_path):
    html = render_html(incidents, tmp_path, title="Sahel 2024")
    payload = payload_of(html)
    assert payload["title"] == "Sahel 2024"
    assert any("GeoNames" in a and "CC BY 4.0" in a for a in payload["attribution"])
    assert any("Natural Earth" in a for a in payload["attribution"])
    assert "tile.openstreetmap.org" in html
    assert payload["bounds"] == [[12.65, -74.0], [40.71, 5.52]]
    for unwanted in ("jquery", "bootstrap", "awesome-markers", "fontawesome"):
        assert unwanted not in html.lower()


def test_cdn_links(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    assert 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"' in html
    assert "leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js" in html


def test_no_tiles(incidents, tmp_path):
    html = render_html(incidents, tmp_path, tiles=None)
    assert "tile.openstreetmap.org" not in html
    assert re.search(r"geomapInit\(map_\w+, null,", html)


def test_empty_incidents_render(tmp_path):
    frame = make_incidents().iloc[0:0]
    payload = payload_of(render_html(frame, tmp_path, borders=make_borders()))
    assert payload["events"]["lat"] == []


def test_not_a_dataframe():
    with pytest.raises(RenderError, match="DataFrame"):
        build_map([1, 2, 3])


def test_bad_options(incidents):
    with pytest.raises(RenderError, match="title"):
        build_map(incidents, title=3)
    with pytest.raises(RenderError, match="offline"):
        build_map(incidents, offline=True, tiles="OpenStreetMap")


def test_save_map_is_atomic_and_returns_path(incidents, tmp_path):
    target = tmp_path / "sub" / "map.html"
    assert save_map(build_map(incidents), target) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["map.html"]


def test_render_error_is_geomap_error():
    assert issubclass(RenderError, GeomapError)


# --------------------------------------------------------------------------- offline


def _offline_or_skip(incidents, tmp_path: Path, **kwargs) -> str:
    if len(render.local_asset_files()) < 4:
        pytest.skip("web assets not installed (npm install leaflet leaflet.markercluster)")
    return render_html(incidents, tmp_path, offline=True, **kwargs)


def test_offline_page_references_nothing_outside(incidents, tmp_path):
    html = _offline_or_skip(incidents, tmp_path, borders=make_borders())
    assert not re.search(r'<(script|link)[^>]+(src|href)="', html)
    assert "tile.openstreetmap.org" not in html
    styles = "".join(re.findall(r"<style>(.*?)</style>", html, re.DOTALL))
    assert "leaflet-control-layers-toggle" in styles
    assert re.search(r"url\((?!data:|#)", styles) is None
    assert "L.markerClusterGroup" in html


def test_offline_without_assets_says_how_to_fix(incidents, monkeypatch, tmp_path):
    monkeypatch.setattr(render, "asset_dirs", lambda: (tmp_path / "nothing",))
    with pytest.raises(RenderError, match="npm install"):
        build_map(incidents, offline=True)
