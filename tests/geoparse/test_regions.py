"""Tests for geomap.geoparse.regions and its parts: country points, the data-only cache."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from geomap.geodesy import great_circle_km
from geomap.geoparse import regions
from geomap.geoparse.country_points import FAR_APART_KM, country_point
from geomap.geoparse.demonyms import read_countryinfo
from geomap.geoparse.regions import CACHE_FILE, Regions, default_regions, regions_versions
from geomap.geoparse.regions_cache import read_regions_cache, write_regions_cache
from geomap.place import Place


def test_country_point_midpoint_unless_the_conventions_are_far_apart():
    # close conventions: the midpoint, within half their disagreement of each
    near = country_point((38.0, -97.0), (39.87, -98.83))
    assert float(great_circle_km(*near, 38.0, -97.0)) < 150
    assert float(great_circle_km(*near, 39.87, -98.83)) < 150
    # far apart (a country spanning a continent): the Factbook point
    assert country_point((60.0, 100.0), (65.55, 94.97)) == (60.0, 100.0)
    # the table applies the rule: each point is the Factbook point or lies within half
    # the threshold of it
    _, factbook = read_countryinfo()
    points = default_regions().country_points
    assert len(points) > 200
    assert all(points[c] == factbook[c]
               or float(great_circle_km(*points[c], *factbook[c])) <= FAR_APART_KM / 2 + 1
               for c in factbook)


def _tables(r: Regions) -> dict:
    return {f.name: getattr(r, f.name) for f in dataclasses.fields(r)}


def _fields(place: Place) -> tuple:
    return tuple((name, type(value), value) for name, value in
                 ((f.name, getattr(place, f.name)) for f in dataclasses.fields(place)))


def test_the_cache_gives_back_exactly_the_table(tmp_path):
    table = default_regions()
    path = tmp_path / "regions.json"
    write_regions_cache(path, ["v"], _tables(table))
    got = Regions(**read_regions_cache(path, ["v"]))
    assert got == table
    # same keys in the same order, same floats, same types (tuples where the code has them)
    for name in ("places", "abbreviations"):
        mine, theirs = getattr(got, name), getattr(table, name)
        assert list(mine) == list(theirs)
        assert all(type(v) is tuple for v in mine.values())
        assert all(_fields(a) == _fields(b) for key in theirs
                   for a, b in zip(mine[key], theirs[key], strict=True))
    assert all(type(p) is tuple and p == table.country_points[c]
               for c, p in got.country_points.items())


def test_the_cache_is_data_not_a_pickle():
    default_regions()
    path = regions.home_dir() / CACHE_FILE
    data = path.read_bytes()
    assert not data.startswith(b"\x80")  # no pickle protocol header
    doc = json.loads(data.decode("utf-8"))
    assert doc["versions"] == regions_versions()
    assert doc["place_fields"] == [f.name for f in dataclasses.fields(Place)]
    # numbers are plain JSON numbers: numpy reads the columns with pickles refused
    lat = np.asarray(doc["places"]["lat"], dtype=float)
    assert lat.dtype == float and np.all(np.abs(lat) <= 90)


_TINY = Regions(
    {"kidal": (Place("geonames:1", "Kidal", "ML", 18.44, 1.41, "A", "ADM1", 67_000,
                     "ML.10"),)},
    {"malian": "ML"}, {"ML": (17.57, -3.99)}, {})


@pytest.fixture
def tiny_home(tmp_path, monkeypatch):
    """A home of its own, and a build that returns a tiny table instead of the real one."""
    monkeypatch.setenv("GEOMAP_HOME", str(tmp_path))
    builds = []
    monkeypatch.setattr(regions, "build_regions", lambda: builds.append(1) or _TINY)
    regions.default_regions.cache_clear()
    yield tmp_path, builds
    regions.default_regions.cache_clear()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "not an object", "bad place",
                                    "legacy pickle"])
def test_a_damaged_cache_is_rebuilt(tiny_home, damage):
    home, builds = tiny_home
    path = home / CACHE_FILE
    write_regions_cache(path, regions_versions(), _tables(_TINY))
    text = path.read_text(encoding="utf-8")
    if damage == "truncate":
        path.write_text(text[:len(text) // 2], encoding="utf-8")
    elif damage == "garbage":
        path.write_bytes(b"\x80\x05\x95 not json \xff")
    elif damage == "not an object":
        path.write_text("[1, 2, 3]", encoding="utf-8")
    elif damage == "bad place":
        doc = json.loads(text)
        doc["places"]["lat"] = ["north"]
        path.write_text(json.dumps(doc), encoding="utf-8")
    else:
        path.unlink()
        (home / "geoparse_regions.pickle").write_bytes(b"\x80\x05 never read")
    assert regions.default_regions() == _TINY
    assert builds == [1]
    # the rebuilt file is whole again, and read without a new build
    assert read_regions_cache(path, regions_versions()) == _tables(_TINY)
    assert not (home / "geoparse_regions.pickle").exists()
    regions.default_regions.cache_clear()
    assert regions.default_regions() == _TINY and builds == [1]


def test_a_cache_for_other_versions_is_rebuilt(tiny_home):
    home, builds = tiny_home
    path = home / CACHE_FILE
    write_regions_cache(path, ["an older schema"], _tables(_TINY))
    assert read_regions_cache(path, regions_versions()) is None
    assert regions.default_regions() == _TINY and builds == [1]
    assert json.loads(path.read_text(encoding="utf-8"))["versions"] == regions_versions()


def test_a_missing_cache_reads_as_none(tmp_path):
    assert read_regions_cache(tmp_path / "none.json", ["v"]) is None
