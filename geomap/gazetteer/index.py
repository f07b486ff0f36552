"""The on-disk gazetteer index: one SQLite file under geomap's home directory.

Sources (the embedded default, GeoNames dumps, user CSV files) are loaded into it once;
later processes only open the file and run indexed queries, so a lookup in a new
process costs milliseconds, not the seconds needed to parse the source files.

This is the only module of geomap that speaks SQL; it answers with the named records of
:mod:`geomap.gazetteer.records` or with :class:`~geomap.place.Place` s. The file is checked
when opened, and SQLite's errors are worded as one line (:mod:`geomap.gazetteer.integrity`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from geomap.gazetteer.integrity import guard_errors, open_checked, write_stamp
from geomap.gazetteer.records import (
    FeatureCount,
    NameRecord,
    PlaceRecord,
    SettlementName,
    SourceInfo,
)
from geomap.geodesy import great_circle_km
from geomap.place import Place

__all__ = ["Index", "SCHEMA_VERSION", "PlaceRecord", "SourceInfo", "NameRecord", "FeatureCount",
           "SettlementName", "LOCK_TIMEOUT_S", "KM_PER_DEGREE_LAT"]

#: Bump when the tables change: an index of another version is dropped and rebuilt.
SCHEMA_VERSION = "4"
#: How long a process waits for another one's write (an import of allCountries takes long).
LOCK_TIMEOUT_S = 120
#: Kilometres per degree of latitude, for the box around a point (callers check distances).
KM_PER_DEGREE_LAT = 111.0
# Near the poles a degree of longitude shrinks to nothing: the box stops widening there.
_MIN_COS_LAT = 0.05
_FLUSH_ROWS = 20_000  # places inserted per batch while loading a source

_TABLES = ("names", "places", "sources", "admin_names", "skeletons", "skeleton_keys", "meta")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, path TEXT,
    fingerprint TEXT, count INTEGER NOT NULL DEFAULT 0, imported_at TEXT, modified TEXT,
    priority INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, ext_id TEXT NOT NULL,
    name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, cc TEXT NOT NULL,
    admin1 TEXT NOT NULL, admin2 TEXT NOT NULL, fclass TEXT NOT NULL, fcode TEXT NOT NULL,
    population INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS names (
    ckey TEXT NOT NULL, key TEXT NOT NULL, place_id INTEGER NOT NULL, is_primary INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS admin_names (source_id INTEGER NOT NULL, code TEXT NOT NULL,
    name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skeletons (id INTEGER PRIMARY KEY, skel TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skeleton_keys (skel_id INTEGER NOT NULL, ckey TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS names_ckey ON names (ckey);
CREATE INDEX IF NOT EXISTS places_source ON places (source_id);
CREATE INDEX IF NOT EXISTS places_lat ON places (lat);
CREATE INDEX IF NOT EXISTS places_near ON places (cc, fclass, lat);
CREATE INDEX IF NOT EXISTS names_place ON names (place_id);
CREATE INDEX IF NOT EXISTS admin_names_code ON admin_names (code);
CREATE INDEX IF NOT EXISTS skeletons_skel ON skeletons (skel);
CREATE INDEX IF NOT EXISTS skeleton_keys_id ON skeleton_keys (skel_id);
"""
# The columns of a Place in field order (``Place(*row)``); ``p``: places, ``s``: its source.
_PLACE = ("p.ext_id, p.name, p.cc, p.lat, p.lon, p.fclass, p.fcode, p.population, p.admin1, "
          "p.admin2, s.name")
_PLACES = "places p JOIN sources s ON s.id = p.source_id"


@guard_errors(sqlite3.Error)  # SQLite's errors in a public method: one-line GazetteerErrors
class Index:
    """A SQLite gazetteer index (:class:`~geomap.errors.GazetteerError` if it cannot be opened).

    Parameters
    ----------
    path : pathlib.Path
        The index file; created (with its folder) when missing; read as it is (``read_only``)
        when its folder cannot be written. A damaged file is replaced by an empty index with
        a warning (``lost``: its imported sources), or refused when read-only.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> index = Index(pathlib.Path(tempfile.mkdtemp()) / "index.sqlite")
    >>> index.replace_source("mine", [PlaceRecord("mine:1", "Tin Zaouatine", 19.95, 2.97,
    ...                      "ML", alternate_names=("Ti-n-Zaouâtene",))], kind="csv")
    1
    >>> [(r.key, r.is_primary, r.place.name) for r in index.candidates("tinzaouatene")]
    [('ti n zaouatene', False, 'Tin Zaouatine')]
    >>> [s.name for s in index.sources()], index.remove_source("mine"), index.place_count()
    (['mine'], True, 0)
    >>> index.close()
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.read_only = self.path.is_file() and not os.access(self.path.parent, os.W_OK)
        self.lost: list[SourceInfo] = []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        open_checked(self)  # connects, or replaces a damaged file and fills ``lost``
        if not self.read_only:  # checked by the caller (schema_version) when read-only
            self.ensure_schema()

    def open_file(self) -> None:
        """(Re)open the file and read its schema (a read-only home's: immutable, no -wal)."""
        target = f"{self.path.resolve().as_uri()}?immutable=1" if self.read_only else self.path
        self._conn = sqlite3.connect(target, uri=True, timeout=LOCK_TIMEOUT_S,
                                     isolation_level=None)
        if not self.read_only:
            self._conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
        self._conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()

    def quick_check(self) -> str:
        """Return SQLite's quick check of the whole file: ``"ok"`` or its first problem."""
        return self._conn.execute("PRAGMA quick_check(1)").fetchone()[0]

    def _settle(self) -> None:
        """Copy the write-ahead log into the file, then stamp the file as sound."""
        busy, frames, copied = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy and frames == copied:
            write_stamp(self.path)

    def ensure_schema(self) -> None:
        """Create the tables (those of another schema version are dropped first)."""
        version = self.schema_version()
        if version == SCHEMA_VERSION:  # nothing written: the file stays as it was stamped
            return
        if version is not None:
            self._conn.executescript("".join(f"DROP TABLE IF EXISTS {t};" for t in _TABLES))
        self._conn.executescript(_SCHEMA + _INDEXES)
        self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        self._settle()

    def schema_version(self) -> str | None:
        """Return the schema version the file records, ``None`` for a new file."""
        try:
            return self._meta("schema")
        except sqlite3.OperationalError:
            return None

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def copy_to(self, path: str | Path) -> None:
        """Write a consistent copy of the whole index to ``path`` (SQLite's online backup)."""
        target = sqlite3.connect(Path(path))
        try:
            self._conn.backup(target)
        finally:
            target.close()
        write_stamp(Path(path))

    # -- sources -----------------------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        """Return the sources in the index, highest priority first."""
        rows = self._conn.execute(
            "SELECT name, kind, COALESCE(path,''), count, COALESCE(imported_at,''), "
            "COALESCE(modified,''), COALESCE(fingerprint,'') FROM sources "
            "ORDER BY priority DESC, name"
        ).fetchall()
        return [SourceInfo(*row) for row in rows]  # the columns in SourceInfo's field order

    def fingerprint(self, source: str) -> str | None:
        """Return the fingerprint stored for ``source``, or ``None`` if it is absent."""
        row = self._conn.execute("SELECT fingerprint FROM sources WHERE name=?",
                                 (source,)).fetchone()
        return row[0] if row else None

    def replace_source(
        self,
        name: str,
        records: Iterable[PlaceRecord],
        *,
        kind: str,
        path: str = "",
        fingerprint: str = "",
        priority: int = 0,
        admin_names: Iterable[tuple[str, str]] = (),
        modified: str | Callable[[], str] = "",
    ) -> int:
        """Load ``records`` as source ``name``, replacing what it held before; return how
        many places were loaded.

        Everything happens in one transaction: a failure leaves the index as it was.
        ``records`` are streamed; ``admin_names`` (``("ML.10", "Kidal Region")`` pairs)
        are read after them, then ``modified`` (a function: a date known once they are
        read); the higher ``priority`` wins when two sources hold one place.
        """
        cur = self._conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            self._delete_source(cur, name)
            cur.execute("INSERT INTO sources (name, kind, path, fingerprint, priority) "
                        "VALUES (?, ?, ?, ?, ?)", (name, kind, path, fingerprint, priority))
            source_id = cur.lastrowid
            count = self._insert_records(cur, source_id, records)
            cur.executemany("INSERT INTO admin_names VALUES (?, ?, ?)",
                            ((source_id, code, label) for code, label in admin_names))
            _bump_generation(cur)
            cur.execute(
                "UPDATE sources SET count=?, imported_at=?, modified=? WHERE id=?",
                (count, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                 modified() if callable(modified) else modified, source_id),
            )
            cur.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:  # not after a full disk: SQLite rolled back itself
                cur.execute("ROLLBACK")
            raise
        self._settle()
        return count

    def remove_source(self, name: str) -> bool:
        """Drop source ``name``; return whether it was there."""
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        found = self._delete_source(cur, name)
        if found:
            _bump_generation(cur)
        cur.execute("COMMIT")
        self._settle()
        return found

    @staticmethod
    def _delete_source(cur: sqlite3.Cursor, name: str) -> bool:
        row = cur.execute("SELECT id FROM sources WHERE name=?", (name,)).fetchone()
        if row is None:
            return False
        for sql in ("DELETE FROM names WHERE place_id IN (SELECT id FROM places WHERE "
                    "source_id=?)", "DELETE FROM places WHERE source_id=?",
                    "DELETE FROM admin_names WHERE source_id=?", "DELETE FROM sources WHERE id=?"):
            cur.execute(sql, row)
        return True

    @staticmethod
    def _insert_records(cur: sqlite3.Cursor, source_id: int,
                        records: Iterable[PlaceRecord]) -> int:
        (first_id,) = cur.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM places").fetchone()
        pid = first_id - 1
        places: list[tuple] = []
        names: list[tuple] = []
        for pid, rec in enumerate(records, start=first_id):
            places.append((pid, source_id, rec.ext_id, rec.name, rec.lat, rec.lon,
                           rec.country_code, rec.admin1, rec.admin2, rec.feature_class,
                           rec.feature_code, rec.population))
            names.extend((key.replace(" ", ""), key, pid, int(primary))
                         for key, primary in rec.name_keys())
            if len(places) >= _FLUSH_ROWS:
                _flush(cur, places, names)
        _flush(cur, places, names)
        return pid - first_id + 1

    # -- fuzzy support -----------------------------------------------------------------
    def generation(self) -> int:
        """Return a counter that grows each time a source is loaded or removed."""
        return int(self._meta("generation") or 0)

    def compact_keys(self) -> Iterator[str]:
        """Yield every distinct compact key of the indexed names, in sorted order."""
        for (ckey,) in self._conn.execute("SELECT DISTINCT ckey FROM names ORDER BY ckey"):
            yield ckey

    def has_skeletons(self, generation: str) -> bool:
        """Tell whether the skeleton tables were built for ``generation``."""
        return self._meta("skeletons") == generation

    def store_skeletons(self, generation: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Replace the skeleton tables (used by :class:`geomap.gazetteer.fuzzy.FuzzyIndex`),
        recording ``generation`` (see :meth:`has_skeletons`).

        ``pairs``: ``(form, ckey)``, a fuzzy form and a compact key it stands for. Each
        distinct form is numbered from 0 in the order of its first pair; the keys of a form
        keep the order of its pairs. The pairs are streamed into a temporary table and
        numbered by SQLite, so memory stays flat however many there are.
        """
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.execute("DELETE FROM skeletons")
            cur.execute("DELETE FROM skeleton_keys")
            cur.execute("DROP TABLE IF EXISTS temp.skeleton_pairs")
            cur.execute("CREATE TEMP TABLE skeleton_pairs (form TEXT NOT NULL, ckey TEXT NOT NULL)")
            cur.executemany("INSERT INTO temp.skeleton_pairs VALUES (?, ?)", pairs)
            cur.execute(
                "INSERT INTO skeletons (id, skel) SELECT row_number() OVER "
                "(ORDER BY MIN(rowid)) - 1, form FROM temp.skeleton_pairs GROUP BY form"
            )
            cur.execute(
                "INSERT INTO skeleton_keys SELECT s.id, p.ckey FROM temp.skeleton_pairs p "
                "JOIN skeletons s ON s.skel = p.form ORDER BY p.rowid"
            )
            cur.execute("DROP TABLE temp.skeleton_pairs")
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('skeletons', ?)", (str(generation),))
            cur.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                cur.execute("ROLLBACK")
            raise
        self._settle()

    def skeleton_count(self) -> int:
        """Return how many fuzzy forms the skeleton tables hold."""
        return self._conn.execute("SELECT COUNT(*) FROM skeletons").fetchone()[0]

    def skeleton_chunks(self, size: int) -> Iterator[list[tuple[int, str]]]:
        """Yield the ``(id, skeleton)`` pairs in id order, ``size`` pairs at a time.

        Plain pairs, not records: the fuzzy index hashes millions of them.
        """
        cur = self._conn.execute("SELECT id, skel FROM skeletons ORDER BY id")
        while rows := cur.fetchmany(size):
            yield rows

    def skeleton_texts(self, ids: Iterable[int]) -> list[str]:
        """Return the skeleton texts of the given ids."""
        ids = list(ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [skel for (skel,) in self._conn.execute(
            f"SELECT skel FROM skeletons WHERE id IN ({marks})", ids)]

    def keys_of_skeleton(self, skel: str) -> list[str]:
        """Return the compact keys whose skeleton is ``skel``."""
        return [ckey for (ckey,) in self._conn.execute(
            "SELECT k.ckey FROM skeletons s JOIN skeleton_keys k ON k.skel_id = s.id "
            "WHERE s.skel = ?", (skel,))]

    # -- queries -----------------------------------------------------------------------
    def candidates(self, ckey: str) -> list[NameRecord]:
        """Return a record for every indexed name whose compact key equals ``ckey``.

        Examples
        --------
        >>> from geomap.gazetteer.lookup import default_gazetteer
        >>> records = default_gazetteer().index.candidates("bamako")
        >>> any(r.is_primary and r.place.country_code == "ML" for r in records)
        True
        """
        rows = self._conn.execute(
            f"SELECT n.key, n.is_primary, s.priority, {_PLACE} "
            "FROM names n JOIN places p ON p.id = n.place_id "
            "JOIN sources s ON s.id = p.source_id WHERE n.ckey = ?",
            (ckey,),
        ).fetchall()
        return [NameRecord(key, bool(primary), Place(*place), priority)
                for key, primary, priority, *place in rows]

    def settlements_near(self, lat: float, lon: float, radius_km: float,
                         cc: str | None) -> list[SettlementName]:
        """Return every name of the populated places (of country ``cc``) in the box around
        a point; the box is ``radius_km`` wide each way, the caller checks the true distance.
        """
        where, args = _settlement_box(lat, lon, radius_km, cc)
        rows = self._conn.execute(
            f"SELECT n.ckey, {_PLACE} FROM places p JOIN names n ON n.place_id = p.id "
            "JOIN sources s ON s.id = p.source_id WHERE " + where, args
        ).fetchall()
        return [SettlementName(ckey, Place(*place)) for ckey, *place in rows]

    def count_settlements_near(self, lat: float, lon: float, radius_km: float,
                               cc: str | None) -> int:
        """Return how many distinct populated places lie within ``radius_km`` of a point."""
        where, args = _settlement_box(lat, lon, radius_km, cc)
        rows = self._conn.execute("SELECT p.ext_id, p.lat, p.lon FROM places p WHERE " + where,
                                  args)
        return len({ext_id for ext_id, plat, plon in rows
                    if great_circle_km(lat, lon, plat, plon) <= radius_km})

    def feature_classes(self, ckey: str) -> list[FeatureCount]:
        """Return the kinds of feature that bear a name of compact key ``ckey``: one record
        per feature class and code, with the largest population among them."""
        rows = self._conn.execute(
            "SELECT p.fclass, p.fcode, MAX(p.population) FROM names n "
            "JOIN places p ON p.id = n.place_id WHERE n.ckey = ? GROUP BY p.fclass, p.fcode",
            (ckey,),
        )
        return [FeatureCount(fclass, fcode, population or 0)
                for fclass, fcode, population in rows]

    def country_name(self, cc: str) -> str | None:
        """Return the name of the country entry (``PCL*``) of an ISO alpha-2 code."""
        row = self._conn.execute(
            "SELECT name FROM places WHERE cc = ? AND fcode LIKE 'PCL%' LIMIT 1", (cc,)
        ).fetchone()
        return row[0] if row else None

    def admin_name(self, code: str) -> str | None:
        """Return the name of an administrative code such as ``"ML.10"``."""
        row = self._conn.execute("SELECT name FROM admin_names WHERE code=? LIMIT 1",
                                 (code,)).fetchone()
        return row[0] if row else None

    # -- whole-index views (tests, benchmarks, ``geomap gazetteer info``) ----------------
    def place_count(self) -> int:
        """Return how many places the index holds, over all sources."""
        return self._conn.execute("SELECT COUNT(*) FROM places").fetchone()[0]

    def places_of(self, source: str) -> Iterator[Place]:
        """Yield the places of one source, ordered by identifier."""
        for row in self._conn.execute(
                f"SELECT {_PLACE} FROM {_PLACES} WHERE s.name = ? ORDER BY p.ext_id", (source,)):
            yield Place(*row)

    def place_names(self) -> Iterator[str]:
        """Yield the preferred name of every place (a name once per place that bears it)."""
        for (name,) in self._conn.execute("SELECT name FROM places"):
            yield name


def _settlement_box(lat: float, lon: float, radius_km: float,
                    cc: str | None) -> tuple[str, list]:
    """SQL condition and arguments: populated places (of ``cc``) in the box around a point."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    dlon = dlat / max(_MIN_COS_LAT, math.cos(math.radians(lat)))
    where = "p.lat BETWEEN ? AND ? AND p.lon BETWEEN ? AND ? AND p.fclass = 'P'"
    args: list = [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
    if cc:
        where += " AND p.cc = ?"
        args.append(cc)
    return where, args


def _bump_generation(cur: sqlite3.Cursor) -> None:
    cur.execute(
        "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE "
        "SET value = CAST(value AS INTEGER) + 1"
    )


def _flush(cur: sqlite3.Cursor, places: list[tuple], names: list[tuple]) -> None:
    cur.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
    cur.executemany("INSERT INTO names VALUES (?,?,?,?)", names)
    places.clear()
    names.clear()
