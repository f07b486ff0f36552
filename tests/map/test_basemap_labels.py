"""The readable basemap: admin-1 lines, lakes and place labels that appear with zoom and
never overlap (geomap/map/basemap.py, templates/labels.js), in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import pytest
import shapely
from support import incidents_like, open_map

from geomap.gazetteer.records import SettlementName
from geomap.map import basemap
from geomap.place import Place

# (name, lat, lon, feature code, population): Mopti, its neighbours and Bamako.
PLACES = [
    ("Bamako", 12.6391, -8.0029, "PPLC", 1_297_281),
    ("Mopti", 14.4843, -4.1830, "PPLA", 114_296),
    ("Sevare", 14.5317, -4.0952, "PPL", 32_000),
    ("Bandiagara", 14.3501, -3.6104, "PPL", 17_000),
    ("Djenne", 13.9061, -4.5533, "PPL", 32_944),
    ("Kouna", 14.0920, -3.9780, "PPL", 800),
    ("Toguere", 14.6300, -4.3200, "PPL", 600),
] + [(f"Hamlet {k}", 14.40 + k * 0.01, -4.20 + k * 0.013, "PPL", 700) for k in range(30)]
LABELS = ".geomap-place"
VISIBLE_LABELS = """() => Array.from(document.querySelectorAll('.geomap-place')).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
}).filter(b => b.right > 0 && b.bottom > 0 && b.left < innerWidth && b.top < innerHeight)"""


class FakeIndex:
    """Answers settlements_near with :data:`PLACES` in the box."""

    def settlements_near(self, lat: float, lon: float, radius_km: float, cc: Any) -> list:
        return [SettlementName(name.lower(), Place(f"t:{k}", name, "ML", la, lo, "P", code, pop))
                for k, (name, la, lo, code, pop) in enumerate(PLACES)]


@pytest.fixture
def labelled(monkeypatch: pytest.MonkeyPatch) -> None:
    import geomap.gazetteer.lookup as lookup

    monkeypatch.setattr(lookup, "default_gazetteer", lambda: SimpleNamespace(index=FakeIndex()))


def _events() -> Any:
    return incidents_like([
        {"location": "Bamako", "latitude": 12.6391, "longitude": -8.0029},
        {"location": "Mopti", "latitude": 14.4843, "longitude": -4.1830},
        {"location": "Ouro Fero", "latitude": 14.5600, "longitude": -3.9000},
    ])


def _world() -> Any:
    return gpd.GeoDataFrame({"iso_a2": ["ML"], "name": ["Mali"]},
                            geometry=[shapely.box(-12.5, 10.0, 4.5, 25.0)], crs="EPSG:4326")


def _open(browser_page: Any, tmp_path: Path) -> Any:
    page = open_map(browser_page, tmp_path, _events(), basemap=_world(), offline=True)
    page.wait_for_function("window.geomap && window.geomap.timings.ready")
    return page


def _view(page: Any, lat: float, lon: float, zoom: int) -> list[dict]:
    page.evaluate(f"geomap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    page.wait_for_timeout(300)
    return page.evaluate(VISIBLE_LABELS)


def _no_overlap(boxes: list[dict]) -> None:
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            apart = (a["right"] <= b["left"] or b["right"] <= a["left"]
                     or a["bottom"] <= b["top"] or b["bottom"] <= a["top"])
            assert apart, (a, b)


def test_labels_appear_with_zoom_and_never_overlap(
        labelled: None, browser_page: Any, tmp_path: Path) -> None:
    page = _open(browser_page, tmp_path)
    country_boxes = _view(page, 14.0, -5.0, 5)
    country = [b["text"] for b in country_boxes]
    assert "Bamako" in country and "Mopti" in country
    assert "Sevare" not in country and "Kouna" not in country and "Ouro Fero" not in country
    towns = _view(page, 14.4, -4.1, 8)
    assert {"Bandiagara", "Djenne"} <= {b["text"] for b in towns}  # Sevare yields to Mopti
    assert "Kouna" not in {b["text"] for b in towns}
    close = _view(page, 14.45, -4.1, 10)
    names = {b["text"] for b in close}
    assert {"Ouro Fero", "Toguere", "Sevare"} <= names  # an event's place, a village, a town
    assert len(names) < len(PLACES) + 1  # hamlets crowd each other: some are skipped
    for boxes in (country_boxes, towns, close):
        _no_overlap(boxes)
    assert not browser_page.page_errors and not browser_page.requests


def test_admin1_lines_and_a_lake_are_drawn(
        labelled: None, browser_page: Any, tmp_path: Path) -> None:
    page = _open(browser_page, tmp_path)
    _view(page, 15.3, -4.1, 8)  # Lake Debo, in the inner Niger delta
    assert page.evaluate("document.querySelectorAll('path.geomap-admin1').length") > 0
    assert page.evaluate("document.querySelectorAll('path.geomap-lake').length") > 0


def test_details_are_clipped_to_the_events(labelled: None) -> None:
    details = basemap.basemap_details(_events(), None)
    extent = basemap.map_extent(_events())
    for key in ("admin1", "lakes"):
        shapes = [shapely.geometry.shape(f["geometry"]) for f in details[key]["features"]]
        assert shapes and all(extent.buffer(0.01).covers(s) for s in shapes)
    places = details["places"]
    kinds = [places["kinds"][k]["key"] for k in places["kind"]]
    assert kinds[0] == "capital" and places["name"][0] == "Bamako"
    assert kinds == sorted(kinds, key=[k.key for k in basemap.LABEL_KINDS].index)
