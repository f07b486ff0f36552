"""The gazetteer index on its own: sources, named records, the settlement box, fingerprints,
the schema version. The only tests that may read the SQLite file directly."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from geomap.errors import GazetteerError
from geomap.gazetteer.index import SCHEMA_VERSION, Index
from geomap.gazetteer.records import (
    FeatureCount,
    NameRecord,
    PlaceRecord,
    SettlementName,
    SourceInfo,
)
from geomap.place import Place

# Invented places, realistic positions.
TOWN = PlaceRecord("t:1", "Tin Zaouatine", 19.95, 2.97, "ML", "P", "PPLA2", 5000, "ML.10",
                   "ML.10.01", ("Ti-n-Zaouâtene", "TNZ", "Tin Zaouatine"))
VILLAGE = PlaceRecord("t:2", "Inabag", 19.90, 3.05, "ML")
FAR = PlaceRecord("t:3", "Inabag", 12.00, -8.00, "ML", population=700)
AREA = PlaceRecord("t:4", "Inabag", 19.91, 3.02, "ML", "A", "ADM3")
ABROAD = PlaceRecord("t:5", "Timiaouine", 20.45, 1.80, "DZ")


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    idx = Index(tmp_path / "index.sqlite")
    idx.replace_source("mine", [TOWN, VILLAGE, FAR, AREA, ABROAD], kind="csv", path="mine.csv",
                       fingerprint="fp-1", priority=3, admin_names=[("ML.10", "Kidal Region")])
    yield idx
    idx.close()


def _rows(path: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


# -- named records ---------------------------------------------------------------------
def test_candidates_are_named_records_with_their_place(index: Index) -> None:
    records = index.candidates("tinzaouatene")
    assert records == [NameRecord("ti n zaouatene", False, Place(
        "t:1", "Tin Zaouatine", "ML", 19.95, 2.97, "P", "PPLA2", 5000, "ML.10", "ML.10.01",
        "mine"), 3)]
    (primary,) = index.candidates("tinzaouatine")
    assert primary.is_primary is True and primary.key == "tin zaouatine"
    assert index.candidates("nowhere") == []


def test_codes_and_repeated_keys_are_not_indexed(index: Index) -> None:
    # "TNZ" is an airport-style code; the repeated preferred name is indexed once.
    assert index.candidates("tnz") == []
    assert len(index.candidates("tinzaouatine")) == 1


def test_feature_classes_are_named_and_still_unpack(index: Index) -> None:
    kinds = sorted(index.feature_classes("inabag"))
    assert kinds == [FeatureCount("A", "ADM3", 0), FeatureCount("P", "PPL", 700)]
    assert kinds[1].population == 700
    (fclass, fcode, population) = kinds[0]
    assert (fclass, fcode, population) == ("A", "ADM3", 0)


def test_names_of_admin_codes_and_countries(index: Index) -> None:
    assert index.admin_name("ML.10") == "Kidal Region"
    assert index.admin_name("ML.99") is None
    assert index.country_name("ML") is None  # no PCL entry in this source
    index.replace_source("countries", [PlaceRecord("c:ML", "Mali", 17.0, -4.0, "ML", "A",
                                                   "PCLI")], kind="default")
    assert index.country_name("ML") == "Mali"


# -- the settlement box ----------------------------------------------------------------
def test_settlements_near_gives_each_name_of_the_populated_places_in_the_box(
        index: Index) -> None:
    near = index.settlements_near(19.95, 2.97, 20.0, "ML")
    assert all(isinstance(s, SettlementName) for s in near)
    assert sorted((s.ckey, s.place.id) for s in near) == [
        ("inabag", "t:2"), ("tinzaouatene", "t:1"), ("tinzaouatine", "t:1")]
    # Not the area (class A), not the namesake 1,000 km away, not another country's town.
    assert {s.place.id for s in index.settlements_near(19.95, 2.97, 200.0, None)} == {
        "t:1", "t:2", "t:5"}


def test_count_settlements_near_counts_places_within_the_true_distance(index: Index) -> None:
    assert index.count_settlements_near(19.95, 2.97, 20.0, "ML") == 2
    assert index.count_settlements_near(19.95, 2.97, 5.0, "ML") == 1
    assert index.count_settlements_near(19.95, 2.97, 20.0, "DZ") == 0


# -- sources ---------------------------------------------------------------------------
def test_sources_and_fingerprints(index: Index) -> None:
    (info,) = index.sources()
    assert isinstance(info, SourceInfo)
    assert (info.name, info.kind, info.path, info.count, info.fingerprint) == (
        "mine", "csv", "mine.csv", 5, "fp-1")
    assert info.imported_at and info.modified == ""
    assert index.fingerprint("mine") == "fp-1" and index.fingerprint("other") is None
    # a dump's date is known once its records are read: a function, called after them
    index.replace_source("mine", [VILLAGE], kind="csv", modified=lambda: "2023-10-22")
    assert index.sources()[0].modified == "2023-10-22"


def test_sources_are_listed_highest_priority_first(index: Index) -> None:
    index.replace_source("base", [VILLAGE], kind="default", priority=0)
    index.replace_source("zz-top", [VILLAGE], kind="csv", priority=9)
    assert [s.name for s in index.sources()] == ["zz-top", "mine", "base"]


def test_a_source_is_replaced_not_doubled(index: Index) -> None:
    generation = index.generation()
    count = index.replace_source("mine", [VILLAGE], kind="csv", fingerprint="fp-2")
    assert count == 1 and index.place_count() == 1
    assert index.fingerprint("mine") == "fp-2"
    assert index.candidates("tinzaouatine") == [] and index.admin_name("ML.10") is None
    assert index.generation() == generation + 1


def test_a_failed_replacement_leaves_the_index_as_it_was(index: Index) -> None:
    generation = index.generation()

    def broken() -> Iterator[PlaceRecord]:
        yield VILLAGE
        raise ValueError("row 2 is bad")

    with pytest.raises(ValueError, match="row 2"):
        index.replace_source("mine", broken(), kind="csv", fingerprint="fp-2")
    assert index.place_count() == 5 and index.fingerprint("mine") == "fp-1"
    assert len(index.candidates("tinzaouatine")) == 1
    assert index.generation() == generation


def test_removal_drops_places_names_and_admin_names(index: Index) -> None:
    index.replace_source("other", [ABROAD], kind="csv")
    generation = index.generation()
    assert index.remove_source("mine") is True
    assert index.generation() == generation + 1
    assert [s.name for s in index.sources()] == ["other"]
    assert index.place_count() == 1 and index.candidates("inabag") == []
    assert index.admin_name("ML.10") is None
    assert index.remove_source("mine") is False
    assert index.generation() == generation + 1
    assert _rows(index.path, "SELECT COUNT(*) FROM names") == [(1,)]


def test_whole_index_views(index: Index) -> None:
    assert [p.id for p in index.places_of("mine")] == ["t:1", "t:2", "t:3", "t:4", "t:5"]
    assert list(index.places_of("nothing")) == []
    assert sorted(index.place_names()) == ["Inabag"] * 3 + ["Timiaouine", "Tin Zaouatine"]
    assert list(index.compact_keys()) == ["inabag", "timiaouine", "tinzaouatene",
                                          "tinzaouatine"]


def test_copy_to_writes_a_whole_index(index: Index, tmp_path: Path) -> None:
    index.copy_to(tmp_path / "copy.sqlite")
    copy = Index(tmp_path / "copy.sqlite")
    assert copy.sources() == index.sources() and copy.place_count() == 5
    copy.close()


# -- skeleton tables -------------------------------------------------------------------
def test_skeletons_are_numbered_in_order_of_first_appearance(index: Index) -> None:
    pairs = [("inabag", "inabag"), ("tinzauatin", "tinzaouatine"),
             ("inabag", "inabagg"), ("tinzauatin", "tinzaouatene")]
    index.store_skeletons("7.v4", pairs)
    assert index.has_skeletons("7.v4") and not index.has_skeletons("8.v4")
    assert index.skeleton_count() == 2
    assert [row for chunk in index.skeleton_chunks(1) for row in chunk] == [
        (0, "inabag"), (1, "tinzauatin")]
    assert index.skeleton_texts([1]) == ["tinzauatin"] and index.skeleton_texts([]) == []
    assert index.keys_of_skeleton("tinzauatin") == ["tinzaouatine", "tinzaouatene"]
    assert index.keys_of_skeleton("inabag") == ["inabag", "inabagg"]


# -- the schema ------------------------------------------------------------------------
def test_an_index_of_another_schema_version_is_rebuilt(index: Index) -> None:
    path = index.path
    assert index.schema_version() == SCHEMA_VERSION
    index.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value='0' WHERE key='schema'")
    conn.commit()
    conn.close()
    again = Index(path)
    assert again.schema_version() == SCHEMA_VERSION
    assert again.sources() == [] and again.place_count() == 0
    again.close()


def test_an_index_of_the_same_version_is_kept(index: Index) -> None:
    path = index.path
    index.close()
    again = Index(path)
    assert [s.name for s in again.sources()] == ["mine"] and again.place_count() == 5
    again.close()


def test_a_file_that_is_no_index_raises_a_gazetteer_error(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerError, match="cannot open the gazetteer index"):
        Index(path)
