"""Import gazetteer files into the local index, list them, remove them.

A file becomes one *source* of the index, named after the file unless told otherwise.
Importing a file under a name the index already holds replaces that source in one
transaction, so re-importing never doubles the places and a failed import leaves the
index as it was.

Kinds and priorities (the higher priority wins when two sources hold the same place,
e.g. the same GeoNames id in ``ML.txt`` and in the embedded default):

========== ======== ==========================================================
kind       priority files
========== ======== ==========================================================
geonames   2        GeoNames dumps: ``allCountries.txt``, ``ML.txt``, their ``.zip``
csv        3        user CSV gazetteers (see :mod:`geomap.gazetteer.sources.usercsv`)
default    0-1      the embedded default (built automatically, cannot be removed)
========== ======== ==========================================================

An import or a removal rebuilds the fuzzy-name structure in the same step
(:func:`geomap.gazetteer.build.refresh_fuzzy`: about 10 s over the embedded default, more
with big imports), so that no later lookup has to.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import GazetteerError, InputFileError
from geomap.gazetteer.build import refresh_fuzzy
from geomap.gazetteer.filesource import (
    KIND_CSV,
    KIND_GEONAMES,
    PRIORITIES,
    file_fingerprint,
    load_file,
)
from geomap.gazetteer.records import SourceInfo

if TYPE_CHECKING:
    from geomap.gazetteer.lookup import Gazetteer

__all__ = [
    "KIND_GEONAMES",
    "KIND_CSV",
    "PRIORITIES",
    "UnknownSourceError",
    "detect_kind",
    "file_fingerprint",
    "import_file",
    "remove_source",
    "list_sources",
]


class UnknownSourceError(GazetteerError, LookupError):
    """A source name the index does not hold."""


def detect_kind(path: str | Path) -> str:
    """Tell which reader a file needs: :data:`KIND_GEONAMES` or :data:`KIND_CSV`.

    ``.zip`` files and headerless 19-column tab-separated tables are GeoNames dumps;
    ``.csv`` (and ``.tsv``/``.txt`` files with a header row) are user gazetteers.

    Raises
    ------
    InputFileError
        If the file is missing or has an extension geomap does not import.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = path.write_text("name,lat,lon,country_code\\n", encoding="utf-8")
    >>> detect_kind(path)
    'csv'
    """
    from geomap.gazetteer.sources.geonames import is_geonames_dump

    path = Path(path)
    if not path.is_file():
        raise InputFileError.missing(path)
    suffix = path.suffix.lower()
    if suffix not in (".zip", ".txt", ".tsv", ".csv"):
        raise InputFileError(
            f"{path}: cannot import {suffix or 'a file without extension'!r}; give a GeoNames "
            "dump (.txt or .zip, e.g. ML.txt, allCountries.zip) or a CSV gazetteer (.csv)"
        )
    if suffix == ".csv":
        return KIND_CSV
    return KIND_GEONAMES if is_geonames_dump(path) else KIND_CSV


def _gazetteer(gazetteer: Gazetteer | None) -> Gazetteer:
    if gazetteer is not None:
        return gazetteer
    from geomap.gazetteer.lookup import default_gazetteer

    return default_gazetteer()


def _reserved_names() -> set[str]:
    from geomap.gazetteer.sources.default import default_sources

    return {part.name for part in default_sources()}


def _info(gaz: Gazetteer, name: str) -> SourceInfo:
    for info in gaz.index.sources():
        if info.name == name:
            return info
    raise UnknownSourceError(_unknown_message(gaz, name))


def import_file(
    path: str | Path,
    *,
    gazetteer: Gazetteer | None = None,
    name: str | None = None,
    progress: bool = True,
    refresh: bool = True,
) -> SourceInfo:
    """Load a gazetteer file into the index, replacing an earlier import of the same name.

    Parameters
    ----------
    path : path-like
        A GeoNames dump (``ML.txt``, ``allCountries.txt`` or a ``.zip`` of one) or a user
        CSV gazetteer.
    gazetteer : Gazetteer, optional
        The gazetteer whose index receives the file; default :func:`default_gazetteer`.
    name : str, optional
        The source name (default: the file name, e.g. ``"ML.txt"``).
    progress : bool
        Show progress bars on stderr (only when stderr is a terminal).
    refresh : bool
        Rebuild the fuzzy-name structure afterwards; ``False`` when more imports follow.

    Returns
    -------
    SourceInfo
        The source as the index now holds it.

    Raises
    ------
    InputFileError, RowError
        If the file cannot be read; the index is then left as it was.
    GazetteerError
        If ``name`` belongs to the embedded default.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from geomap.gazetteer.lookup import Gazetteer
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "mine.csv").write_text("name,lat,lon,country_code\\nInabag,19.9,3.05,ML\\n",
    ...                                      encoding="utf-8")
    >>> gaz = Gazetteer(folder / "index.sqlite", ensure_default=False)
    >>> info = import_file(folder / "mine.csv", gazetteer=gaz, progress=False)
    >>> info.name, info.kind, info.count, gaz.lookup("Inabag").place.source
    ('mine.csv', 'csv', 1, 'mine.csv')
    >>> remove_source("mine.csv", gazetteer=gaz).count, gaz.lookup("Inabag").resolved
    (1, False)
    """
    path = Path(path)
    kind = detect_kind(path)
    name = _source_name(path, name)
    gaz = _gazetteer(gazetteer)
    load_file(gaz.index, path, name, kind, progress=progress)
    gaz.forget_lookups()
    if refresh:
        refresh_fuzzy(gaz.index, progress=progress)
    return _info(gaz, name)


def _source_name(path: Path, name: str | None) -> str:
    """The name a file is imported under (its own by default), never the default's."""
    name = name or path.name
    if name in _reserved_names():
        raise GazetteerError(
            f"source name {name!r} belongs to the embedded default; import under another "
            "name (geomap gazetteer import --name NAME)"
        )
    return name


def _unknown_message(gaz: Gazetteer, name: str) -> str:
    known = [s.name for s in gaz.index.sources()]
    return f"no gazetteer source named {name!r}; the index holds: {', '.join(known) or 'none'}"


def remove_source(name: str, *, gazetteer: Gazetteer | None = None,
                  progress: bool = True) -> SourceInfo:
    """Remove an imported source from the index and return what it was.

    The fuzzy-name structure is rebuilt in the same step (``progress``: bars on a terminal).

    Raises
    ------
    UnknownSourceError
        If the index holds no source of that name (the message lists the known ones).
    GazetteerError
        If the source is part of the embedded default.
    """
    gaz = _gazetteer(gazetteer)
    info = _info(gaz, name)
    if info.kind == "default":
        imported = [s.name for s in gaz.index.sources() if s.kind != "default"]
        raise GazetteerError(
            f"{name!r} is part of the embedded default and cannot be removed; imported "
            f"sources: {', '.join(imported) or 'none'}"
        )
    gaz.index.remove_source(name)
    gaz.forget_lookups()
    refresh_fuzzy(gaz.index, progress=progress)
    return info


def list_sources(*, gazetteer: Gazetteer | None = None) -> list[SourceInfo]:
    """Return the sources of the index (embedded default and imports), highest priority first.

    Examples
    --------
    >>> "geonames-cities500" in [s.name for s in list_sources()]
    True
    """
    return _gazetteer(gazetteer).index.sources()
