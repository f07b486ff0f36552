"""Browser tests of hostile text: no input text ever runs, links are only http(s).

Same network policy and skips as ``test_browser.py`` (see the browser section of
conftest.py).
"""

from __future__ import annotations

from typing import Any

from support import make_borders, make_incidents, open_map, visible_total

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


