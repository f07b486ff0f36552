"""Building the gazetteer index in one step: the embedded default, then the fuzzy structure.

The first command that needs the gazetteer loads the embedded default into the SQLite
index (:mod:`geomap.gazetteer.index`, about 11 s) and builds the fuzzy-name structure next
to it (:mod:`geomap.gazetteer.fuzzy`, about 13 s), with a progress bar for each stage on a
terminal; later processes only open both, in milliseconds. An import or a removal
(:mod:`geomap.gazetteer.importer`) rebuilds the fuzzy structure at once
(:func:`refresh_fuzzy`), so that no lookup has to.

An index that cannot be written (a read-only ``$GEOMAP_HOME``) is used as it is: a stale
default part or a missing fuzzy structure is a warning, never an error.

A damaged index is replaced by an empty one when opened (:mod:`geomap.gazetteer.integrity`);
the build then loads the default again and imports again the sources whose files are
still where they were imported from. Each part is loaded in one transaction, and the
fuzzy arrays are moved into place only once written: a build stopped by a full disk (one
line of error) or killed leaves nothing that a later run takes for complete.
"""

from __future__ import annotations

import logging
from pathlib import Path

from geomap.errors import DiskFullError, GazetteerError, GeomapError
from geomap.gazetteer.filesource import PLACES_BATCH, PRIORITIES, load_file
from geomap.gazetteer.fuzzy import build_fuzzy, damaged_fuzzy_notice, fuzzy_problem, is_current
from geomap.gazetteer.index import SCHEMA_VERSION, Index
from geomap.gazetteer.integrity import IMPORT_HINT
from geomap.gazetteer.progress import Progress, note

__all__ = ["build_index", "load_default", "import_lost", "refresh_fuzzy", "PLACES_BATCH"]

log = logging.getLogger(__name__)


def load_default(index: Index, *, progress: bool = True) -> list[str]:
    """Load the parts of the embedded default that are missing or stale.

    Parameters
    ----------
    index : Index
        The index to fill.
    progress : bool
        Show a progress bar for each part (on a terminal, see
        :class:`~geomap.gazetteer.progress.Progress`).

    Returns
    -------
    list of str
        The names of the parts loaded (none when the index was current, or read-only).

    Raises
    ------
    DiskFullError
        If the disk fills up; the part being loaded is left out (and loaded next time).
    """
    from geomap.gazetteer.sources.default import default_sources

    stale = [part for part in default_sources()
             if index.fingerprint(part.name) != part.fingerprint]
    if not stale:
        return []
    if index.read_only:
        log.warning("the gazetteer index %s is read-only: using it as it is, without the "
                    "newer %s", index.path, "; ".join(part.description for part in stale))
        return []
    note(log, "building the gazetteer index %s (once, about 25 s): %s", index.path,
         "; ".join(part.description for part in stale))
    for part in stale:
        with Progress(progress, part.name, None, " places", batch=PLACES_BATCH) as bar:
            try:
                index.replace_source(
                    part.name, bar.track(part.records()), kind="default",
                    path=part.description, fingerprint=part.fingerprint, priority=part.priority,
                )
            except DiskFullError as err:
                raise DiskFullError(f"no space left on device while building the gazetteer "
                                    f"index at {index.path}: free some space and run the "
                                    "command again") from err
    return [part.name for part in stale]


def import_lost(index: Index, *, progress: bool = True) -> list[str]:
    """Import again the sources of a damaged file (``index.lost``) whose files are still
    where they were imported from; say which could not be.

    Returns
    -------
    list of str
        The names of the sources imported again.
    """
    done = []
    for source in index.lost:
        path = Path(source.path) if source.path else None
        if path is None or not path.is_file() or source.kind not in PRIORITIES:
            continue  # the damage notice named it as lost
        try:
            load_file(index, path, source.name, source.kind, progress=progress)
        except DiskFullError:
            raise
        except GeomapError as err:  # the file changed since: say so, build the rest
            log.warning("could not import %s again from %s (%s): import it yourself (%s)",
                        source.name, path, err, IMPORT_HINT)
            continue
        done.append(source.name)
    index.lost = []
    return done


def refresh_fuzzy(index: Index, *, progress: bool = True) -> bool:
    """Build the fuzzy-name structure of the index if it is missing or stale.

    Returns
    -------
    bool
        Whether it was built (``False``: it was current, or the index is read-only).
    """
    if is_current(index) or index.read_only:  # a fuzzy lookup says what a read-only one lacks
        return False
    if problem := fuzzy_problem(index):
        log.warning("%s", damaged_fuzzy_notice(index, problem))
    build_fuzzy(index, progress=progress)
    return True


def build_index(index: Index, *, progress: bool = True) -> None:
    """Make the index complete: the embedded default loaded, the sources of a damaged file
    imported again (:func:`import_lost`), the fuzzy structure current.

    Costs a few file and SQL checks when both are (every process does this once).

    Raises
    ------
    GazetteerError
        If the index is read-only and of another schema than this geomap's.
    """
    if index.read_only and index.schema_version() != SCHEMA_VERSION:
        raise GazetteerError(
            f"the gazetteer index {index.path} is read-only and was built by another version "
            "of geomap: build it again where it can be written, or point $GEOMAP_HOME "
            "at a writable folder"
        )
    load_default(index, progress=progress)
    import_lost(index, progress=progress)
    refresh_fuzzy(index, progress=progress)
