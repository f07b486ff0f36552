"""Helpers shared by the render and browser tests: the page wrapper, page reading, sample data.

Imported by ``tests/conftest.py`` and by the test modules (``from support import ...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: True once the runtime has drawn the initial view (see "Timings" in templates/start.js).
READY = "() => window.geomap && window.geomap.timings && window.geomap.timings.ready > 0"


@dataclass
class BrowserPage:
    """A Playwright page plus everything it reported.

    ``requests`` lists every request that left the page (anything but file:/data:/blob:),
    ``blocked`` those that were refused.
    """

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: Path) -> Any:
        """Open a local HTML file and wait until the geomap runtime has drawn the map."""
        self.page.goto(Path(path).resolve().as_uri())
        self.page.wait_for_function(READY)
        return self.page

    @property
    def problems(self) -> list[str]:
        """Every console error, uncaught exception and dialog seen so far."""
        return self.console_errors + self.page_errors + [f"dialog: {d}" for d in self.dialogs]


# --- reading a rendered page ----------------------------------------------------------------

DATA = re.compile(
    r'<script type="application/octet-stream" id="(geomap-data-[^"]+)" '
    r'data-encoding="deflate-raw\+base64">([A-Za-z0-9+/=]*)</script>'
)


def render_html(incidents: Any, tmp_path: Path, *, borders: Any = None, basemap: Any = None,
                **options: Any) -> str:
    """Build and save a map (``options`` are ``MapOptions`` fields) and return its HTML."""
    from geomap.map.page import MapOptions, build_map, save_map

    fmap = build_map(incidents, MapOptions(**options), borders=borders, basemap=basemap)
    return save_map(fmap, tmp_path / "map.html").read_text(encoding="utf-8")


def payload_of(html: str) -> dict:
    """The one packed data record of a page, unpacked."""
    from geomap.map.payload import unpack

    blocks = DATA.findall(html)
    assert len(blocks) == 1
    return unpack(blocks[0][1])


def decode(column: dict) -> list:
    """A dictionary-encoded text column of the payload as one value per event."""
    if "i" not in column:
        return list(column["v"])
    return [None if code < 0 else column["v"][code] for code in column["i"]]


# --- driving a map page in the browser tests -----------------------------------------------

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


SHOW_ALL = """() => new Promise((done) => {
    const button = document.querySelector(".geomap-outside-all");
    if (!button || !button.offsetParent) { done(false); return; }
    window.geomap.map.once("moveend", () => setTimeout(() => done(true), 50));
    setTimeout(() => done(false), 2000);
    button.click();
})"""


def show_all(page: Any) -> Any:
    """Press the page's "Show all" (the opening view frames most events, not far outliers
    such as the sample's two New York events) so that every event is in view; the page."""
    page.evaluate(SHOW_ALL)
    return page


def open_map(
    browser_page: BrowserPage, tmp_path: Path, incidents: Any, *, borders: Any = None,
    basemap: Any = None, everything: bool = True, **options: Any
) -> Any:
    """Build, save and open a map; ``options`` are :class:`MapOptions` fields; with
    ``everything`` every event is brought into view (:func:`show_all`)."""
    from geomap.map.page import MapOptions, build_map, save_map

    fmap = build_map(incidents, MapOptions(**options), borders=borders, basemap=basemap)
    page = browser_page.open(save_map(fmap, tmp_path / "map.html"))
    return show_all(page) if everything else page


def click_event(page: Any, event_id: str) -> dict:
    """Click an event where it is drawn (its marker, or the cluster icon standing for it)."""
    point = page.evaluate(MARKER_POINT, event_id)
    page.mouse.click(point["x"], point["y"])
    return point


def popup_text(page: Any) -> str:
    """The text of the open popup, once it is there."""
    page.wait_for_selector(".leaflet-popup-content .geomap-popup")
    return page.inner_text(".leaflet-popup-content")


def visible_total(page: Any) -> int:
    """Events drawn: single markers plus the counts of the drawn cluster icons."""
    return page.evaluate(VISIBLE)["total"]


# --- sample data for the render and browser tests (a fake of the incident contract) ---------

HOSTILE_NOTE = "<script>alert(1)</script></script>'\"`\\1"

_SAMPLE_COLUMNS = [
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "actor2", "country", "country_code", "admin1", "location", "geocoded_name", "latitude",
    "longitude", "geo_precision", "fatalities", "notes", "source", "source_url",
    "border_distance_km", "border_pair",
]
_SAMPLE_ROWS = [
    ("MLI1", "2023-12-05", 1, "Battles", "Armed clash", "JNIM", "Military Forces of Mali",
     "Mali", "ML", "Kidal", "Tin Zaouatine", "Tinzaouaten", 19.95, 2.95, 1, 12,
     "Clashes near the border.", "Reuters", "https://example.org/a", 12.3, "DZ-ML"),
    ("MLI2", "2023-12-01", 3, "Violence against civilians", "Attack", "Wagner Group",
     "Civilians (Mali)", "Mali", "ML", "Bamako", "Bamako", "Bamako", 12.65, -8.0, 1, 3,
     HOSTILE_NOTE, "Local source", "javascript:alert(1)", None, None),
    ("MLI3", "2024-01-10", 1, "Explosions/Remote violence", "Air/drone strike",
     "Military Forces of Mali", None, "Mali", "ML", "Kidal", "Kidal", "Kidal", 18.44, 1.41, 2,
     None, None, "ACLED", "http://example.com/k", 280.0, "DZ-ML"),
    ("MLI4", "2024-02-03", 1, "Protests", "Peaceful protest", "Protesters (Mali)", None, "Mali",
     "ML", "Bamako", "Bamako", "Bamako", 12.65, -8.0, 1, 0, "Protest in the capital.",
     "Le Monde", "https://lemonde.fr/x", None, None),
    ("MLI5", "2024-03-15", 1, "Riots", "Mob violence", "Rioters (Mali)", None, "Mali", "ML",
     "Gao", "Gao", "Gao", 16.27, -0.04, 1, 1, "", "AFP", None, 350.0, "ML-NE"),
    ("MLI6", "2023-01-01", 4, "Strategic developments", "Agreement", "Government of Mali",
     None, "Mali", "ML", "Tombouctou", "Timbuktu", "Tombouctou", 16.77, -3.0, 3, None,
     "Year-level event.", "ISS", "ftp://example.net/x", None, None),
    ("DZA1", "2024-04-20", 1, "Battles", "Armed clash", "Military Forces of Algeria", "AQIM",
     "Algeria", "DZ", "Tamanrasset", "Tamanrasset", "Tamanrasset", 22.79, 5.52, 1, 4,
     "Clash.", "El Watan", "https://elwatan.dz/1", 390.0, "DZ-NE"),
    ("DZA2", "2024-05-01", 1, "Protests", "Peaceful protest", "Protesters (Algeria)", None,
     "Algeria", "DZ", "Alger", "Algiers", "Algiers", 36.75, 3.06, 1, 0, "March.", "APS",
     "https://aps.dz/2", None, None),
    ("DZA3", "2024-05-20", 1, "Something new", None, None, None, "Algeria", "DZ", "Adrar",
     "Bordj Badji Mokhtar", "Bordj Badji Mokhtar", 21.33, 0.95, 2, None, None, None, None,
     8.0, "DZ-ML"),
    ("USA1", "2024-06-01", 1, "Protests", "Protest with intervention",
     "Protesters (United States)", "Police Forces of the United States", "United States", "US",
     "New York", "New York", "New York City", 40.71, -74.0, 1, 0, "Solidarity march.", "NYT",
     "https://nytimes.com/x", None, None),
    ("USA2", "2024-06-15", 1, None, None, None, None, "United States", "US", "New York",
     "Brooklyn", None, 40.65, -73.95, 2, None, None, None, None, None, None),
]


def make_incidents(rows: list[tuple] | None = None) -> Any:
    """Return a GeoDataFrame that follows the incident contract (11 events by default)."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame(rows if rows is not None else _SAMPLE_ROWS, columns=_SAMPLE_COLUMNS)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["fatalities"] = frame["fatalities"].astype("Int64")
    points = gpd.points_from_xy(frame["longitude"], frame["latitude"])
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def incidents_like(changes: list[dict[str, Any]]) -> Any:
    """One event per entry of ``changes``: sample row ``k % 11`` with those fields replaced."""
    rows = []
    for k, change in enumerate(changes):
        row = dict(zip(_SAMPLE_COLUMNS, _SAMPLE_ROWS[k % len(_SAMPLE_ROWS)], strict=True))
        row.update(change)
        rows.append(tuple(row[name] for name in _SAMPLE_COLUMNS))
    return make_incidents(rows)


@dataclass
class FakeBorders:
    """Duck-typed stand-in for ``geomap.borders.layers.BorderLayers``."""

    countries: Any
    lines: Any


def make_borders(names: tuple[str, str] = ("Mali", "Algeria")) -> FakeBorders:
    """Two box-shaped countries sharing one border line."""
    import geopandas as gpd
    from shapely.geometry import LineString, box

    countries = gpd.GeoDataFrame(
        {"iso_a2": ["ML", "DZ"], "name": list(names)},
        geometry=[box(-12, 10, 4, 20), box(-8, 20, 12, 37)],
        crs="EPSG:4326",
    )
    lines = gpd.GeoDataFrame(
        {"a": ["DZ"], "b": ["ML"], "name_a": [names[1]], "name_b": [names[0]],
         "length_km": [1359.4]},
        geometry=[LineString([(-8, 20), (4, 20)])],
        crs="EPSG:4326",
    )
    return FakeBorders(countries, lines)
