"""Every page is standalone (deliverable 1 of #13), and the notebook object (deliverable 6).

Browser tests open pages in Debian Chromium with the network refused (conftest.py): the
default page and the ``offline`` page must ask for nothing at all; a page whose named tile
provider is refused still draws its vector basemap and its markers. ``geomap.Map`` shows
the same page inline (an escaped ``<iframe srcdoc>``) as it saves.
"""

from __future__ import annotations

import html
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point
from support import READY, VISIBLE, make_borders, make_incidents, show_all

import geomap
from geomap.errors import RenderError
from geomap.map.document import Map
from geomap.map.page import MapOptions, build_map, save_map

BASEMAP_PATHS = "() => document.querySelectorAll('.leaflet-geomapBasemap-pane path').length"


def _page(tmp_path, **options):
    fmap = build_map(make_incidents(), MapOptions(**options), borders=make_borders(),
                     basemap=make_borders().countries)
    return save_map(fmap, tmp_path / "map.html")


@pytest.mark.parametrize("options", [{}, {"offline": True}, {"tiles": "none"}])
def test_default_and_offline_pages_make_no_request(browser_page, tmp_path, options):
    page = show_all(browser_page.open(_page(tmp_path, **options)))
    page.wait_for_timeout(300)  # room for any late request
    assert browser_page.requests == []
    assert browser_page.problems == []
    assert page.evaluate(VISIBLE)["total"] == len(make_incidents())
    assert page.evaluate(BASEMAP_PATHS) > 0


def test_the_tile_layer_can_be_turned_on(browser_page, tmp_path):
    page = show_all(browser_page.open(_page(tmp_path)))
    labels = page.eval_on_selector_all(".leaflet-control-layers-overlays label",
                                       "(ls) => ls.map((l) => l.textContent.trim())")
    assert "Online tiles (OpenStreetMap.Mapnik)" in labels
    assert page.evaluate("() => document.querySelectorAll('.leaflet-tile').length") == 0
    page.evaluate("""() => { const g = window.geomap; g.map.eachLayer(() => {});
        const box = [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
            .find((l) => l.textContent.includes('Online tiles')).querySelector('input');
        box.click(); }""")
    page.wait_for_timeout(300)
    assert any("tile.openstreetmap.org" in url for url in browser_page.requests)


def test_refused_tiles_leave_basemap_and_markers(browser_page, tmp_path):
    page = show_all(browser_page.open(_page(tmp_path, tiles="OpenTopoMap")))
    page.wait_for_timeout(300)
    assert browser_page.blocked and all("opentopomap.org" in u for u in browser_page.blocked)
    assert page.evaluate(VISIBLE)["total"] == len(make_incidents())
    assert page.evaluate(BASEMAP_PATHS) > 0
    others = [p for p in browser_page.problems if "Failed to load resource" not in p]
    assert others == []


# --------------------------------------------------------------------------- notebooks


def _points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"event_type": ["Battles", "Protests", "Riots"], "location": ["Gao", "Bamako", "x"],
         "event_date": ["2024-03-01", "2024-03-02", "2024-03-03"], "fatalities": [3, 0, 1],
         "anything": ["a", "<b>'\"`\\", None]},
        geometry=[Point(-0.04, 16.27), Point(-8.0, 12.65), None], crs="EPSG:4326")


def test_repr_html_holds_the_saved_page(tmp_path):
    page = geomap.explore(_points(), title="Mali <3")
    assert isinstance(page, geomap.Map) and "explore" in geomap.__all__
    saved = page.save(tmp_path / "sub" / "m.html").read_text(encoding="utf-8")
    shown = page._repr_html_()
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown).group(1)
    assert html.unescape(srcdoc) == saved
    assert "<script" not in srcdoc and "<title>Mali &lt;3</title>" in saved


def test_explore_any_crs_and_refuses_non_points():
    frame = _points().to_crs("EPSG:3857")
    assert "<!DOCTYPE html>" in geomap.explore(frame, tiles=None).html
    lines = gpd.GeoDataFrame({"a": [1]}, geometry=[LineString([(0, 0), (1, 1)])])
    with pytest.raises(RenderError, match="points"):
        geomap.explore(lines)
    with pytest.raises(RenderError, match="GeoDataFrame"):
        geomap.explore(pd.DataFrame({"a": [1]}))
    with pytest.raises(RenderError, match="unknown tile provider"):
        geomap.explore(_points(), tiles="Nope.Nothing")


def test_make_map_report_carries_the_page(tmp_path):
    from geomap.resources import layer_path

    report = geomap.make_map(layer_path("incidents/algeria_mali.csv"), tmp_path / "m.html")
    assert isinstance(report.map, Map)
    assert (tmp_path / "m.html").read_text(encoding="utf-8") == report.map.html
    assert "map=" not in repr(report)
    nothing = geomap.make_map(layer_path("incidents/algeria_mali.csv"), None)
    assert nothing.output == "" and nothing.map.html.startswith("<!DOCTYPE html>")


def test_notebook_iframe_renders_markers(browser_page, tmp_path):
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body><div style='width:900px'>"
                    + geomap.explore(_points(), title="nb")._repr_html_()
                    + "</div></body></html>", encoding="utf-8")
    browser_page.page.goto(host.resolve().as_uri())
    frame = browser_page.page.wait_for_selector("iframe").content_frame()
    frame.wait_for_function(READY)
    assert frame.evaluate(VISIBLE)["total"] == 2  # the row without a point is left off
    assert frame.inner_text(".geomap-title") == "nb"
    assert browser_page.requests == [] and browser_page.problems == []
