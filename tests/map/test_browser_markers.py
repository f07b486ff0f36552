"""Browser tests of clusters and markers (#13, part 5): icons never overlap, sizes by
fatalities, colours by any column, an initial view that ignores far outliers, and popups
that wrap and scroll within a bounded height.

Same network policy as ``test_browser.py``: every test asserts the page reported no problem.
"""

from __future__ import annotations

import random

import pytest
from support import LEGEND, incidents_like, open_map

from geomap.map.page import MarkerStyle

#: Towns of central Mali the dense sample crowds its events around: (name, admin1, lat, lon).
TOWNS = [
    ("Mopti", "Mopti", 14.49, -4.19), ("Sevare", "Mopti", 14.53, -4.10),
    ("Djenne", "Mopti", 13.90, -4.55), ("Bandiagara", "Mopti", 14.35, -3.61),
    ("Douentza", "Mopti", 15.00, -2.95), ("Segou", "Segou", 13.43, -6.26),
    ("Niono", "Segou", 14.25, -5.99), ("Timbuktu", "Tombouctou", 16.77, -3.00),
]
#: Events in the dense sample.
DENSE_EVENTS = 600

BOXES = """() => [...document.querySelectorAll(".geomap-cluster")].map((e) => {
    const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""


def dense_incidents(n: int = DENSE_EVENTS, seed: int = 13):
    """``n`` events jittered around TOWNS (a few km), with 0-40 deaths."""
    rnd = random.Random(seed)
    changes = []
    for k in range(n):
        name, admin1, lat, lon = TOWNS[k % len(TOWNS)] if k % 3 else rnd.choice(TOWNS[:5])
        changes.append({
            "event_id_cnty": f"D{k}", "location": name, "admin1": admin1, "country": "Mali",
            "latitude": lat + rnd.gauss(0, 0.08), "longitude": lon + rnd.gauss(0, 0.08),
            "fatalities": rnd.choice([0, 0, 1, 2, 5, 10, 40]),
        })
    return incidents_like(changes)


def overlapping(boxes: list[list[float]]) -> list[tuple]:
    """Pairs of boxes that overlap (touching edges do not count)."""
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


@pytest.mark.parametrize("size_by", [None, "fatalities"])
def test_cluster_icons_never_overlap(browser_page, tmp_path, size_by):
    page = open_map(browser_page, tmp_path, dense_incidents(),
                    style=MarkerStyle(size_by=size_by))
    for zoom in (5, 6, 7, 8, 9, 10):
        page.evaluate("(z) => window.geomap.map.setView([14.4, -4.2], z, {animate: false})",
                      zoom)
        boxes = page.evaluate(BOXES)
        assert boxes, f"no cluster drawn at zoom {zoom}"
        assert overlapping(boxes) == [], f"overlapping cluster icons at zoom {zoom}"
    assert browser_page.problems == []


def test_markers_grow_with_fatalities(browser_page, tmp_path):
    deaths = [0, 1, 4, 16, 64, None]
    frame = incidents_like([
        {"event_id_cnty": f"F{k}", "latitude": 12.0 + 2 * k, "longitude": -8.0 + 2 * k,
         "fatalities": d} for k, d in enumerate(deaths)])
    page = open_map(browser_page, tmp_path, frame, style=MarkerStyle(size_by="fatalities"))
    radii = page.evaluate("() => window.geomap.markers.map((m) => m.getRadius())")
    style = MarkerStyle()
    assert radii[0] == pytest.approx(style.min_radius)
    assert radii[4] == pytest.approx(style.max_radius)
    assert radii[:5] == sorted(radii[:5]) and len(set(radii[:5])) == 5
    assert radii[5] == pytest.approx(style.min_radius)  # unknown deaths: the smallest
    # square-root scale: 16 deaths is half of 64's extra radius
    half = (style.max_radius - style.min_radius) / 2
    assert radii[3] == pytest.approx(style.min_radius + half)
    assert "fatalities" in page.inner_text(".geomap-legend-note")
    assert browser_page.problems == []


def test_color_by_admin1(browser_page, tmp_path):
    frame = dense_incidents(120)
    page = open_map(browser_page, tmp_path, frame, style=MarkerStyle(color_by="admin1"))
    expected = frame["admin1"].value_counts().to_dict()
    legend = page.evaluate("""() => [...document.querySelectorAll(".geomap-legend li")].map(
        (li) => [li.querySelector(".geomap-legend-label").textContent,
                 Number(li.querySelector(".geomap-legend-count").textContent),
                 li.querySelector(".geomap-swatch").style.background])""")
    shown = {label: count for label, count, _ in legend if count}
    assert shown == expected
    assert len({color for _, _, color in legend}) == len(legend)  # one colour per entry
    colors = page.evaluate("""() => { const g = window.geomap, out = {};
        g.markers.forEach((m) => { const a = g.events.get("admin1", m.geomapIndex);
            (out[a] = out[a] || new Set()).add(m.options.fillColor); });
        return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]])); }""")
    assert all(len(v) == 1 for v in colors.values())
    assert len({v[0] for v in colors.values()}) == len(expected)
    assert "admin1" in page.inner_text(".geomap-legend-title")
    assert sum(page.evaluate(LEGEND).values()) == len(frame)
    assert browser_page.problems == []


def test_initial_view_ignores_a_far_outlier(browser_page, tmp_path):
    frame = dense_incidents(200)
    frame.loc[0, ["latitude", "longitude"]] = [40.71, -74.0]  # one event in New York
    from shapely.geometry import Point
    frame.loc[0, "geometry"] = Point(-74.0, 40.71)
    page = open_map(browser_page, tmp_path, frame, everything=False)
    west = page.evaluate("() => window.geomap.map.getBounds().getWest()")
    assert west > -20, "the view is stretched towards New York"
    assert page.inner_text(".geomap-outside-text").strip() == "1 event outside this view"
    page.click(".geomap-outside-all")
    page.wait_for_function("() => window.geomap.map.getBounds().getWest() < -74")
    page.wait_for_selector(".geomap-outside", state="hidden")
    assert browser_page.problems == []


def test_long_value_popup_is_bounded_and_scrolls(browser_page, tmp_path):
    frame = incidents_like([{"event_id_cnty": "LONG", "notes": "x" * 100_000,
                             "actor1": "A" * 100_000}])
    page = open_map(browser_page, tmp_path, frame)
    page.evaluate("() => window.geomap.markers[0].openPopup()")
    page.wait_for_selector(".leaflet-popup-content .geomap-popup")
    sizes = page.evaluate("""() => { const c = document.querySelector(".leaflet-popup-content");
        return {height: c.getBoundingClientRect().height, width: c.getBoundingClientRect().width,
                scroll: c.scrollHeight, client: c.clientHeight,
                map: window.geomap.map.getSize().y}; }""")
    assert sizes["height"] <= 0.6 * sizes["map"] + 1
    assert sizes["scroll"] > sizes["client"]  # it scrolls
    assert sizes["width"] <= 400
    assert browser_page.problems == []
