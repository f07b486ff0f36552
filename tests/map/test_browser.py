"""Browser tests of the rendered map: Debian Chromium driven by Playwright.

Network policy (see the browser section of conftest.py): CDN links are answered with the
locally installed Leaflet files, tiles with a blank PNG, everything else is
refused and recorded. So any console error, uncaught exception or dialog is the page's own
fault, and every test asserts there is none.

The date labels and the clustering levels are checked against Python and against the
clustering rule directly; hostile text has its own module (``test_browser_hostile.py``).

The module is skipped when /usr/bin/chromium or the local web assets are missing, and fails
instead under CI=true.
"""

from __future__ import annotations

import pandas as pd
import pytest
from support import (
    HOSTILE_NOTE,
    LEGEND,
    VISIBLE,
    click_event,
    incidents_like,
    make_incidents,
    open_map,
    popup_text,
    visible_total,
)

from geomap.incidents.dates import period_bounds
from geomap.map.payload import format_event_date

# --------------------------------------------------------------------------- loading


def test_page_loads_without_errors(browser_page, tmp_path, incidents, borders):
    page = open_map(browser_page, tmp_path, incidents, borders=borders, title="Sahel 2024")
    assert browser_page.problems == []
    assert browser_page.blocked == []
    assert page.title() == "Sahel 2024"
    assert page.inner_text(".geomap-title") == "Sahel 2024"
    attribution = page.inner_text(".leaflet-control-attribution")
    for name in ("GeoNames", "CC BY 4.0", "Natural Earth"):
        assert name in attribution
    assert "OpenStreetMap" not in attribution  # its tile layer is offered, switched off


def test_view_is_fitted_to_the_data(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents, everything=False)
    outside = page.evaluate(
        """() => { const g = window.geomap, b = g.map.getBounds();
            return g.markers.filter((m) => !b.contains(m.getLatLng()))
                            .map((m) => m.getLatLng().lng); }"""
    )
    # the view frames the Sahel events; the two in New York lie outside it, and it says so
    assert len(outside) == 2 and all(lng < -70 for lng in outside)
    assert page.inner_text(".geomap-outside-text").strip().startswith("2 events outside")
    page.click(".geomap-outside-all")
    page.wait_for_timeout(400)
    assert page.evaluate(
        """() => { const g = window.geomap, b = g.map.getBounds();
            return g.markers.every((m) => b.contains(m.getLatLng())); }""")


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


def test_legend_and_layer_control_toggle_types_and_borders(browser_page, tmp_path, incidents,
                                                           borders):
    # more in test_browser_controls.py: types from the legend, basemap layers in the
    # folded layer control
    page = open_map(browser_page, tmp_path, incidents, borders=borders)
    button = page.locator(".geomap-legend li[data-group='protests'] button")
    button.click()
    page.wait_for_function(f"() => ({VISIBLE})().total === 8")
    button.click()
    page.wait_for_function(f"() => ({VISIBLE})().total === 11")
    page.locator(".leaflet-control-layers").hover()
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


# --------------------------------------------------------------------------- date labels

#: (event date, time precision): every ACLED precision (1 day, 2 week, 3 month) and
#: geomap's 4 (year), a missing date, codes read as a day, month ends, a leap day, weeks
#: across a year's end, ACLED month and year codes on a day that is not the first, and
#: dates before 1970 (negative day numbers).
DATED = [
    ("2023-12-05", 1), ("2024-02-29", 1), ("1969-07-20", 1), (None, 1), (None, 2),
    ("2024-05-20", 7), ("2024-06-01", None),
    ("2024-08-14", 2), ("2024-01-02", 2), ("1965-03-01", 2),
    ("1965-03-01", 3), ("2024-02-01", 3), ("2024-08-14", 3), ("1999-01-01", 4),
    ("1960-01-01", 4), ("2024-08-14", 4),
    *[(f"2023-{month:02d}-01", 3) for month in range(1, 13)],
]  # at most 28: spread_events places them apart on one line of the globe

DATE_LABELS = """() => {
    const g = window.geomap, ids = g.events.text.event_id_cnty, out = {};
    for (const marker of g.markers) {
        const i = marker.geomapIndex;
        if (g.visibleParent(marker) !== marker) { return null; }
        marker.openPopup();
        const row = [...marker.getPopup().getElement().querySelectorAll("tr")]
            .find((tr) => tr.querySelector("th").textContent === "Date");
        out[ids(i)] = {popup: row ? row.querySelector("td").textContent : null,
                       label: g.dateLabel(g.events.day[i], g.events.tp[i]),
                       period: [g.events.start[i], g.events.end[i]]};
        marker.closePopup();
    }
    return out;
}"""


def spread_events(dated: list[tuple]) -> pd.DataFrame:
    """One event per (date, precision), spread over the globe so none cluster."""
    return incidents_like([
        {"event_id_cnty": f"EV{k}", "event_date": date, "time_precision": precision,
         "latitude": -50.0 + 4.0 * k, "longitude": -160.0 + 12.5 * k}
        for k, (date, precision) in enumerate(dated)
    ])


def test_date_labels_match_format_event_date(browser_page, tmp_path):
    frame = spread_events(DATED)
    page = open_map(browser_page, tmp_path, frame)
    shown = page.evaluate(DATE_LABELS)
    assert shown is not None, "the events should not cluster in this layout"
    assert len(shown) == len(DATED)
    starts, ends = period_bounds(frame["event_date"], frame["time_precision"])
    epoch = pd.Timestamp("1970-01-01")
    for row, start, end in zip(frame.itertuples(), starts, ends, strict=True):
        expected = format_event_date(row.event_date, row.time_precision)
        period = [None, None] if pd.isna(start) else [(start - epoch).days, (end - epoch).days]
        assert shown[row.event_id_cnty] == {"popup": expected, "label": expected,
                                            "period": period}, row
    labels = {v["label"] for v in shown.values()}
    assert {"December 2023", "March 1965", "1999", "1969-07-20", "2024-02-29",
            "around 14 August 2024 (week)", "August 2024", "2024"} <= labels
    assert None in labels  # the missing dates: no Date row in their popups
    assert browser_page.problems == []


def test_time_control_meets_acled_weeks_and_months_by_overlap(browser_page, tmp_path):
    # ACLED events coded 14 August 2024: the day, the week (11-17), the month, the year
    frame = spread_events([("2024-08-14", 1), ("2024-08-14", 2), ("2024-08-14", 3),
                           ("2024-08-14", 4)])
    page = open_map(browser_page, tmp_path, frame)
    assert page.input_value(".geomap-time-from") == "2024-01-01"  # the year's first day
    page.fill(".geomap-time-from", "2024-08-16")
    page.fill(".geomap-time-to", "2024-08-20")
    page.wait_for_function(f"() => ({VISIBLE})().total === 3")
    page.fill(".geomap-time-from", "2024-08-18")
    page.wait_for_function(f"() => ({VISIBLE})().total === 2")
    assert browser_page.problems == []


# --------------------------------------------------------------------------- clustering

#: Two events about 43 m apart in Bamako (0.0004 degree of longitude) and two far away.
NEAR_LON = (-8.0, -7.9996)
LEVELS = """() => {
    const g = window.geomap, ids = g.events.text.event_id_cnty, out = [];
    for (let z = 0; z <= g.map.getMaxZoom(); z++) {
        const level = g.cluster.level(z), at = {};
        for (let i = 0; i < g.events.n; i++) { at[ids(i)] = level.clusterOf[i]; }
        out.push({zoom: z, sizes: level.members.map((m) => m.length),
                  members: level.members.flat().sort((a, b) => a - b), clusterOf: at});
    }
    return {levels: out, shown: Array.from(g.state.shown).reduce((a, b) => a + b, 0),
            radius: g.cluster.radius};
}"""


def cluster_events() -> pd.DataFrame:
    return incidents_like([
        {"event_id_cnty": "NEAR1", "latitude": 12.65, "longitude": NEAR_LON[0]},
        {"event_id_cnty": "NEAR2", "latitude": 12.65, "longitude": NEAR_LON[1]},
        {"event_id_cnty": "FAR1", "latitude": 36.75, "longitude": 3.06},
        {"event_id_cnty": "FAR2", "latitude": 40.71, "longitude": -74.0},
    ])


def test_clustering_levels(browser_page, tmp_path):
    frame = cluster_events()
    page = open_map(browser_page, tmp_path, frame)
    result = page.evaluate(LEVELS)
    levels, radius = result["levels"], result["radius"]
    assert [level["zoom"] for level in levels] == list(range(len(levels)))
    assert len(levels) > 16
    for level in levels:  # every shown event in exactly one cluster, at every zoom
        assert sum(level["sizes"]) == len(frame) == result["shown"]
        assert level["members"] == list(range(len(frame)))
        # the two near events share a cluster exactly when they are within the radius
        apart_px = (NEAR_LON[1] - NEAR_LON[0]) / 360 * 256 * 2 ** level["zoom"]
        together = level["clusterOf"]["NEAR1"] == level["clusterOf"]["NEAR2"]
        assert together == (apart_px <= radius), level["zoom"]
    assert levels[3]["clusterOf"]["NEAR1"] == levels[3]["clusterOf"]["NEAR2"]
    assert levels[-1]["sizes"] == [1, 1, 1, 1]  # max zoom: every event its own marker
    assert browser_page.problems == []


@pytest.mark.parametrize(("start", "end", "in_range"), [
    ("2024-01-01", "2024-03-31", 3), ("2023-12-20", "2023-12-31", 2),
    ("2030-01-01", "2030-12-31", 0),
])
def test_cluster_counts_follow_the_date_range(browser_page, tmp_path, incidents, start, end,
                                              in_range):
    page = open_map(browser_page, tmp_path, incidents)
    page.fill(".geomap-time-from", start)
    page.fill(".geomap-time-to", end)
    page.wait_for_function(f"() => ({VISIBLE})().total === {in_range}")
    levels = page.evaluate(LEVELS)["levels"]
    assert all(sum(level["sizes"]) == in_range for level in levels)
    assert sum(page.evaluate(LEGEND).values()) == in_range
    assert browser_page.problems == []


INTERNAL = ["ns", "Events", "Labels", "Clusterer", "EventMarker", "buildPopup", "draw",
            "borderLayers", "unpack", "el", "TimeControl", "LegendControl"]


def test_runtime_keeps_its_namespace_private(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    leaked = page.evaluate("(names) => names.filter((n) => n in window)", INTERNAL)
    assert leaked == []
    assert page.evaluate("() => typeof window.geomapInit") == "function"
    assert page.evaluate("() => Object.keys(window.geomap).sort()") == sorted([
        "borders", "cluster", "dateLabel", "events", "labels", "map", "markers", "state",
        "time", "timings", "visibleParent"])


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
    assert page.locator(".geomap-timeline").count() == 0
    assert browser_page.problems == []
