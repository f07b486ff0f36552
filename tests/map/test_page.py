"""Tests of geomap.map.page that need no browser: the page, its data block, options."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from support import (
    DATA,
    HOSTILE_NOTE,
    decode,
    make_borders,
    make_incidents,
    payload_of,
    render_html,
)

from geomap.errors import GeomapError, RenderError
from geomap.map.page import EVENT_GROUPS, MapOptions, build_map, save_map
from geomap.map.payload import COORD_SCALE, pack, page_labels, unpack

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


def test_missing_values_and_columns_do_not_break(tmp_path):
    frame = make_incidents()
    frame = frame.drop(columns=["notes", "border_pair", "source_url", "fatalities"])
    frame.loc[0, "event_type"] = float("nan")
    frame.loc[1, "event_date"] = pd.NaT
    events = payload_of(render_html(frame, tmp_path))["events"]
    assert events["fatalities"] == [None] * len(frame)
    assert events["day"][1] is None
    assert events["group"][0] == len(EVENT_GROUPS) - 1


# --------------------------------------------------------------------------- escaping


def test_hostile_notes_only_packed(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    assert "alert(1)" not in html  # the data is only in the packed base64 block
    notes = decode(payload_of(html)["events"]["text"]["notes"])
    assert notes[1] == HOSTILE_NOTE


def test_hostile_title(incidents, tmp_path):
    title = "</title><script>alert(1)</script>"
    html = render_html(incidents, tmp_path, title=title)
    assert "alert(1)</script>" not in html
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert payload_of(html)["title"] == title


def test_lone_surrogates_do_not_break_the_file(tmp_path):
    frame = make_incidents()
    frame["notes"] = frame["notes"].astype(object)  # an arrow-backed str column refuses it
    frame.loc[0, "notes"] = "broken \ud800 text"
    html = render_html(frame, tmp_path)
    assert decode(payload_of(html)["events"]["text"]["notes"])[0] == "broken ? text"


# --------------------------------------------------------------------------- groups, legend


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
    # the view frames the nine Sahel events; the two in New York lie outside it
    assert payload["bounds"] == [[12.65, -8.0], [36.75, 5.52]]
    assert payload["basemap"] is None
    for unwanted in ("jquery", "bootstrap", "awesome-markers", "fontawesome"):
        assert unwanted not in html.lower()


def test_every_page_is_standalone(incidents, tmp_path):
    for options in ({}, {"tiles": "OpenTopoMap"}, {"offline": True}):
        html = render_html(incidents, tmp_path, **options)
        assert not re.search(r'<(script|link)[^>]+(src|href)="', html), options
        assert "cdn.jsdelivr.net" not in html
        assert "L.CircleMarker" in html  # Leaflet itself, inlined
    assert "leaflet.markercluster" not in html  # clustering is geomap's own


def test_default_tiles_are_offered_switched_off(incidents, tmp_path):
    html = render_html(incidents, tmp_path)
    layer = re.search(r"var (tile_layer_\w+) = L\.tileLayer\(", html).group(1)
    assert f"{layer}.addTo(" not in html  # not on the map: the page asks no server
    assert '"geomapLabel": "Online tiles (OpenStreetMap.Mapnik)"' in html
    assert re.search(rf"geomapInit\(map_\w+, {layer},", html)


def test_named_tiles_are_shown(incidents, tmp_path):
    html = render_html(incidents, tmp_path, tiles="OpenTopoMap")
    layer = re.search(r"var (tile_layer_\w+) = L\.tileLayer\(", html).group(1)
    assert "tile.opentopomap.org" in html
    assert f"{layer}.addTo(map_" in html


def test_unknown_tiles_name_close_ones():
    with pytest.raises(RenderError, match="OpenStreetMap.Mapnik") as info:
        MapOptions(tiles="OpenStreetMap.Mapnk")
    assert "unknown tile provider" in str(info.value)
    with pytest.raises(RenderError, match="API key"):
        MapOptions(tiles="CartoDB.Positron")  # xyzservices now wants a key for CARTO


def test_no_tiles(incidents, tmp_path):
    for options in ({"tiles": None}, {"tiles": "none"}, {"offline": True}):
        html = render_html(incidents, tmp_path, **options)
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



def test_page_carries_the_labels(incidents, tmp_path):
    payload = payload_of(render_html(incidents, tmp_path))
    assert payload["labels"] == page_labels()
    assert payload["style"] == {"radius": 6.0, "cluster_radius": 22, "max_zoom": 18,
                                "size_by": None, "min_radius": 4.0, "max_radius": 18.0}
