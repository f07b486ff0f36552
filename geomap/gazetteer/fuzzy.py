"""Fuzzy name search: every indexed name within one edit of a query's form.

A delete-one neighbourhood index (the SymSpell idea): each form of a name, its compact
key and its skeleton (see :func:`geomap.gazetteer.normalize.skeleton`), is stored with the forms
made by deleting one of its letters; a typo hides in the compact key ("Mogroo" for
"Mogoro"), a transliteration difference in the skeleton. Two forms within one edit
(insertion, deletion, substitution or adjacent transposition) share at least one such
deleted form. The forms are kept as 64-bit hashes in a sorted array saved next to the
index (``.npy``) and memory-mapped, so a query costs two vectorised binary searches; the
skeleton texts and their names live in the SQLite index.

The structure is built with the index, in the same step (:func:`build_fuzzy`, called by
:mod:`geomap.gazetteer.build` when the embedded default is loaded and after each import or
removal); a lookup only opens it, and builds it itself (saying so) only when it is missing
or of an older generation of the index. It is built in bounded memory: SQLite numbers the
forms (streamed into a temporary table), numpy hashes their deletions a chunk of forms at
a time and spills them to bucket files by the hash's top bits, and each bucket is sorted
on its own and appended to the output. For the default gazetteer (~905k forms, ~9.9M
hashes, 118 MB of arrays) that takes about 7 s (10 s on two busy cores) and peaks at 94 MB
RSS in a process that has just built the index, which stood at 79 MB before (holding the
forms in Python dicts and lists took 11 s and 660 MB).

The arrays are plain ``.npy`` files of unsigned integers, read memory-mapped with
``allow_pickle=False`` once their headers and sizes are checked
(:func:`geomap.gazetteer.integrity.npy_problem`): a truncated, damaged or foreign file
(a pickle of objects) is never read, and is rebuilt with a warning (:func:`fuzzy_problem`).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
from rapidfuzz.distance import OSA

from geomap.atomic import atomic_path
from geomap.errors import DiskFullError
from geomap.gazetteer.index import Index
from geomap.gazetteer.integrity import is_disk_full, npy_problem
from geomap.gazetteer.normalize import skeleton_of_key
from geomap.gazetteer.progress import Progress

__all__ = ["FuzzyIndex", "MIN_FUZZY_LENGTH", "MIN_KEY_LENGTH", "FORMAT", "build_fuzzy",
           "fuzzy_files", "fuzzy_problem", "damaged_fuzzy_notice", "is_current"]

log = logging.getLogger(__name__)

FORMAT = 4  # bump when what the structure holds changes
MIN_FUZZY_LENGTH = 5  # shorter skeletons only match a variant spelling, never an edit
MIN_KEY_LENGTH = 3  # shorter compact keys (and non-Latin ones) are never fuzzy matched

_CHUNK = 10_000  # forms hashed at a time while building (~6 MB of arrays)
_BUCKET_FORMS = 25_000  # at most ~this many forms' hashes per bucket (~3 MB, sorted at once)
_MAX_BUCKET_BITS = 8
_RECORD = np.dtype([("hash", "<u8"), ("id", "<u4")])
_ADLER_BASE = 65521


def _hash(text: bytes) -> int:
    return (zlib.crc32(text) << 32) | zlib.adler32(text)


def _forms(skel: str) -> list[int]:
    raw = skel.encode()
    forms = [_hash(raw)]
    if len(raw) >= MIN_FUZZY_LENGTH:
        forms.extend(_hash(raw[:i] + raw[i + 1:]) for i in range(len(raw)))
    return forms


def _crc_table() -> np.ndarray:
    """Return the byte table of zlib's CRC-32 (reflected polynomial 0xEDB88320)."""
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(0xEDB88320), table >> 1)
    return table


_CRC_TABLE = _crc_table()


def _hash_rows(rows: np.ndarray) -> np.ndarray:
    """Return :func:`_hash` of each row of an ``(n, width)`` uint8 matrix, vectorised."""
    crc = np.full(len(rows), 0xFFFFFFFF, dtype=np.uint32)
    low = np.ones(len(rows), dtype=np.uint64)  # Adler-32's two sums
    high = np.zeros(len(rows), dtype=np.uint64)
    for column in np.ascontiguousarray(rows.T):
        crc = _CRC_TABLE[(crc ^ column) & 0xFF] ^ (crc >> 8)
        low += column
        high += low
    adler = ((high % _ADLER_BASE) << 16) | (low % _ADLER_BASE)
    return ((crc ^ np.uint32(0xFFFFFFFF)).astype(np.uint64) << 32) | adler


def _deletions(length: int) -> np.ndarray:
    """Return the ``(length, length - 1)`` column indices left by deleting each letter."""
    kept = np.arange(length - 1)
    return kept[None, :] + (kept[None, :] >= np.arange(length)[:, None])


def _neighbourhood(letters: np.ndarray) -> np.ndarray:
    """Return :func:`_forms` of each row of an ``(n, length)`` letter matrix, as rows."""
    count, length = letters.shape
    full = _hash_rows(letters)[:, None]
    if length < MIN_FUZZY_LENGTH:
        return full
    deleted = letters[:, _deletions(length)].reshape(count * length, length - 1)
    return np.hstack([full, _hash_rows(deleted).reshape(count, length)])


def _chunk_forms(rows: list[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Return the hashes of :func:`_forms` of each ``(id, form)`` row, and their ids.

    The hashes come in the order of the rows, each row's in :func:`_forms` order; rows
    of one length are hashed together.
    """
    raw = [text.encode() for _, text in rows]
    lengths = np.fromiter(map(len, raw), dtype=np.intp, count=len(raw))
    data = np.frombuffer(b"".join(raw), dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    counts = np.where(lengths >= MIN_FUZZY_LENGTH, lengths + 1, 1)
    offsets = np.cumsum(counts) - counts
    hashes = np.empty(int(counts.sum()), dtype=np.uint64)
    for length in np.unique(lengths).tolist():
        members = np.flatnonzero(lengths == length)
        letters = data[starts[members, None] + np.arange(length)]
        slots = offsets[members, None] + np.arange(counts[members[0]])
        hashes[slots] = _neighbourhood(letters)
    ids = np.fromiter((sid for sid, _ in rows), dtype=np.uint32, count=len(rows))
    return hashes, np.repeat(ids, counts)


def _form_pairs(index: Index) -> Iterator[tuple[str, str]]:
    """Yield ``(form, ckey)`` for each compact key worth fuzzy matching, in key order."""
    for ckey in index.compact_keys():
        if len(ckey) < MIN_KEY_LENGTH or not ckey.isascii():
            continue
        skel = skeleton_of_key(ckey)
        yield skel, ckey  # typos hide in either form
        if ckey != skel:
            yield ckey, ckey


def _write_npy_header(fh: BinaryIO, dtype: str, count: int) -> None:
    """Write the header of a one-dimensional ``.npy`` array whose data follows."""
    descr = np.lib.format.dtype_to_descr(np.dtype(dtype))
    header = {"descr": descr, "fortran_order": False, "shape": (count,)}
    np.lib.format.write_array_header_1_0(fh, header)


class _Buckets:
    """Hash records spilled to files by their hash's top bits, then sorted bucket by bucket.

    Parameters
    ----------
    folder : pathlib.Path
        Where the bucket files go (a temporary folder).
    bits : int
        The number of top hash bits that choose a bucket (1 to 8).
    """

    def __init__(self, folder: Path, bits: int) -> None:
        self.shift = np.uint64(64 - bits)
        self.paths = [folder / f"bucket-{i:03d}.bin" for i in range(1 << bits)]
        self.count = 0

    def add(self, hashes: np.ndarray, ids: np.ndarray) -> None:
        """Append records to their buckets, keeping their order within each bucket."""
        bucket = (hashes >> self.shift).astype(np.uint8)  # a radix sort: fast and stable
        order = np.argsort(bucket, kind="stable")
        records = np.empty(len(hashes), dtype=_RECORD)
        records["hash"] = hashes[order]
        records["id"] = ids[order]
        bounds = np.searchsorted(bucket[order], np.arange(len(self.paths) + 1))
        for path, lo, hi in zip(self.paths, bounds[:-1], bounds[1:], strict=True):
            if hi > lo:
                with path.open("ab") as fh:
                    fh.write(records[lo:hi].tobytes())
        self.count += len(hashes)

    def write_sorted(self, hashes_file: BinaryIO, ids_file: BinaryIO) -> None:
        """Write all records sorted by hash as two ``.npy`` arrays.

        The ids of one hash may come in any order: a query collects them into a set.
        """
        _write_npy_header(hashes_file, "<u8", self.count)
        _write_npy_header(ids_file, "<u4", self.count)
        for path in self.paths:
            if not path.exists():
                continue
            records = np.fromfile(path, dtype=_RECORD)
            path.unlink()
            records = records[np.argsort(records["hash"])]
            hashes_file.write(np.ascontiguousarray(records["hash"]).tobytes())
            ids_file.write(np.ascontiguousarray(records["id"]).tobytes())


def _bucket_bits(forms: int) -> int:
    """Return how many top hash bits split ``forms`` forms' hashes into small buckets."""
    buckets = max(2, -(-forms // _BUCKET_FORMS))
    return min(_MAX_BUCKET_BITS, (buckets - 1).bit_length())


_STALE_BUILD_S = 3600.0  # a build takes seconds; an older work folder is a killed build's


def _sweep_stale_builds(folder: Path, stem: str) -> None:
    """Remove the work folders that killed builds left behind (untouched for an hour)."""
    for work in folder.glob(f".{stem}.fuzzy-*"):
        try:
            if work.is_dir() and time.time() - work.stat().st_mtime > _STALE_BUILD_S:
                shutil.rmtree(work, ignore_errors=True)
        except OSError:
            continue


def _generation(index: Index) -> str:
    return f"{index.generation()}.v{FORMAT}"


def fuzzy_files(index: Index) -> tuple[Path, Path]:
    """Return the two arrays (hashes, ids) of the index's current generation, next to it."""
    stem = f"{index.path.stem}.fuzzy-{_generation(index)}"
    return index.path.with_name(f"{stem}.npy"), index.path.with_name(f"{stem}-ids.npy")


def fuzzy_problem(index: Index) -> str | None:
    """Return what is wrong with the arrays of the index's current generation (``None``:
    they are sound, or not built at all). Reads their headers only: microseconds."""
    hashes, ids = fuzzy_files(index)
    if not hashes.exists():  # written last: a build that did not finish left no structure
        return None
    problem, count = npy_problem(hashes, _RECORD["hash"].str)
    if problem:
        return f"{hashes.name}: {problem}"
    if not ids.exists():
        return f"{ids.name} is missing"
    problem, id_count = npy_problem(ids, _RECORD["id"].str)
    if problem or id_count != count:
        return f"{ids.name}: {problem or f'{id_count} ids for {count} hashes'}"
    return None


def is_current(index: Index) -> bool:
    """Tell whether the fuzzy structure of the index's current generation is complete
    and sound."""
    hashes, ids = fuzzy_files(index)
    return (hashes.exists() and ids.exists() and fuzzy_problem(index) is None
            and index.has_skeletons(_generation(index)))


def build_fuzzy(index: Index, *, progress: bool = True) -> None:
    """Build the fuzzy structure of the index's current generation (about 10 s for the
    embedded default), replacing older ones; a bar on a terminal shows each stage.

    Raises
    ------
    DiskFullError
        If the disk fills up; no array is left behind, so the next run builds again.
    """
    try:
        _build_fuzzy(index, progress)
    except OSError as err:  # the system's, or geomap.atomic's WriteError
        if isinstance(err, DiskFullError) or not is_disk_full(err):
            raise
        raise DiskFullError(f"no space left on device while building the fuzzy-name "
                            f"structure of the gazetteer index at {index.path}: free some "
                            "space and run the command again") from err


def _build_fuzzy(index: Index, progress: bool) -> None:
    generation = _generation(index)
    with Progress(progress, "fuzzy names (1/2)", None, " forms", batch=10_000) as bar:
        index.store_skeletons(generation, bar.track(_form_pairs(index)))
    hashes, ids = fuzzy_files(index)
    stem = index.path.stem
    for old in hashes.parent.glob(f"{stem}.fuzzy-*.npy"):
        old.unlink(missing_ok=True)
    _sweep_stale_builds(hashes.parent, stem)
    with tempfile.TemporaryDirectory(prefix=f".{stem}.fuzzy-", dir=hashes.parent) as tmp, \
            Progress(progress, "fuzzy names (2/2)", index.skeleton_count(), " forms",
                     batch=1) as bar:
        buckets = _Buckets(Path(tmp), _bucket_bits(index.skeleton_count()))
        for rows in index.skeleton_chunks(_CHUNK):
            buckets.add(*_chunk_forms(rows))
            bar.add(len(rows))
        # Two contiguous arrays, memory-mapped when read: the ids file is moved into place
        # first, so that the hash file, whose presence marks a complete build, comes last.
        with atomic_path(hashes) as hashes_tmp, atomic_path(ids) as ids_tmp:
            with hashes_tmp.open("wb") as hashes_file, ids_tmp.open("wb") as ids_file:
                buckets.write_sorted(hashes_file, ids_file)


def damaged_fuzzy_notice(index: Index, problem: str) -> str:
    """The one-line warning of a damaged fuzzy-name structure about to be rebuilt."""
    return (f"the fuzzy-name structure of the gazetteer index at {index.path} is damaged "
            f"({problem}); rebuilding it (about 10 s)")


class FuzzyIndex:
    """Skeleton neighbourhood search over a gazetteer :class:`~geomap.gazetteer.index.Index`.

    Opening costs milliseconds: the structure is built with the index
    (:func:`build_fuzzy`). When it is missing or stale all the same (an index changed by
    an older geomap, a build that was killed), it is built here, with a warning; an index
    that cannot be written (a read-only home) then has no fuzzy matches, with a warning.

    Parameters
    ----------
    index : Index
        The gazetteer index; the fuzzy structure follows its generation counter.
    """

    def __init__(self, index: Index) -> None:
        self.index = index
        #: The index generation the structure was opened for (see :meth:`stale`).
        self.generation = index.generation()
        self._hashes = self._ids = np.zeros(0, dtype=np.uint64)
        if not is_current(index):
            problem = fuzzy_problem(index)
            if index.read_only:
                log.warning("the gazetteer index %s is read-only and has no %s: one-edit "
                            "spellings are not matched", index.path,
                            f"sound fuzzy-name structure ({problem})" if problem
                            else "fuzzy-name structure")
                return
            if problem:
                log.warning("%s", damaged_fuzzy_notice(index, problem))
            else:
                log.warning("building the fuzzy-name structure of %s (it was not built with "
                            "the index; about 10 s)", index.path)
            build_fuzzy(index)
        hashes, ids = fuzzy_files(index)  # checked: plain integers, never a pickle
        self._hashes = np.load(hashes, mmap_mode="r", allow_pickle=False)
        self._ids = np.load(ids, mmap_mode="r", allow_pickle=False)

    def stale(self) -> bool:
        """Tell whether the index changed since the structure was opened (reopen it then)."""
        return self.index.generation() != self.generation

    def neighbours(self, skel: str, *, max_edits: int = 1) -> list[tuple[str, int]]:
        """Return ``(skeleton, edits)`` for indexed skeletons within ``max_edits`` of ``skel``.

        Two forms both shorter than :data:`MIN_FUZZY_LENGTH` only match when equal.
        """
        forms = np.array(_forms(skel), dtype=np.uint64)
        starts = np.searchsorted(self._hashes, forms, side="left").tolist()
        ends = np.searchsorted(self._hashes, forms, side="right").tolist()
        ids: set[int] = set()
        for lo, hi in zip(starts, ends, strict=True):
            if hi > lo:
                ids.update(self._ids[lo:hi].tolist())
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
