"""Tests of geomap.map.page that need no browser: data encoding, escaping, options, assets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from support import HOSTILE_NOTE, make_borders, make_incidents

from geomap.errors import GeomapError, RenderError
from geomap.map import assets
from geomap.map.page import (
    EVENT_GROUPS,
    MapOptions,
    build_map,
    encode_incidents,
    event_group_index,
    format_event_date,
    save_map,
    to_escaped_json,
)
from geomap.map.payload import COORD_SCALE, pack, unpack

DATA = re.compile(
    r'<script type="application/octet-stream" id="(geomap-data-[^"]+)" '
    r'data-encoding="deflate-raw\+base64">([A-Za-z0-9+/=]*)</script>'
)


def render_html(
    incidents, tmp_path: Path, *, borders=None, basemap=None, **options
) -> str:
    fmap = build_map(incidents, MapOptions(**options), borders=borders, basemap=basemap)
    return save_map(fmap, tmp_path / "map.html").read_text(encoding="utf-8")


def payload_of(html: str) -> dict:
    blocks = DATA.findall(html)
    assert len(blocks) == 1
    return unpack(blocks[0][1])


def decode(column: dict) -> list:
    if "i" not in column:
        return list(column["v"])
    return [None if code < 0 else column["v"][code] for code in column["i"]]


# --------------------------------------------------------------------------- the data


def test_one_record_per_event(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    events = payload_of(html)["events"]
    assert events["n"] == len(incidents)
    for name in ("lat", "lon", "group", "day", "time_precision", "fatalities", "border_dkm"):
        assert len(events[name]) == len(incidents), name
    for name, column in events["text"].items():
        assert len(decode(column)) == len(incidents), name
    assert decode(events["text"]["event_id_cnty"]) == list(incidents["event_id_cnty"])
    assert "i" not in events["text"]["event_id_cnty"]  # all distinct: no codes stored
    assert events["lat"][0] == 1_995_000 and events["lon"][0] == 295_000
    assert events["border_dkm"][0] == 123


def test_data_is_packed(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    packed = DATA.findall(html)[0][1]
    assert unpack(packed) == payload_of(html)
    assert unpack(pack({"a": ["</script>", "\u2028", 1.5]})) == {"a": ["</script>", "\u2028", 1.5]}
    assert payload_of(html)["coord_scale"] == COORD_SCALE


def test_no_per_event_folium_objects(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    body = html.split("</head>")[1]
    assert "L.marker(" not in body and "L.circleMarker(" not in body
    assert "bindPopup(" not in body  # only in the runtime, once
    assert html.count("geomapInit(") == 2  # the definition and the one call


def test_text_is_dictionary_encoded(incidents):
    events = encode_incidents(incidents)
    country = events["text"]["country"]
    assert country["v"] == ["Mali", "Algeria", "United States"]
    assert decode(country) == list(incidents["country"])
    assert decode(events["text"]["actor2"])[2] is None


def test_dates_and_precision(incidents):
    events = encode_incidents(incidents)
    assert "date" not in events["text"]  # the page formats labels from day + precision
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
    assert events["lat"][3] == 1_265_000


def test_projected_geometry_is_reprojected():
    frame = make_incidents().to_crs("EPSG:3857")
    events = encode_incidents(frame)
    assert events["lat"][0] == pytest.approx(1_995_000, abs=10)
    assert events["lon"][0] == pytest.approx(295_000, abs=10)


# --------------------------------------------------------------------------- escaping


def test_hostile_notes_only_packed(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    assert "alert(1)" not in html  # the data is only in the packed base64 block
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
    assert "alert(1)</script>" not in html
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
    assert payload_of(html)["countries"]["features"][0]["properties"]["name"].startswith("<img")


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
    assert payload["basemap"] is None
    for unwanted in ("jquery", "bootstrap", "awesome-markers", "fontawesome"):
        assert unwanted not in html.lower()


def test_cdn_links(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    assert 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"' in html
    assert "leaflet.markercluster@" not in html  # clustering is geomap's own


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
        MapOptions(title=3)
    with pytest.raises(RenderError, match="offline"):
        MapOptions(offline=True, tiles="OpenStreetMap")
    with pytest.raises(RenderError, match="MapOptions"):
        build_map(incidents, {"title": "x"})


def test_basemap_is_an_argument(incidents, tmp_path):
    basemap = make_borders().countries
    payload = payload_of(render_html(incidents, tmp_path, basemap=basemap, tiles=None))
    assert [f["properties"]["iso_a2"] for f in payload["basemap"]["features"]] == ["ML", "DZ"]


def test_render_reads_no_data_files(incidents, tmp_path, monkeypatch):
    import geomap.borders.layers

    def forbidden(*args, **kwargs):
        raise AssertionError("render must not load layers itself")

    for name in ("basemap_layers", "border_layers", "load_countries"):
        monkeypatch.setattr(geomap.borders.layers, name, forbidden)
    render_html(incidents, tmp_path, borders=make_borders())


def test_save_map_is_atomic_and_returns_path(incidents, tmp_path):
    target = tmp_path / "sub" / "map.html"
    assert save_map(build_map(incidents), target) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["map.html"]


def test_render_error_is_geomap_error():
    assert issubclass(RenderError, GeomapError)


# --------------------------------------------------------------------------- offline


def _offline_or_skip(incidents, tmp_path: Path, **kwargs) -> str:
    if len(assets.local_asset_files()) < len(assets.ASSETS):
        pytest.skip("web assets not installed (npm install --no-package-lock)")
    return render_html(incidents, tmp_path, offline=True, **kwargs)


def test_offline_page_references_nothing_outside(incidents, tmp_path):
    html = _offline_or_skip(incidents, tmp_path, borders=make_borders())
    assert not re.search(r'<(script|link)[^>]+(src|href)="', html)
    assert "tile.openstreetmap.org" not in html
    styles = "".join(re.findall(r"<style>(.*?)</style>", html, re.DOTALL))
    assert "leaflet-control-layers-toggle" in styles
    assert re.search(r"url\((?!data:|#)", styles) is None
    assert "L.CircleMarker" in html


def test_offline_without_assets_says_how_to_fix(incidents, monkeypatch, tmp_path):
    monkeypatch.setenv("GEOMAP_ASSETS", str(tmp_path / "nothing"))
    with pytest.raises(RenderError, match="npm install") as info:
        build_map(incidents, MapOptions(offline=True))
    assert "\n" not in str(info.value)
    # the default mode needs no local assets
    assert "cdn.jsdelivr.net" in render_html(incidents, tmp_path)


def test_cli_offline_without_assets_is_one_line(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from geomap.cli import cli
    from geomap.resources import layer_path

    monkeypatch.setenv("GEOMAP_ASSETS", str(tmp_path / "empty"))
    out = tmp_path / "offline.html"
    result = CliRunner().invoke(
        cli, ["map", str(layer_path("incidents/algeria_mali.csv")), "--offline", "-o", str(out)]
    )
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "npm install" in lines[0], result.output
    assert not out.exists()


def test_pack_in_pieces_is_one_stream():
    import random

    rng = random.Random(1)
    big = {"notes": ["".join(rng.choice("abcdefgh <>&\u00e9") for _ in range(200))
                     for _ in range(30_000)]}  # > 4 MB of JSON: several pieces
    assert unpack(pack(big)) == big
