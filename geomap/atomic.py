"""Atomic file writes: a failure never leaves a half-written output behind.

* :func:`atomic_path` yields a temporary path next to the target and moves it into place on
  success. A target that is a symbolic link is written through: the file it points to is
  replaced (atomically, next to it) and the link is kept. A target that is a character
  device or a pipe (``/dev/null``, ``/dev/stdout``) is written into, never renamed over.
* :func:`commit_together` makes a main output and its companion files (``<stem>.unresolved.csv``)
  one unit: they are moved into place together when every writer succeeded, not at all
  otherwise, and a companion an earlier run left that this run did not write is removed.
* :func:`check_outputs` refuses an output that is one of the run's inputs (the same file,
  also through a symbolic or a hard link), before anything is written.
* Temporary files are named ``.<name>.geomap-<pid>-<random>.part<suffix>``; those older than
  :data:`PART_MAX_AGE` seconds in the folder written to are left-overs of killed runs and
  are removed (:func:`sweep_parts`); younger ones may belong to a run in progress.
* :func:`write_error` is the one translation of an OS error met while writing (a read-only
  folder, a full disk, a file size limit, a parent path that is a file) into one line, a
  :class:`~geomap.errors.WriteError` naming the file the user asked for (never the
  temporary one): :func:`atomic_path` raises it, and the command line uses it for any other
  OS error.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import functools
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from geomap.errors import GeomapError, OutputError, WriteError

__all__ = ["PART_MAX_AGE", "WRITE_FAILURES", "atomic_path", "check_outputs", "commit_together",
           "is_device", "sweep_parts", "write_error", "write_text_atomic"]

#: Seconds after which a temporary file of geomap's is taken for a killed run's left-over.
PART_MAX_AGE = 24 * 3600

#: geomap's temporary file names: ``.<name>.geomap-<pid>-<random>.part<suffix>`` (and the
#: ``.<name>.<random>.part<suffix>`` of earlier versions); a writer's side file such as
#: SQLite's ``-journal`` may follow the suffix.
PART_NAME = re.compile(r"^\..+\.(?:geomap-\d+-)?[a-z0-9_]{8}\.part(?:\.[^./]*)?$")

Pathish = str | os.PathLike[str]

#: Paths that stand for a process's open files (``/dev/stdout``, ``/dev/fd/3``): written into
#: as they are, never resolved to the file or pipe they point at and renamed over.
_STREAMS = re.compile(r"^/(?:dev/(?:stdin|stdout|stderr|fd/\d+)|proc/[^/]+/fd/\d+)$")


class _Group:
    """Files written in one :func:`commit_together` block, moved into place at its end."""

    def __init__(self) -> None:
        self.targets: set[str] = set()
        self.stale: list[Path] = []
        self.moves: list[tuple[Path, Path]] = []
        self.written: set[str] = set()

    def owns(self, target: Path) -> bool:
        """Tell whether a write to ``target`` waits for the end of the block."""
        return _key(target) in self.targets


_GROUP: contextvars.ContextVar[_Group | None] = contextvars.ContextVar("geomap_atomic_group",
                                                                      default=None)


def _key(path: Pathish) -> str:
    return os.path.abspath(os.fspath(path))


def is_device(path: Pathish) -> bool:
    """Tell whether ``path`` exists and is neither a regular file nor a folder (a character
    device such as ``/dev/null``, a pipe), or stands for an open file (``/dev/stdout``):
    geomap writes into such a file, never over it.

    Examples
    --------
    >>> is_device("/dev/null"), is_device("/dev/stdout"), is_device(__file__)
    (True, True, False)
    """
    if _STREAMS.match(os.path.abspath(path)):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def sweep_parts(folder: Pathish, *, max_age: float = PART_MAX_AGE) -> list[Path]:
    """Remove geomap's temporary files (:data:`PART_NAME`) older than ``max_age`` seconds
    from ``folder``; return those removed. Other files, and younger temporary files (a run
    in progress), are left alone; a file that cannot be removed is skipped."""
    removed = []
    limit = time.time() - max_age
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not PART_NAME.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and \
                    entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _temp_next_to(real: Path) -> Path:
    """A fresh temporary name next to ``real`` (no file is left there)."""
    fd, name = tempfile.mkstemp(prefix=f".{real.name}.geomap-{os.getpid()}-",
                                suffix=f".part{real.suffix}", dir=real.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as GDAL want to create the file themselves
    return tmp


#: What an OS error met while writing a file means, by ``errno`` (``{folder}``: the folder
#: written to); an error not listed keeps the system's words.
WRITE_FAILURES: dict[int, str] = {
    errno.ENOSPC: "the disk is full (no space left on the device)",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would pass the file size limit of this process (ulimit -f)",
    errno.EROFS: "{folder} is on a read-only file system",
    errno.EACCES: "permission denied (is the folder {folder} read-only?)",
    errno.EPERM: "operation not permitted in {folder}",
    errno.EISDIR: "it is a folder; give a file name",
    errno.ENAMETOOLONG: "the file name is too long",
}
#: Errors that only writing causes: they are about the output even when no file is named.
_WRITING = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})
#: A temporary file of :func:`atomic_path`: the name of the file it stands for.
_PART_OF = re.compile(r"^\.(?P<name>.+?)\.(?:geomap-\d+-)?[a-z0-9_]{8}\.part(?:\.[^./]*)?$")


def _meant(filename: object) -> tuple[Path | None, bool]:
    """The file a user asked for, given the name an OS error carries, and whether that was
    a temporary file of :func:`atomic_path` (which stands for its target)."""
    if not isinstance(filename, str | os.PathLike):
        return None, False
    path = Path(os.fsdecode(filename))
    part = _PART_OF.match(path.name)
    return (path.with_name(part["name"]), True) if part else (path, False)


def _file_in_the_way(path: Path) -> Path | None:
    """The first parent of ``path`` that exists and is not a folder, if any."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def write_error(err: OSError, target: Pathish | None = None) -> WriteError:
    """The one-line :class:`~geomap.errors.WriteError` for an OS error.

    ``target`` is the file being written; without it, the file the error names (either
    way, a temporary file of :func:`atomic_path` is named as the file it stands for), and the
    error is taken for a write only when it names such a file or only writing causes it
    (a full disk, a size limit). The reason is :data:`WRITE_FAILURES`'s, or names the parent
    that is a file, or is the system's.

    Examples
    --------
    >>> import errno
    >>> str(write_error(OSError(errno.ENOSPC, "No space left on device"), "out/map.html"))
    'out/map.html: cannot write: the disk is full (no space left on the device)'
    >>> str(write_error(PermissionError(errno.EACCES, "Permission denied",
    ...                                 "ro/.map.html.geomap-7-abcd1234.part.html")))
    'ro/map.html: cannot write: permission denied (is the folder ro read-only?)'
    """
    path, part = (_meant(target)[0], True) if target is not None else _meant(err.filename)
    writing = part or err.errno in _WRITING
    if path is not None:
        in_the_way = _file_in_the_way(path)
        if in_the_way is not None:
            return WriteError(f"{path}: cannot write: {in_the_way} is a file, not a folder")
    words = WRITE_FAILURES.get(err.errno) if writing and err.errno is not None else None
    reason = words.format(folder=path.parent if path else ".") if words else \
        (err.strerror or str(err) or type(err).__name__).replace("\n", " ")
    line = f"cannot write: {reason}" if writing else reason
    return WriteError(f"{path}: {line}" if path is not None else line)


def _about(err: OSError, target: Path) -> bool:
    """Tell whether an OS error raised while writing ``target`` is about that file: it
    names no file (a full disk), or names the target, a parent, or a file next to it."""
    if err.filename is None or err.errno in _WRITING:
        return True
    named = os.path.abspath(os.fsdecode(err.filename))
    folders = {os.path.dirname(os.path.abspath(target)),
               os.path.dirname(os.path.realpath(target))}
    return (os.path.dirname(named) in folders
            or os.path.abspath(target).startswith(named.rstrip(os.sep) + os.sep))


def _naming_the_target(generator):
    """Let :func:`atomic_path` raise a :class:`~geomap.errors.WriteError` (naming the target,
    never the temporary file) for an OS error about the file it writes; other errors (a
    writer's, or an OS error about another file) pass unchanged."""

    @functools.wraps(generator)
    def wrapper(target: Pathish) -> Iterator[Path]:
        try:
            return (yield from generator(target))
        except OSError as err:
            if isinstance(err, GeomapError) or not _about(err, Path(target)):
                raise
            raise write_error(err, target) from err

    return wrapper


@contextlib.contextmanager
def _into_device(device: Path) -> Iterator[Path]:
    """Yield a temporary path (in the system's temporary folder); copy what was written
    there into ``device`` on success. The device node itself is never replaced."""
    folder = Path(tempfile.mkdtemp(prefix="geomap-"))
    try:
        tmp = folder / f"output{device.suffix}"
        yield tmp
        with open(tmp, "rb") as src, open(device, "wb") as dst:
            shutil.copyfileobj(src, dst)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
@_naming_the_target
def atomic_path(target: Pathish) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it into place on success.

    The temporary file sits in the same folder (so the final rename is atomic) and is
    removed when the block raises; ``target`` is then left as it was. A symbolic link is
    written through (the file it points to is replaced, the link kept); a device or a pipe
    gets the bytes written into it. Inside :func:`commit_together`, a target of the group
    is moved into place at the end of the group's block.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    target = Path(target)
    if is_device(target):  # through links: /dev/stdout may stand for a pipe
        with _into_device(target) as tmp:
            yield tmp
        return
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    real.parent.mkdir(parents=True, exist_ok=True)
    sweep_parts(real.parent)
    tmp = _temp_next_to(real)
    group = _GROUP.get()
    try:
        yield tmp
        if group is not None and group.owns(target):
            group.moves.append((tmp, real))
            group.written.add(_key(target))
            return
        os.replace(tmp, real)
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


@contextlib.contextmanager
def commit_together(targets: Iterable[Pathish], *, stale: Iterable[Pathish] = ()
                    ) -> Iterator[None]:
    """Write ``targets`` as one unit: :func:`atomic_path` writes to them inside the block
    are moved into place when the block ends without error, and none of them otherwise.

    Parameters
    ----------
    targets : iterable of path-like
        The main output first, then its companions; the main output is moved into place
        last, so that it never stands without the companions of the same run.
    stale : iterable of path-like
        Companion files: one the block did not write is removed at the end (a file left by
        an earlier run would otherwise pass for this run's).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.extra.csv").write_text("old")
    >>> with commit_together([folder / "a.txt"], stale=[folder / "a.extra.csv"]):
    ...     _ = write_text_atomic(folder / "a.txt", "new")
    ...     (folder / "a.txt").exists()
    False
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt']
    """
    outer = _GROUP.get()
    group = outer or _Group()
    group.targets.update(_key(t) for t in targets)
    group.stale.extend(Path(s) for s in stale)
    if outer is not None:  # nested: the outermost block commits
        yield
        return
    token = _GROUP.set(group)
    try:
        yield
    except BaseException:
        for tmp, _ in group.moves:
            _unlink(tmp)
        raise
    finally:
        _GROUP.reset(token)
    _commit(group)


def _commit(group: _Group) -> None:
    """Move a group's files into place (last written first), then remove its stale
    companions."""
    moves = list(reversed(group.moves))
    try:
        while moves:
            tmp, real = moves[0]
            os.replace(tmp, real)
            moves.pop(0)
    finally:
        for tmp, _ in moves:
            _unlink(tmp)
    for path in group.stale:
        if _key(path) not in group.written and not is_device(path) \
                and (path.is_symlink() or path.is_file()):
            _unlink(path)


def _same_file(a: Pathish, b: Pathish) -> bool:
    """Tell whether two paths name the same file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


def check_outputs(inputs: Iterable[object],
                  outputs: Mapping[Pathish, str] | Iterable[tuple[Pathish, str]]) -> None:
    """Refuse, before anything is written, an output that is an input or another output.

    Parameters
    ----------
    inputs : iterable
        The files the run reads; anything that is not an existing regular file (a table in
        memory, ``-`` for standard input, ``None``) is skipped.
    outputs : mapping of path-like to str, or iterable of (path-like, str) pairs
        Each file the run may write (or remove, for a stale companion), with what it holds
        (``"the output"``, ``"the unresolved rows of out.html"``).

    Raises
    ------
    OutputError
        Naming the output, the input it would overwrite and what to do instead.

    Examples
    --------
    >>> check_outputs([__file__], {__file__: "the output"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    geomap.errors.OutputError: ...atomic.py: the output would overwrite the input ...
    """
    files = [p for p in inputs if isinstance(p, str | os.PathLike) and os.path.isfile(p)]
    seen: dict[str, str] = {}
    for out, what in outputs.items() if isinstance(outputs, Mapping) else outputs:
        for inp in files:
            if _same_file(out, inp):
                link = "" if os.fspath(out) == os.fspath(inp) else " (the same file)"
                raise OutputError(f"{os.fspath(out)}: {what} would overwrite the input "
                                  f"{os.fspath(inp)}{link}; choose an output path that is "
                                  "not an input")
        if is_device(out):
            continue  # /dev/null may take several outputs
        key = os.path.realpath(out)
        if key in seen:
            raise OutputError(f"{os.fspath(out)}: {what} would overwrite {seen[key]}; choose "
                              "different output paths")
        seen[key] = what


def write_text_atomic(target: Pathish, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)
