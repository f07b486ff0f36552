"""Browser tests of the map's controls: the legend that filters types, the folded layer
control, and the timeline under the map (histogram, brush, play, ISO date boxes, warnings).

Every count the page shows is checked against a count made here, in pandas, from the
events' periods (``geomap.incidents.dates.period_bounds``) and the range the page shows.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from support import LEGEND, VISIBLE, incidents_like, open_map

from geomap.incidents.dates import period_bounds

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOTAL = ".geomap-legend-total"
WARNING = ".geomap-time-warning"
CHART = ".geomap-timeline-chart"
BARS = """() => [...document.querySelectorAll(".geomap-timeline-bar-rect")]
    .reduce((n, r) => n + Number(r.dataset.value), 0)"""


def legend_button(page, group):
    return page.locator(f".geomap-legend li[data-group='{group}'] button")


def shown_range(page):
    return page.input_value(".geomap-time-from"), page.input_value(".geomap-time-to")


def expected_in_range(frame, start, end):
    """Events whose period overlaps [start, end] (ISO days); undated events never do."""
    starts, ends = period_bounds(frame["event_date"], frame["time_precision"])
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    return int(((starts <= hi) & (ends >= lo)).sum())


def wait_total(page, n):
    page.wait_for_function(f"() => ({VISIBLE})().total === {n}")


def drag(page, x0, x1, steps=8):
    box = page.locator(CHART).bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + x0 * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + x1 * box["width"], y, steps=steps)
    page.mouse.up()


# --------------------------------------------------------------------------- legend


def test_legend_click_hides_and_shows_a_type(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    assert page.inner_text(TOTAL) == "11 of 11 events shown"
    legend_button(page, "protests").click()
    wait_total(page, 8)  # single markers and cluster totals
    assert page.inner_text(TOTAL) == "8 of 11 events shown"
    row = page.locator(".geomap-legend li[data-group='protests']")
    assert "geomap-off" in row.get_attribute("class")
    assert legend_button(page, "protests").get_attribute("aria-pressed") == "false"
    assert page.evaluate(LEGEND)["protests"] == 3  # its count in the range, shown struck
    assert page.evaluate(BARS) == 8  # the histogram follows the toggles too
    legend_button(page, "battles").click()
    wait_total(page, 6)
    assert page.inner_text(TOTAL) == "6 of 11 events shown"
    legend_button(page, "protests").click()
    legend_button(page, "battles").click()
    wait_total(page, 11)
    assert page.inner_text(TOTAL) == "11 of 11 events shown"
    assert browser_page.problems == []


def test_legend_and_date_range_combine(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    page.fill(".geomap-time-from", "2024-01-01")
    page.fill(".geomap-time-to", "2024-03-31")
    wait_total(page, 3)
    legend_button(page, "riots").click()
    wait_total(page, 2)
    assert page.inner_text(TOTAL) == "2 of 11 events shown"
    assert page.evaluate(LEGEND)["riots"] == 1
    assert browser_page.problems == []


def test_legend_folds_and_starts_folded_on_a_small_map(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    assert page.locator(".geomap-legend ul").is_visible()
    page.click(".geomap-legend-title")
    assert not page.locator(".geomap-legend ul").is_visible()
    assert page.locator(TOTAL).is_visible()  # the total stays
    page.click(".geomap-legend-title")
    assert page.locator(".geomap-legend ul").is_visible()
    page.set_viewport_size({"width": 560, "height": 420})
    page.reload()
    page.wait_for_function("() => window.geomap.timings.ready > 0")
    assert not page.locator(".geomap-legend ul").is_visible()
    assert browser_page.problems == []


def test_layer_control_is_folded_and_holds_only_the_basemap(browser_page, tmp_path, incidents,
                                                           borders):
    page = open_map(browser_page, tmp_path, incidents, borders=borders)
    control = page.locator(".leaflet-control-layers")
    assert control.count() == 1
    assert "leaflet-control-layers-expanded" not in control.get_attribute("class")
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert not any("Protests" in text or "Battles" in text for text in labels)
    assert any("Shared borders" in text for text in labels)
    control.hover()
    assert "leaflet-control-layers-expanded" in control.get_attribute("class")
    before = page.locator("path.leaflet-interactive").count()
    page.locator(".leaflet-control-layers-overlays label", has_text="Shared").locator(
        "input").uncheck()
    assert page.locator("path.leaflet-interactive").count() == before - 1
    assert browser_page.problems == []


def test_controls_leave_most_of_a_small_map_free(browser_page, tmp_path, incidents, borders):
    browser_page.page.set_viewport_size({"width": 800, "height": 600})
    page = open_map(browser_page, tmp_path, incidents, borders=borders)
    covered = page.evaluate(
        """() => {
            const map = window.geomap.map.getContainer().getBoundingClientRect();
            const boxes = [...document.querySelectorAll(
                ".leaflet-control-layers, .geomap-legend, .leaflet-control-zoom")];
            const area = boxes.reduce((n, b) => {
                const r = b.getBoundingClientRect(); return n + r.width * r.height; }, 0);
            return area / (map.width * map.height);
        }"""
    )
    assert covered < 0.15
    assert browser_page.problems == []


# --------------------------------------------------------------------------- timeline


def test_timeline_bins_follow_the_span(browser_page, tmp_path):
    cases = [(["2024-03-01", "2024-03-20"], "day"), (["2024-01-03", "2024-11-20"], "week"),
             (["2019-01-03", "2024-11-20"], "month")]
    for dates, unit in cases:
        frame = incidents_like([{"event_date": d, "time_precision": 1} for d in dates])
        page = open_map(browser_page, tmp_path, frame)
        assert f"events per {unit}" in page.inner_text(".geomap-timeline-caption")
        assert page.evaluate(BARS) == len(dates)
    assert browser_page.problems == []


def test_timeline_shows_fatalities(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    assert page.evaluate(BARS) == 11
    page.click(".geomap-series")
    assert "fatalities per week" in page.inner_text(".geomap-timeline-caption")
    assert page.evaluate(BARS) == int(incidents["fatalities"].fillna(0).sum())
    assert browser_page.problems == []


def test_brush_drag_filters_the_map(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    drag(page, 0.55, 0.85)  # draw a new range
    start, end = shown_range(page)
    assert ISO.match(start) and ISO.match(end) and start < end
    n = expected_in_range(incidents, start, end)
    assert 0 < n < 11
    wait_total(page, n)
    assert page.inner_text(TOTAL) == f"{n} of 11 events shown"
    assert sum(page.evaluate(LEGEND).values()) == n
    labels = page.locator(".geomap-brush-label").all_text_contents()
    assert labels == [start, end]

    drag(page, 0.7, 0.5)  # the middle: the window moves, its width stays
    moved = shown_range(page)
    assert moved[0] < start
    width = pd.Timestamp(end) - pd.Timestamp(start)
    assert pd.Timestamp(moved[1]) - pd.Timestamp(moved[0]) == width
    wait_total(page, expected_in_range(incidents, *moved))

    box = page.locator(".geomap-brush-east").bounding_box()  # a handle: one end moves
    chart = page.locator(CHART).bounding_box()
    drag(page, (box["x"] + box["width"] / 2 - chart["x"]) / chart["width"], 0.98)
    stretched = shown_range(page)
    assert stretched[0] == moved[0] and stretched[1] > moved[1]
    wait_total(page, expected_in_range(incidents, *stretched))
    assert browser_page.problems == []


def test_play_steps_a_window_through_time(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    page.click(".geomap-play")
    assert "Pause" in page.inner_text(".geomap-play")
    first = shown_range(page)
    assert first[0] == "2023-01-01" and first[1] < "2023-02-01"
    seen = {first}
    for _ in range(3):
        page.wait_for_function("(r) => document.querySelector('.geomap-time-from').value !== r",
                               arg=max(seen)[0])
        seen.add(shown_range(page))
    page.click(".geomap-play")  # pause
    assert "Play" in page.inner_text(".geomap-play")
    now = shown_range(page)
    assert now[0] > first[0]
    wait_total(page, expected_in_range(incidents, *now))
    page.wait_for_timeout(900)
    assert shown_range(page) == now  # paused
    assert browser_page.problems == []


def test_play_reaches_the_end_and_changes_what_is_shown(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    page.fill(".geomap-time-from", "2024-04-01")
    page.fill(".geomap-time-to", "2024-05-15")
    wait_total(page, expected_in_range(incidents, "2024-04-01", "2024-05-15"))
    page.click(".geomap-play")
    page.wait_for_function("() => document.querySelector('.geomap-time-to').value === "
                           "'2024-06-15'", timeout=15000)
    page.wait_for_function("() => document.querySelector('.geomap-play').textContent"
                           ".includes('Play')", timeout=5000)
    wait_total(page, expected_in_range(incidents, *shown_range(page)))
    assert browser_page.problems == []


# --------------------------------------------------------------------------- date boxes


def test_inverted_range_warns_and_keeps_the_map(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    assert not page.locator(WARNING).is_visible()
    page.fill(".geomap-time-from", "2024-05-01")
    wait_total(page, expected_in_range(incidents, "2024-05-01", "2024-06-15"))
    page.fill(".geomap-time-to", "2024-01-01")
    assert page.locator(WARNING).is_visible()
    text = page.inner_text(WARNING)
    assert "is after" in text and "2024-05-01" in text
    assert "geomap-invalid" in page.get_attribute(".geomap-time-to", "class")
    wait_total(page, 4)  # not a silent zero: the last valid range stays
    page.fill(".geomap-time-to", "2024-06-01")
    assert not page.locator(WARNING).is_visible()
    wait_total(page, expected_in_range(incidents, "2024-05-01", "2024-06-01"))
    assert browser_page.problems == []


@pytest.mark.parametrize("typed", ["06/15/2024", "2024-02-30", "yesterday"])
def test_a_date_not_in_iso_form_warns(browser_page, tmp_path, incidents, typed):
    page = open_map(browser_page, tmp_path, incidents)
    page.fill(".geomap-time-from", typed)
    page.press(".geomap-time-from", "Tab")
    assert "YYYY-MM-DD" in page.inner_text(WARNING)
    wait_total(page, 11)
    page.click(".geomap-time-reset")
    assert not page.locator(WARNING).is_visible()
    assert shown_range(page) == ("2023-01-01", "2024-06-15")
    assert browser_page.problems == []


def test_every_date_shown_is_an_iso_day(browser_page, tmp_path, incidents):
    page = open_map(browser_page, tmp_path, incidents)
    page.evaluate("() => { document.documentElement.lang = 'en-US'; }")
    types = page.evaluate(
        "() => [...document.querySelectorAll('.geomap-timeline input')].map((i) => i.type)")
    assert types == ["text", "text"]
    drag(page, 0.3, 0.6)
    text = page.inner_text(".geomap-timeline") + " " + " ".join(shown_range(page))
    dates = re.findall(r"\d[\d/.\-]+\d", text)
    assert dates and all(ISO.match(d) for d in dates), dates
    assert browser_page.problems == []


def test_the_timeline_stays_inside_the_window_with_a_warning(browser_page, tmp_path, incidents):
    browser_page.page.set_viewport_size({"width": 800, "height": 600})
    page = open_map(browser_page, tmp_path, incidents)
    page.fill(".geomap-time-to", "2022-01-01")
    assert page.locator(WARNING).is_visible()
    bottom = page.evaluate(
        "() => document.querySelector('.geomap-timeline').getBoundingClientRect().bottom")
    assert bottom <= 600
    assert browser_page.problems == []
