"""Fuzzy name search: every indexed name within one edit of a query's form.

A delete-one neighbourhood index (the SymSpell idea): each form of a name, its compact
key and its skeleton (see :func:`geomap.normalize.skeleton`), is stored with the forms
made by deleting one of its letters; a typo hides in the compact key ("Mogroo" for
"Mogoro"), a transliteration difference in the skeleton. Two forms within one edit
(insertion, deletion, substitution or adjacent transposition) share at least one such
deleted form. The forms are kept as 64-bit
hashes in a sorted array saved next to the index (``numpy.save``) and memory-mapped,
so a query costs a dozen binary searches; the skeleton texts and their names live in
the SQLite index. The structure is built on the first fuzzy query after the index
changes (a few seconds for the default gazetteer).
"""

from __future__ import annotations

import logging
import zlib
from array import array

import numpy as np
from rapidfuzz.distance import OSA

from geomap.atomic import atomic_path
from geomap.index import Index
from geomap.normalize import skeleton_of_key

__all__ = ["FuzzyIndex", "MIN_FUZZY_LENGTH"]

log = logging.getLogger(__name__)

FORMAT = 3  # bump when what the structure holds changes
MIN_FUZZY_LENGTH = 5  # shorter skeletons only match a variant spelling, never an edit


def _hash(text: bytes) -> int:
    return (zlib.crc32(text) << 32) | zlib.adler32(text)


def _forms(skel: str) -> list[int]:
    raw = skel.encode()
    forms = [_hash(raw)]
    if len(raw) >= MIN_FUZZY_LENGTH:
        forms.extend(_hash(raw[:i] + raw[i + 1:]) for i in range(len(raw)))
    return forms


class FuzzyIndex:
    """Skeleton neighbourhood search over a gazetteer :class:`~geomap.index.Index`.

    Parameters
    ----------
    index : Index
        The gazetteer index; the fuzzy structure follows its generation counter.
    """

    def __init__(self, index: Index) -> None:
        self.index = index
        generation = f"{index.generation()}.v{FORMAT}"
        self._file = index.path.with_name(f"{index.path.stem}.fuzzy-{generation}.npy")
        self._ids_file = index.path.with_name(f"{index.path.stem}.fuzzy-{generation}-ids.npy")
        if not (self._file.exists() and self._ids_file.exists()) or not index.has_skeletons(
            generation
        ):
            self._build(generation)
        self._hashes = np.load(self._file, mmap_mode="r")
        self._ids = np.load(self._ids_file, mmap_mode="r")

    def _build(self, generation: str) -> None:
        log.warning("building the fuzzy-name index (first fuzzy query after a change)")
        skeletons: dict[str, int] = {}
        pairs: list[tuple[int, str]] = []
        for (ckey,) in self.index.conn.execute("SELECT DISTINCT ckey FROM names"):
            if len(ckey) < 3 or not ckey.isascii():
                continue
            for form in {skeleton_of_key(ckey), ckey}:  # typos hide in either
                sid = skeletons.setdefault(form, len(skeletons))
                pairs.append((sid, ckey))
        hashes = array("Q")  # compact buffers: millions of entries
        ids = array("Q")
        for skel, sid in skeletons.items():
            forms = _forms(skel)
            hashes.extend(forms)
            ids.extend([sid] * len(forms))
        keys = np.frombuffer(hashes, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        sorted_hashes = keys[order]
        sorted_ids = np.frombuffer(ids, dtype=np.uint64)[order].astype(np.uint32)
        del hashes, ids, keys, order
        self.index.store_skeletons(generation, skeletons.items(), pairs)
        stem = self.index.path.stem
        for old in self._file.parent.glob(f"{stem}.fuzzy-*.npy"):
            old.unlink(missing_ok=True)
        # Two contiguous arrays, memory-mapped when read: the ids first, so that the hash
        # file, whose presence marks a complete build, is written last.
        for path, array_ in ((self._ids_file, sorted_ids), (self._file, sorted_hashes)):
            with atomic_path(path) as tmp, tmp.open("wb") as fh:
                np.save(fh, array_)

    def neighbours(self, skel: str, *, max_edits: int = 1) -> list[tuple[str, int]]:
        """Return ``(skeleton, edits)`` for indexed skeletons within ``max_edits`` of ``skel``.

        Two forms both shorter than :data:`MIN_FUZZY_LENGTH` only match when equal.
        """
        ids: set[int] = set()
        for form in _forms(skel):
            value = np.uint64(form)
            lo = np.searchsorted(self._hashes, value, side="left")
            hi = np.searchsorted(self._hashes, value, side="right")
            ids.update(int(i) for i in self._ids[lo:hi])
        out = []
        for cand in self.index.skeleton_texts(ids):
            edits = OSA.distance(skel, cand, score_cutoff=max_edits)
            if edits <= max_edits and (
                edits == 0 or max(len(skel), len(cand)) >= MIN_FUZZY_LENGTH
            ):
                out.append((cand, edits))
        return out

    def keys_of(self, skel: str) -> list[str]:
        """Return the compact keys whose skeleton is ``skel``."""
        return self.index.keys_of_skeleton(skel)
