"""Keeping a damaged gazetteer from being trusted: the checks on open and the wording.

The index (:mod:`geomap.gazetteer.index`) is checked each time it is opened, cheaply:

* the file's SQLite header: the magic string, a valid page size, a size that is a whole
  number of pages and not shorter than the page count the header records (a truncated
  file), read in microseconds (:func:`header_problem`);
* the schema, read from the file's first pages;
* SQLite's ``PRAGMA quick_check`` (about 1 s on the 183 MB default index), only when the
  file changed since it was last known sound. That is recorded in a stamp file next to
  the index (``gazetteer.sqlite.checked``: JSON, the file's size, modification time and
  inode), written when geomap itself has written the file or checked it
  (:func:`stamp_matches`, :func:`write_stamp`). A damage met by a later query marks the
  stamp as damaged (:func:`mark_damaged`), so that the next run rebuilds the file.

A damaged index in a writable folder is removed and rebuilt with a one-line notice
(:func:`damage_notice`, which also names the imported sources and whether their files are
still there to be imported again); in a read-only folder it is one line of error. The
fuzzy-name arrays are checked the same way from their ``.npy`` headers (:func:`npy_problem`)
and are always read with ``allow_pickle=False``: no file geomap reads can run code.

SQLite errors met while the index is used are worded here (:func:`failure`): a full disk,
a damaged file, anything else. This module holds no SQL; the index runs the queries.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import inspect
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from geomap.atomic import atomic_path
from geomap.errors import DamagedIndexError, DiskFullError, GazetteerError

if TYPE_CHECKING:
    from geomap.gazetteer.records import SourceInfo

__all__ = ["SQLITE_MAGIC", "STAMP_SUFFIX", "IMPORT_HINT", "CheckedFile", "open_checked",
           "header_problem",
           "is_sqlite_file", "npy_problem", "stamp_matches", "stamp_damage", "write_stamp",
           "mark_damaged", "remove_index_files", "is_damage", "is_disk_full", "failure",
           "guard_errors", "damage_notice", "read_only_damage"]

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
#: The stamp file's name is the index file's name followed by this.
STAMP_SUFFIX = ".checked"
#: How a user puts back an imported source whose file geomap no longer finds.
IMPORT_HINT = "geomap gazetteer import FILE"
_HEADER_BYTES = 100
# SQLite's primary result codes (the low byte of an extended code)
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 11, 13, 26
_DAMAGE_TEXTS = ("malformed", "not a database", "database corrupt")


# -- opening -----------------------------------------------------------------------------
class CheckedFile(Protocol):
    """What :func:`open_checked` needs of an index (:class:`geomap.gazetteer.index.Index`
    is one): this module checks files and never imports the index, which calls it."""

    path: Path
    read_only: bool
    lost: list[SourceInfo]

    def open_file(self) -> None: ...  # noqa: D102 - a protocol's members
    def close(self) -> None: ...  # noqa: D102
    def quick_check(self) -> str: ...  # noqa: D102
    def sources(self) -> list[SourceInfo]: ...  # noqa: D102


def open_checked(index: CheckedFile) -> None:
    """Connect the index to its file once the file is checked.

    A damaged file is replaced by an empty index, with a warning that names its imported
    sources (kept in ``index.lost`` for :func:`~geomap.gazetteer.build.build_index` to
    import again); a read-only one is refused.

    Raises
    ------
    GazetteerError
        If the file is no SQLite file at all (never removed: it may be anyone's).
    DamagedIndexError
        If the file is damaged and its folder read-only.
    """
    path = index.path
    if not is_sqlite_file(path):
        raise GazetteerError(f"cannot open the gazetteer index {path}: it is not an SQLite "
                             "file (move it away, or choose another path)")
    inode = path.stat().st_ino if path.exists() else None
    problem = header_problem(path)
    try:
        index.open_file()
        problem = problem or _verify(index)
    except DamagedIndexError as err:
        problem = problem or getattr(err, "problem", str(err))
    if problem is None:
        return
    if index.read_only:
        raise read_only_damage(path, problem)
    try:
        lost: list[SourceInfo] | None = [s for s in index.sources() if s.kind != "default"]
    except GazetteerError:
        lost = None
    log.warning("%s", damage_notice(path, problem, lost))
    index.lost = lost or []
    with contextlib.suppress(GazetteerError):
        index.close()
    remove_index_files(path, inode)
    index.open_file()


def _verify(index: CheckedFile) -> str | None:
    """Return what is wrong with the opened file, or ``None``; ``quick_check`` (about 1 s)
    runs only when the file changed since geomap last knew it sound."""
    if damage := stamp_damage(index.path):
        return damage
    if index.read_only or stamp_matches(index.path):
        return None
    result = index.quick_check()
    if result != "ok":  # e.g. "*** in database main ***\nPage 22349: btreeInitPage() ..."
        return " ".join(result.replace("*** in database main ***", "").split())
    write_stamp(index.path)
    return None


# -- the file ----------------------------------------------------------------------------
def is_sqlite_file(path: Path) -> bool:
    """Tell whether ``path`` is missing, empty or starts as an SQLite file does (else it is
    some other file, never to be removed as a damaged index).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.sqlite"
    >>> is_sqlite_file(path), path.write_text("name,lat") and is_sqlite_file(path)
    (True, False)
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return True
    return SQLITE_MAGIC.startswith(head)


def header_problem(path: Path) -> str | None:
    """Return what the SQLite header and size of the file tell is wrong, or ``None``.

    A missing or empty file is fine (SQLite makes it a new database). The size is compared
    with the page count only when no write-ahead log holds pages the file lacks yet.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(_HEADER_BYTES)
    except FileNotFoundError:
        return None
    if size == 0:
        return None
    if len(head) < _HEADER_BYTES:
        return f"truncated to {size} bytes"
    if not head.startswith(SQLITE_MAGIC):
        return "no SQLite header"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return f"invalid page size {page}"
    if size % page:
        return f"{size} bytes is not a whole number of {page}-byte pages"
    pages = int.from_bytes(head[28:32], "big")
    counted = pages and head[24:28] == head[92:96]  # SQLite's rule for a valid page count
    if counted and size < pages * page and not _wal_holds_pages(path):
        return f"truncated: {size} of {pages * page} bytes"
    return None


def _wal_holds_pages(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


def npy_problem(path: Path, dtype: str) -> tuple[str | None, int]:
    """Check a one-dimensional ``.npy`` array file of ``dtype`` from its header and size.

    Returns
    -------
    (str or None, int)
        What is wrong (``None``: nothing) and the array's length. A file of any other
        dtype (Python objects, i.e. a pickle) is a problem, never read further.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.npy"
    >>> np.save(path, np.arange(3, dtype="<u8"))
    >>> npy_problem(path, "<u8")
    (None, 3)
    >>> np.save(path, np.array([{}], dtype=object), allow_pickle=True)
    >>> npy_problem(path, "<u8")[0]
    'holds object, not uint64'
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            version = np.lib.format.read_magic(fh)
            read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                    else np.lib.format.read_array_header_2_0)
            shape, fortran, found = read(fh)
            offset = fh.tell()
    except (OSError, ValueError, SyntaxError) as err:
        return f"unreadable header: {err}", 0
    if found != np.dtype(dtype):
        return f"holds {found}, not {np.dtype(dtype)}", 0
    if fortran or len(shape) != 1:
        return f"shape {shape}, not one-dimensional", 0
    expected = offset + shape[0] * found.itemsize
    if size != expected:
        return f"{size} bytes where its header announces {expected}", 0
    return None, shape[0]


# -- the stamp: the file as geomap last knew it sound ----------------------------------
def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + STAMP_SUFFIX)


def _identity(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "inode": stat.st_ino}


def _read_stamp(path: Path) -> dict[str, Any]:
    try:
        stamp = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def stamp_matches(path: Path) -> bool:
    """Tell whether the file is as it was when geomap last wrote or checked it."""
    try:
        return _read_stamp(path).get("file") == _identity(path)
    except OSError:
        return False


def stamp_damage(path: Path) -> str | None:
    """Return the damage a query met in the file (see :func:`mark_damaged`), or ``None``."""
    damage = _read_stamp(path).get("damaged")
    return str(damage) if damage else None


def _write(path: Path, stamp: dict[str, Any]) -> None:
    with contextlib.suppress(OSError), atomic_path(_stamp_path(path)) as tmp:
        tmp.write_text(json.dumps(stamp), encoding="utf-8")


def write_stamp(path: Path) -> None:
    """Record the file as sound as it is now (a stamp that cannot be written is no error:
    the next run checks the file again)."""
    with contextlib.suppress(OSError):
        _write(path, {"file": _identity(path)})


def mark_damaged(path: Path, problem: str) -> None:
    """Record that a query met damage in the file: the next run rebuilds it."""
    _write(path, {"damaged": problem})


def remove_index_files(path: Path, inode: int | None) -> bool:
    """Remove a damaged index with its log, stamp and fuzzy arrays.

    Nothing is removed (``False``) when the file is no longer the one found damaged
    (``inode``): another process has rebuilt it meanwhile.
    """
    try:
        if inode is not None and path.stat().st_ino != inode:
            return False
    except FileNotFoundError:
        return False
    fuzzy = path.parent.glob(f"{path.stem}.fuzzy-*.npy")
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                 _stamp_path(path), *fuzzy):
        file.unlink(missing_ok=True)
    return True


# -- errors ------------------------------------------------------------------------------
def _code(err: BaseException) -> int | None:
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(err: BaseException) -> bool:
    """Tell whether an SQLite error says the file is damaged (or not a database at all)."""
    return _code(err) in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or any(
        text in str(err).lower() for text in _DAMAGE_TEXTS)


def is_disk_full(err: BaseException) -> bool:
    """Tell whether an error (SQLite's or the system's) says the disk is full."""
    return (_code(err) == _SQLITE_FULL or getattr(err, "errno", None) == errno.ENOSPC
            or "disk is full" in str(err).lower())


def failure(path: Path, err: BaseException, *, read_only: bool = False,
            doing: str = "writing") -> GazetteerError:
    """Word an error met while using the index at ``path`` as one line.

    A full disk: :class:`~geomap.errors.DiskFullError` (``doing`` says what was under way;
    the transaction was rolled back, the index is left as it was). A damaged file:
    :class:`~geomap.errors.DamagedIndexError`, and the file is marked so that the next run
    rebuilds it (unless ``read_only``). Anything else: a :class:`GazetteerError`.
    """
    if is_disk_full(err):
        return DiskFullError(f"no space left on device while {doing} the gazetteer index at "
                             f"{path}: free some space and run the command again")
    if is_damage(err):
        if read_only:
            return read_only_damage(path, str(err))
        mark_damaged(path, str(err))
        return _damaged(f"the gazetteer index at {path} is damaged ({err}): run the command "
                        "again to rebuild it", str(err))
    return GazetteerError(f"the gazetteer index at {path} cannot be used ({err})")


def read_only_damage(path: Path, problem: str) -> DamagedIndexError:
    """The error for a damaged index that cannot be rebuilt where it is."""
    return _damaged(
        f"the gazetteer index at {path} is damaged ({problem}) and its folder is read-only: "
        "rebuild it where it can be written (any geomap command there does), or point "
        "$GEOMAP_HOME at a writable folder", problem)


def _damaged(message: str, problem: str) -> DamagedIndexError:
    err = DamagedIndexError(message)
    err.problem = problem  # what SQLite or the checks said, for the rebuild's notice
    return err


def guard_errors(error: type[BaseException]) -> Callable[[type], type]:
    """Class decorator: every public method of the class turns an ``error`` into
    :func:`failure` (the instance has ``path`` and ``read_only``); generators too."""

    def wrap(method: Callable) -> Callable:
        if inspect.isgeneratorfunction(method):
            @functools.wraps(method)
            def generator(self: Any, *args: Any, **kwargs: Any) -> Any:
                try:
                    yield from method(self, *args, **kwargs)
                except error as err:
                    raise failure(self.path, err, read_only=self.read_only) from err
            return generator

        @functools.wraps(method)
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except error as err:
                raise failure(self.path, err, read_only=self.read_only) from err
        return call

    def decorate(cls: type) -> type:
        for name, method in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(method):
                setattr(cls, name, wrap(method))
        return cls

    return decorate


# -- notices -----------------------------------------------------------------------------
def damage_notice(path: Path, problem: str, lost: Sequence[SourceInfo] | None) -> str:
    """The one-line warning of a damaged index about to be rebuilt.

    ``lost``: the imported sources the file held (``None``: they could not be read); those
    whose file is still there are imported again after the embedded default.
    """
    text = f"the gazetteer index at {path} is damaged ({problem}); rebuilding it"
    if lost is None:
        return (f"{text}; the list of its imported sources is unreadable: import your own "
                f"files again ({IMPORT_HINT})")
    found = [s for s in lost if s.path and Path(s.path).is_file()]
    gone = [s for s in lost if s not in found]
    if found:
        text += "; importing again " + ", ".join(f"{s.name} from {s.path}" for s in found)
    if gone:
        text += ("; lost: " + ", ".join(f"{s.name} ({s.path or 'file unknown'} is gone)"
                                        for s in gone)
                 + f": import them again ({IMPORT_HINT})")
    return text
