"""The fuzzy-name index finds every indexed form within one edit, however it is built."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz.distance import OSA

from geomap.gazetteer import fuzzy
from geomap.gazetteer.fuzzy import MIN_FUZZY_LENGTH, FuzzyIndex
from geomap.gazetteer.index import Index, PlaceRecord

LETTERS = "abcdefghijklmnopqrstuvwxyz"
NAMES = [
    "Mogoro", "Tinzaouaten", "Tin Zawaten", "Boulkessi", "Djibo", "Tombouctou", "Kidal",
    "Gao", "Ber", "Aguelhok", "Anefis", "Tessalit", "Menaka", "Ménaka", "Ansongo",
]


def _random_name(rnd: random.Random) -> str:
    return "".join(rnd.choice(LETTERS + "  ") for _ in range(rnd.randint(2, 16))).strip()


def _make_index(path: Path, extra: int = 300) -> Index:
    rnd = random.Random(7)
    names = NAMES + [_random_name(rnd) or "x" for _ in range(extra)]
    index = Index(path / "gazetteer.sqlite")
    index.replace_source(
        "test",
        (PlaceRecord(str(i), name, 10.0 + i / 1000, 1.0, "ML") for i, name in enumerate(names)),
        kind="test",
    )
    return index


def _typos(forms: list[str], rnd: random.Random) -> list[str]:
    out = []
    for form in forms:
        i = rnd.randrange(len(form) + 1)
        out += [form[:i] + rnd.choice(LETTERS) + form[i:], form[:i] + form[i + 1:],
                form[:i] + rnd.choice(LETTERS) + form[i + 1:],
                form[:i] + form[i + 1:i + 2] + form[i:i + 1] + form[i + 2:]]
    return out


def _expected(probe: str, forms: list[str]) -> list[tuple[str, int]]:
    out = []
    for form in forms:
        edits = OSA.distance(probe, form)
        if edits == 0 or (edits == 1 and max(len(probe), len(form)) >= MIN_FUZZY_LENGTH):
            out.append((form, edits))
    return sorted(out)


def _forms_of(index: Index) -> list[str]:
    return [skel for chunk in index.skeleton_chunks(1000) for _, skel in chunk]


def test_vectorised_hashes_equal_the_query_hashes() -> None:
    rnd = random.Random(3)
    texts = ["", "a", "abcd", "abcde", "z" * 6000, "\x7f" * 300]
    texts += ["".join(rnd.choice(LETTERS + " '") for _ in range(rnd.randint(0, 40)))
              for _ in range(500)]
    rows = list(enumerate(texts))
    hashes, ids = fuzzy._chunk_forms(rows)
    assert hashes.tolist() == [h for text in texts for h in fuzzy._forms(text)]
    assert ids.tolist() == [i for i, text in rows for _ in fuzzy._forms(text)]


def test_neighbours_are_every_form_within_one_edit(tmp_path: Path) -> None:
    index = _make_index(tmp_path)
    fuzzy_index = FuzzyIndex(index)
    forms = _forms_of(index)
    assert {"mogoro", "tinzauaten", "tinzaouaten", "bulkesi", "boulkessi"} <= set(forms)
    for probe in _typos(forms, random.Random(11)) + ["mogroo", "tinzawaten", "gao", "x"]:
        assert sorted(fuzzy_index.neighbours(probe)) == _expected(probe, forms), probe


def test_stored_arrays_hold_each_forms_neighbourhood(tmp_path: Path) -> None:
    index = _make_index(tmp_path)
    fuzzy_index = FuzzyIndex(index)
    hashes, ids = np.asarray(fuzzy_index._hashes), np.asarray(fuzzy_index._ids)
    assert hashes.dtype == np.uint64 and ids.dtype == np.uint32
    assert np.all(hashes[1:] >= hashes[:-1])
    expected = Counter((h, sid) for chunk in index.skeleton_chunks(1000)
                       for sid, text in chunk for h in fuzzy._forms(text))
    assert Counter(zip(hashes.tolist(), ids.tolist(), strict=True)) == expected


def test_small_chunks_and_many_buckets_give_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = FuzzyIndex(_make_index(tmp_path / "a"))
    monkeypatch.setattr(fuzzy, "_CHUNK", 7)
    monkeypatch.setattr(fuzzy, "_BUCKET_FORMS", 3)
    small = FuzzyIndex(_make_index(tmp_path / "b"))
    assert np.array_equal(reference._hashes, small._hashes)
    forms = _forms_of(small.index)
    for probe in _typos(forms[:100], random.Random(5)):
        assert sorted(small.neighbours(probe)) == sorted(reference.neighbours(probe))
    assert not [p for p in (tmp_path / "b").iterdir() if "fuzzy" in p.name and p.is_dir()]


def test_keys_of_a_skeleton(tmp_path: Path) -> None:
    fuzzy_index = FuzzyIndex(_make_index(tmp_path))
    assert fuzzy_index.keys_of("tinzauaten") == ["tinzaouaten", "tinzawaten"]
    assert fuzzy_index.keys_of("tinzaouaten") == ["tinzaouaten"]
    assert fuzzy_index.keys_of("menaka") == ["menaka"]
    assert fuzzy_index.keys_of("nowhere") == []


def test_rebuilt_when_the_index_changes(tmp_path: Path) -> None:
    index = _make_index(tmp_path)
    FuzzyIndex(index)
    before = sorted(p.name for p in tmp_path.glob("*.fuzzy-*.npy"))
    assert len(before) == 2 and all(f".v{fuzzy.FORMAT}" in name for name in before)
    index.replace_source("more", [PlaceRecord("m", "Mogorou", 11.0, 1.0, "ML")], kind="test")
    rebuilt = FuzzyIndex(index)
    after = sorted(p.name for p in tmp_path.glob("*.fuzzy-*.npy"))
    assert len(after) == 2 and not set(before) & set(after)
    assert ("mogoru", 0) in rebuilt.neighbours("mogoru")
    assert rebuilt.keys_of("mogoru") == ["mogorou"]


def test_a_killed_builds_work_folder_is_removed_by_the_next_build(tmp_path: Path) -> None:
    import os

    index = _make_index(tmp_path)
    stale = tmp_path / ".gazetteer.fuzzy-stale"
    stale.mkdir()
    (stale / "bucket-00.bin").write_bytes(b"\0" * 64)
    os.utime(stale, (1, 1))  # untouched for decades
    fresh = tmp_path / ".gazetteer.fuzzy-running"
    fresh.mkdir()  # another process building right now
    FuzzyIndex(index)
    assert not stale.exists() and fresh.exists()
