"""One gazetteer file (a GeoNames dump or a user CSV) loaded into the index as a source.

The step that ``geomap gazetteer import`` runs (:mod:`geomap.gazetteer.importer`) and
that the rebuild of a damaged index repeats for the imports whose files are still there
(:mod:`geomap.gazetteer.build`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.gazetteer.progress import Progress

if TYPE_CHECKING:
    from geomap.gazetteer.index import Index
    from geomap.gazetteer.sources.geonames import GeoNamesDump

__all__ = ["KIND_GEONAMES", "KIND_CSV", "PRIORITIES", "PLACES_BATCH", "file_fingerprint",
           "load_file"]

KIND_GEONAMES = "geonames"
KIND_CSV = "csv"
PRIORITIES = {KIND_GEONAMES: 2, KIND_CSV: 3}
#: Places loaded between two updates of a progress bar.
PLACES_BATCH = 2_000
_FINGERPRINT_BYTES = 1 << 20


def file_fingerprint(path: str | Path) -> str:
    """Return ``size:mtime_ns:sha1`` of a file, the hash over its first megabyte.

    Cheap even for ``allCountries.zip`` and enough to tell a re-download apart.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ML.txt"
    >>> _ = path.write_bytes(b"2453866\\tMali")
    >>> size, mtime, digest = file_fingerprint(path).split(":")
    >>> size, len(digest)
    ('12', 16)
    """
    path = Path(path)
    stat = path.stat()
    with path.open("rb") as fh:
        digest = hashlib.sha1(fh.read(_FINGERPRINT_BYTES)).hexdigest()[:16]
    return f"{stat.st_size}:{stat.st_mtime_ns}:{digest}"


def load_file(index: Index, path: Path, name: str, kind: str, *, progress: bool) -> None:
    """Stream the file into the index as source ``name`` (one transaction).

    Parameters
    ----------
    index : Index
        The index that receives the file.
    path : pathlib.Path
        A GeoNames dump or a user CSV gazetteer.
    name : str
        The source name.
    kind : str
        :data:`KIND_GEONAMES` or :data:`KIND_CSV`.
    progress : bool
        Show a progress bar on a terminal.

    Raises
    ------
    InputFileError, RowError
        If the file cannot be read; the index is then left as it was.
    """
    from geomap.gazetteer.sources.geonames import GeoNamesDump, dump_size
    from geomap.gazetteer.sources.usercsv import read_user_csv

    common = {"kind": kind, "path": str(path.resolve()), "fingerprint": file_fingerprint(path),
              "priority": PRIORITIES[kind]}
    if kind == KIND_CSV:
        bar = Progress(progress, name, None, " places", batch=PLACES_BATCH)
        try:
            index.replace_source(name, bar.track(read_user_csv(path, source=name)), **common)
        finally:
            bar.close()
        return
    bar = Progress(progress, name, dump_size(path), "B")
    dump = GeoNamesDump(path, on_bytes=bar.add)
    try:  # the dump's date is known only once it is read
        index.replace_source(name, dump.records(), admin_names=_later(dump),
                             modified=lambda: dump.modified, **common)
    finally:
        bar.close()


def _later(dump: GeoNamesDump) -> Iterator[tuple[str, str]]:
    """Yield the dump's admin names once its records have been read."""
    yield from dump.admin_names
