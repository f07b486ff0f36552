"""Browser tests of the rendered map: Debian Chromium driven by Playwright.

Network policy (see the browser section of conftest.py): CDN links are answered with the
locally installed Leaflet files, tiles with a blank PNG, everything else is
refused and recorded. So any console error, uncaught exception or dialog is the page's own
fault, and every test asserts there is none.

The module is skipped when /usr/bin/chromium or the local web assets are missing, and fails
instead under CI=true.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support import HOSTILE_NOTE, BrowserPage, make_borders, make_incidents

from geomap.map.page import MapOptions, build_map, save_map

# JavaScript helpers evaluated in the page -------------------------------------------------

VISIBLE = """() => {
    const single = document.querySelectorAll("path.geomap-event").length;
    const clusters = [...document.querySelectorAll(".geomap-cluster span")];
    const inClusters = clusters.reduce((n, s) => n + Number(s.textContent), 0);
    return {single, clusters: clusters.length, total: single + inClusters};
}"""

MARKER_POINT = """(id) => {
    const g = window.geomap;
    const ids = g.events.text.event_id_cnty;
    const marker = g.markers.find((m) => ids(m.geomapIndex) === id);
    const shown = g.visibleParent(marker);
    const p = g.map.latLngToContainerPoint(shown.getLatLng());
    const box = g.map.getContainer().getBoundingClientRect();
    return {x: box.left + p.x, y: box.top + p.y, clustered: shown !== marker};
}"""

LEGEND = """() => Object.fromEntries([...document.querySelectorAll(".geomap-legend li")].map(
    (li) => [li.dataset.group, Number(li.querySelector(".geomap-legend-count").textContent)]))"""


def open_map(
    browser_page: BrowserPage, tmp_path: Path, incidents: Any, *, borders: Any = None,
    basemap: Any = None, **options: Any
) -> Any:
    """Build, save and open a map; ``options`` are :class:`MapOptions` fields."""
    fmap = build_map(incidents, MapOptions(**options), borders=borders, basemap=basemap)
    return browser_page.open(save_map(fmap, tmp_path / "map.html"))


def click_event(page: Any, event_id: str) -> dict:
    point = page.evaluate(MARKER_POINT, event_id)
    page.mouse.click(point["x"], point["y"])
    return point


def popup_text(page: Any) -> str:
    page.wait_for_selector(".leaflet-popup-content .geomap-popup")
    return page.inner_text(".leaflet-popup-content")


def visible_total(page: Any) -> int:
    return page.evaluate(VISIBLE)["total"]


# --------------------------------------------------------------------------- loading


def test_page_loads_without_errors(browser_page, tmp_path, incidents, borders):
    page = open_map(browser_page, tmp_path, incidents, borders=borders, title="Sahel 2024")
    assert browser_page.problems == []
    assert browser_page.blocked == []
    assert page.title() == "Sahel 2024"
    assert page.inner_text(".geomap-title") == "Sahel 2024"
    attribution = page.inner_text(".leaflet-control-attribution")
    for name in ("OpenStreetMap", "GeoNames", "CC BY 4.0", "Natural Earth"):
        assert name in attribution


def test_view_is_fitted_to_the_data(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    inside = page.evaluate(
        """() => { const g = window.geomap, b = g.map.getBounds();
            return g.markers.every((m) => b.contains(m.getLatLng())); }"""
    )
    assert inside


def test_marker_count_matches_data(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    visible = page.evaluate(VISIBLE)
    assert visible["total"] == len(incidents)
    # At the fitted zoom only points that overlap cluster: Bamako's shared point and the
    # two New York events 8 km apart. Everything else shows as a single marker.
    assert visible["clusters"] == 2
    assert visible["single"] == len(incidents) - 4


def test_legend_counts(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    assert page.evaluate(LEGEND) == {
        "battles": 2, "explosions": 1, "civilians": 1, "riots": 1, "protests": 3,
        "strategic": 1, "other": 2,
    }
    assert "11 of 11 events" in page.inner_text(".geomap-legend-total")


# --------------------------------------------------------------------------- popups


def test_click_opens_popup_with_content(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    assert not click_event(page, "MLI1")["clustered"]
    text = popup_text(page)
    for expected in (
        "Battles \u2013 Armed clash",
        "2023-12-05",
        "JNIM vs. Military Forces of Mali",
        "Tin Zaouatine (gazetteer: Tinzaouaten), Kidal, Mali",
        "precision 1: the town itself",
        "12 km to the DZ\u2013ML border",
        "Clashes near the border.",
        "MLI1",
    ):
        assert expected in text
    link = page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "https://example.org/a"
    assert link.inner_text() == "Reuters"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert browser_page.problems == []


def test_popup_precision_and_missing_values(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    click_event(page, "MLI6")
    text = popup_text(page)
    assert "2023" in text and "precision 3: an area (commune, region or country)" in text
    assert "Fatalities\tunknown" in text or "Fatalities unknown" in text.replace("\n", " ")
    # ftp:// is no web link: plain text
    assert page.locator(".leaflet-popup-content a").count() == 0
    assert "ftp://example.net/x" in text


def test_spiderfy_reveals_events_sharing_a_point(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    before = page.evaluate(VISIBLE)
    point = click_event(page, "MLI2")  # Bamako: MLI2 and MLI4 share the point
    assert point["clustered"]
    page.wait_for_function(
        "(n) => document.querySelectorAll('path.geomap-event').length === n + 2",
        arg=before["single"],
    )
    page.wait_for_timeout(400)  # spiderfy animation
    assert not click_event(page, "MLI2")["clustered"]
    text = popup_text(page)
    assert "December 2023" in text
    assert HOSTILE_NOTE in text
    assert page.locator(".leaflet-popup-content a").count() == 0  # javascript: URL
    assert "javascript:alert(1)" in text
    assert browser_page.problems == []


# --------------------------------------------------------------------------- filters


def test_time_control_filters_and_legend_follows(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    page.fill(".geomap-time-from", "2024-01-01")
    page.fill(".geomap-time-to", "2024-03-31")
    page.wait_for_function(f"() => ({VISIBLE})().total === 3")
    legend = page.evaluate(LEGEND)
    assert legend == {
        "battles": 0, "explosions": 1, "civilians": 0, "riots": 1, "protests": 1,
        "strategic": 0, "other": 0,
    }
    assert "3 of 11 events" in page.inner_text(".geomap-legend-total")

    # month- and year-precision events count when their period overlaps the range
    page.fill(".geomap-time-from", "2023-12-20")
    page.fill(".geomap-time-to", "2023-12-31")
    page.wait_for_function(f"() => ({VISIBLE})().total === 2")
    legend = page.evaluate(LEGEND)
    assert legend["civilians"] == 1 and legend["strategic"] == 1
    assert sum(legend.values()) == 2

    page.click(".geomap-time-reset")
    page.wait_for_function(f"() => ({VISIBLE})().total === 11")
    assert sum(page.evaluate(LEGEND).values()) == 11
    assert browser_page.problems == []


def test_layer_control_toggles_event_types(browser_page, tmp_path, incidents, borders):
    page = open_map(browser_page, tmp_path, incidents, borders=borders)
    box = page.locator(".leaflet-control-layers-overlays label", has_text="Protests")
    box.locator("input").uncheck()
    page.wait_for_function(f"() => ({VISIBLE})().total === 8")
    box.locator("input").check()
    page.wait_for_function(f"() => ({VISIBLE})().total === 11")
    borders_box = page.locator(".leaflet-control-layers-overlays label", has_text="Shared")
    before = page.locator("path.leaflet-interactive").count()
    borders_box.locator("input").uncheck()
    assert page.locator("path.leaflet-interactive").count() == before - 1
    assert browser_page.problems == []


def test_border_tooltips(browser_page, tmp_path, incidents, borders):
    page = open_map(browser_page, tmp_path, incidents, borders=borders)
    texts = page.evaluate(
        """() => window.geomap.borders.flatMap((entry) => entry.layer.getLayers().map((l) => {
            l.openTooltip(l.getBounds().getCenter());
            const text = l.getTooltip().getElement().textContent;
            l.closeTooltip();
            return text;
        }))"""
    )
    assert texts == ["Mali (ML)", "Algeria (DZ)", "Algeria \u2013 Mali border, 1,359 km"]


# --------------------------------------------------------------------------- hostile text

HOSTILE = [
    "<script>window.__pwned=1;alert(1)</script>",
    "</script><script>window.__pwned=2;alert(2)</script>",
    '<img src=x onerror="window.__pwned=3;alert(3)">',
    "'\"><svg onload=window.__pwned=4>",
    "`;window.__pwned=5;`",
    "${window.__pwned=6}",
    "\\1\\u0041\\x3c\\",
    "\u2028\u2029line separators",
    "javascript:window.__pwned=7",
    "<!-- <script>window.__pwned=8</script>",
    "{{ this.payload }}{% raw %}",
    "&lt;b&gt;pre-escaped&lt;/b&gt;",
    "\x00 NUL \x1b escape",
]
HOSTILE_URLS = [
    "javascript:window.__pwned=9",
    " JavaScript:window.__pwned=10",
    "java\nscript:window.__pwned=11",
    "data:text/html,<script>window.__pwned=12</script>",
    "vbscript:msgbox(1)",
    "https://example.org/?q=<script>window.__pwned=13</script>",
]
BIG_NOTE = "A" * 50_000 + "<script>window.__pwned=14</script>" + "B" * 50_000
TEXT_FIELDS = [
    "event_id_cnty", "event_type", "sub_event_type", "actor1", "actor2", "country",
    "country_code", "admin1", "location", "geocoded_name", "notes", "source", "border_pair",
]


def hostile_incidents() -> Any:
    """One event per catalogue entry, every text field hostile, spread over the globe."""
    frame = make_incidents()
    template = frame.iloc[[0]]
    rows = []
    for k in range(len(HOSTILE) + 1):
        row = template.copy()
        for j, name in enumerate(TEXT_FIELDS):
            row[name] = HOSTILE[(k + j) % len(HOSTILE)]
        row["source_url"] = HOSTILE_URLS[k % len(HOSTILE_URLS)]
        row["latitude"] = -55.0 + 8.0 * k
        row["longitude"] = -165.0 + 24.0 * k
        rows.append(row)
    rows[-1]["notes"] = BIG_NOTE
    import geopandas as gpd
    import pandas as pd

    out = pd.concat(rows, ignore_index=True)
    points = gpd.points_from_xy(out["longitude"], out["latitude"])
    return gpd.GeoDataFrame(out.drop(columns="geometry"), geometry=points, crs="EPSG:4326")


OPEN_ALL_POPUPS = """() => {
    const g = window.geomap, texts = [];
    for (const marker of g.markers) {
        if (g.visibleParent(marker) !== marker) { return null; }
        marker.openPopup();
        texts.push(marker.getPopup().getElement().textContent);
        marker.closePopup();
    }
    return texts;
}"""

SAFE = """() => ({
    pwned: window.__pwned === undefined ? null : window.__pwned,
    imgs: document.querySelectorAll("img[src='x'], svg[onload], [onerror]").length,
    badLinks: [...document.querySelectorAll("a[href]")]
        .filter((a) => !a.getAttribute("href").startsWith("#"))
        .filter((a) => !/^https?:$/.test(a.protocol)).map((a) => a.href),
    scripts: document.scripts.length,
})"""


def test_hostile_text_never_runs(browser_page, tmp_path):
    frame = hostile_incidents()
    borders = make_borders((HOSTILE[2], HOSTILE[1]))
    page = open_map(
        browser_page, tmp_path, frame, borders=borders, title=HOSTILE[0] + HOSTILE[2]
    )
    scripts = page.evaluate(SAFE)["scripts"]
    assert visible_total(page) == len(frame)
    texts = page.evaluate(OPEN_ALL_POPUPS)
    assert texts is not None, "hostile events should not cluster in this layout"
    assert len(texts) == len(frame)
    for value in HOSTILE:
        assert any(value.strip() in t for t in texts), value
    assert any(BIG_NOTE in t for t in texts)
    page.evaluate(
        """() => window.geomap.borders.forEach((entry) => entry.layer.eachLayer((l) => {
            l.openTooltip(l.getBounds().getCenter()); }))"""
    )
    assert page.inner_text(".geomap-title") == HOSTILE[0] + HOSTILE[2]
    page.fill(".geomap-time-from", "2023-12-05")  # the filter path touches no text
    safe = page.evaluate(SAFE)
    assert safe["pwned"] is None
    assert safe["imgs"] == 0
    assert safe["scripts"] == scripts
    assert browser_page.problems == []
    assert browser_page.blocked == []
    # the one https URL is a link, every other URL stays plain text
    assert safe["badLinks"] == []


def test_hostile_links_are_plain_text(browser_page, tmp_path):
    frame = hostile_incidents()
    page = open_map(browser_page, tmp_path, frame)
    hrefs = page.evaluate(
        """() => window.geomap.markers.flatMap((m) => {
            m.openPopup();
            const links = [...document.querySelectorAll('.leaflet-popup-content a')]
                .map((a) => a.getAttribute('href'));
            m.closePopup();
            return links;
        })"""
    )
    assert hrefs  # the https one
    assert all(h.startswith("https://example.org/") for h in hrefs)
    assert page.evaluate(SAFE)["badLinks"] == []


# --------------------------------------------------------------------------- offline


def test_offline_page_needs_no_network(browser_page, tmp_path, incidents, borders):
    page = open_map(browser_page, tmp_path, incidents, borders=borders, offline=True)
    assert browser_page.requests == []
    assert browser_page.problems == []
    assert visible_total(page) == len(incidents)
    assert page.evaluate("() => document.querySelector('.geomap-vector') !== null")
    click_event(page, "MLI1")
    assert "12 km to the DZ\u2013ML border" in popup_text(page)


def test_page_without_events(browser_page, tmp_path, borders):
    frame = make_incidents().iloc[0:0]
    page = open_map(browser_page, tmp_path, frame, borders=borders)
    assert visible_total(page) == 0
    assert page.locator(".geomap-time").count() == 0
    assert browser_page.problems == []
