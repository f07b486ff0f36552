"""The on-disk gazetteer index: one SQLite file under geomap's home directory.

Sources (the embedded default, GeoNames dumps, user CSV files) are loaded into it once;
later processes only open the file and run indexed queries, so a lookup in a new
process costs milliseconds, not the seconds needed to parse the source files.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import GazetteerError
from geomap.gazetteer.normalize import name_key
from geomap.geodesy import great_circle_km
from geomap.place import Place

__all__ = ["PlaceRecord", "SourceInfo", "Index", "SCHEMA_VERSION"]

SCHEMA_VERSION = "4"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, path TEXT,
    fingerprint TEXT, count INTEGER NOT NULL DEFAULT 0, imported_at TEXT, modified TEXT,
    priority INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, ext_id TEXT NOT NULL,
    name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, cc TEXT NOT NULL,
    admin1 TEXT NOT NULL, admin2 TEXT NOT NULL, fclass TEXT NOT NULL, fcode TEXT NOT NULL,
    population INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS names (
    ckey TEXT NOT NULL, key TEXT NOT NULL, place_id INTEGER NOT NULL,
    is_primary INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS admin_names (
    source_id INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS skeletons (id INTEGER PRIMARY KEY, skel TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skeleton_keys (skel_id INTEGER NOT NULL, ckey TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS names_ckey ON names (ckey);
CREATE INDEX IF NOT EXISTS places_source ON places (source_id);
CREATE INDEX IF NOT EXISTS places_lat ON places (lat);
CREATE INDEX IF NOT EXISTS admin_names_code ON admin_names (code);
CREATE INDEX IF NOT EXISTS skeletons_skel ON skeletons (skel);
CREATE INDEX IF NOT EXISTS skeleton_keys_id ON skeleton_keys (skel_id);
"""


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One place as a source reader yields it, before it enters the index."""

    ext_id: str
    name: str
    lat: float
    lon: float
    country_code: str
    feature_class: str = "P"
    feature_code: str = "PPL"
    population: int = 0
    admin1: str = ""
    admin2: str = ""
    alternate_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source held by the index, as ``geomap gazetteer info`` lists it."""

    name: str
    kind: str
    path: str
    count: int
    imported_at: str
    modified: str
    fingerprint: str


class Index:
    """A SQLite gazetteer index.

    Parameters
    ----------
    path : pathlib.Path
        The index file; created (with its folder) when missing.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=120, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._ensure_schema()
        except sqlite3.Error as err:
            raise GazetteerError(f"cannot open the gazetteer index {self.path}: {err}") from err

    def _ensure_schema(self) -> None:
        version = None
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            version = row[0] if row else None
        except sqlite3.OperationalError:
            pass
        if version not in (None, SCHEMA_VERSION):
            self.conn.executescript(
                "DROP TABLE IF EXISTS names; DROP TABLE IF EXISTS places; "
                "DROP TABLE IF EXISTS sources; DROP TABLE IF EXISTS admin_names; "
                "DROP TABLE IF EXISTS skeletons; DROP TABLE IF EXISTS skeleton_keys; "
                "DROP TABLE IF EXISTS meta;"
            )
        self.conn.executescript(_SCHEMA + _INDEXES)
        self.conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,)
        )

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # -- sources -----------------------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        """Return the sources in the index, highest priority first."""
        rows = self.conn.execute(
            "SELECT name, kind, COALESCE(path,''), count, COALESCE(imported_at,''), "
            "COALESCE(modified,''), COALESCE(fingerprint,'') FROM sources "
            "ORDER BY priority DESC, name"
        ).fetchall()
        return [SourceInfo(*row) for row in rows]

    def fingerprint(self, source: str) -> str | None:
        """Return the fingerprint stored for ``source``, or ``None`` if it is absent."""
        row = self.conn.execute(
            "SELECT fingerprint FROM sources WHERE name=?", (source,)
        ).fetchone()
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
        modified: str = "",
    ) -> int:
        """Load ``records`` as source ``name``, replacing what it held before.

        Everything happens in one transaction: a failure leaves the index as it was.

        Returns
        -------
        int
            The number of places loaded.
        """
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            self._delete_source(cur, name)
            cur.execute(
                "INSERT INTO sources (name, kind, path, fingerprint, priority) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, kind, path, fingerprint, priority),
            )
            source_id = cur.lastrowid
            count = self._insert_records(cur, source_id, records)
            cur.executemany(
                "INSERT INTO admin_names VALUES (?, ?, ?)",
                ((source_id, code, label) for code, label in admin_names),
            )
            _bump_generation(cur)
            cur.execute(
                "UPDATE sources SET count=?, imported_at=?, modified=? WHERE id=?",
                (count, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), modified,
                 source_id),
            )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return count

    def remove_source(self, name: str) -> bool:
        """Drop source ``name``; return whether it was there."""
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        found = self._delete_source(cur, name)
        if found:
            _bump_generation(cur)
        cur.execute("COMMIT")
        return found

    @staticmethod
    def _delete_source(cur: sqlite3.Cursor, name: str) -> bool:
        row = cur.execute("SELECT id FROM sources WHERE name=?", (name,)).fetchone()
        if row is None:
            return False
        (source_id,) = row
        cur.execute(
            "DELETE FROM names WHERE place_id IN (SELECT id FROM places WHERE source_id=?)",
            (source_id,),
        )
        cur.execute("DELETE FROM places WHERE source_id=?", (source_id,))
        cur.execute("DELETE FROM admin_names WHERE source_id=?", (source_id,))
        cur.execute("DELETE FROM sources WHERE id=?", (source_id,))
        return True

    @staticmethod
    def _insert_records(
        cur: sqlite3.Cursor, source_id: int, records: Iterable[PlaceRecord]
    ) -> int:
        row = cur.execute("SELECT COALESCE(MAX(id), 0) FROM places").fetchone()
        next_id = row[0] + 1
        count = 0
        places: list[tuple] = []
        names: list[tuple] = []
        for rec in records:
            pid = next_id + count
            count += 1
            places.append(
                (pid, source_id, rec.ext_id, rec.name, rec.lat, rec.lon, rec.country_code,
                 rec.admin1, rec.admin2, rec.feature_class, rec.feature_code, rec.population)
            )
            names.extend(_name_rows(pid, rec))
            if len(places) >= 20_000:
                _flush(cur, places, names)
        _flush(cur, places, names)
        return count

    # -- fuzzy support -----------------------------------------------------------------
    def generation(self) -> int:
        """Return a counter that grows each time a source is loaded or removed."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def has_skeletons(self, generation: str) -> bool:
        """Tell whether the skeleton tables were built for ``generation``."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='skeletons'").fetchone()
        return bool(row) and row[0] == generation

    def store_skeletons(self, generation: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Replace the skeleton tables (used by :class:`geomap.gazetteer.fuzzy.FuzzyIndex`).

        Parameters
        ----------
        generation : str
            Recorded so that :meth:`has_skeletons` can tell the tables are current.
        pairs : iterable of (str, str)
            ``(form, ckey)``: a fuzzy form and a compact key it stands for. Each distinct
            form is numbered from 0 in the order of its first pair; the keys of a form keep
            the order of its pairs. The pairs are streamed into a temporary table and
            numbered by SQLite, so memory stays flat however many there are.
        """
        cur = self.conn.cursor()
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
            cur.execute("ROLLBACK")
            raise

    def skeleton_chunks(self, size: int) -> Iterator[list[tuple[int, str]]]:
        """Yield the ``(id, skeleton)`` rows in id order, ``size`` rows at a time."""
        cur = self.conn.execute("SELECT id, skel FROM skeletons ORDER BY id")
        while rows := cur.fetchmany(size):
            yield rows

    def skeleton_texts(self, ids: Iterable[int]) -> list[str]:
        """Return the skeleton texts of the given ids."""
        ids = list(ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [r[0] for r in self.conn.execute(
            f"SELECT skel FROM skeletons WHERE id IN ({marks})", ids)]

    def keys_of_skeleton(self, skel: str) -> list[str]:
        """Return the compact keys whose skeleton is ``skel``."""
        return [r[0] for r in self.conn.execute(
            "SELECT k.ckey FROM skeletons s JOIN skeleton_keys k ON k.skel_id = s.id "
            "WHERE s.skel = ?", (skel,))]

    # -- queries -----------------------------------------------------------------------
    def candidates(self, ckey: str) -> list[tuple]:
        """Return candidate rows whose compact key equals ``ckey``.

        Each row: ``(key, is_primary, ext_id, name, lat, lon, cc, admin1, admin2, fclass,
        fcode, population, source, priority)``.
        """
        return self.conn.execute(
            "SELECT n.key, n.is_primary, p.ext_id, p.name, p.lat, p.lon, p.cc, p.admin1, "
            "p.admin2, p.fclass, p.fcode, p.population, s.name, s.priority "
            "FROM names n JOIN places p ON p.id = n.place_id "
            "JOIN sources s ON s.id = p.source_id WHERE n.ckey = ?",
            (ckey,),
        ).fetchall()

    def settlements_near(self, lat: float, lon: float, radius_km: float,
                         cc: str | None) -> list[tuple[str, Place]]:
        """Return ``(compact key, Place)`` for every name of the populated places in the box
        around a point (the caller checks the true distance)."""
        where, args = _settlement_box(lat, lon, radius_km, cc)
        rows = self.conn.execute(
            "SELECT n.ckey, p.ext_id, p.name, p.cc, p.lat, p.lon, p.fclass, p.fcode, "
            "p.population, p.admin1, p.admin2, s.name "
            "FROM places p JOIN names n ON n.place_id = p.id "
            "JOIN sources s ON s.id = p.source_id WHERE " + where, args
        ).fetchall()
        return [(row[0], Place(*row[1:])) for row in rows]

    def count_settlements_near(self, lat: float, lon: float, radius_km: float,
                               cc: str | None) -> int:
        """Return how many distinct populated places lie within ``radius_km`` of a point."""
        where, args = _settlement_box(lat, lon, radius_km, cc)
        rows = self.conn.execute("SELECT p.ext_id, p.lat, p.lon FROM places p WHERE " + where,
                                 args)
        return len({ext_id for ext_id, plat, plon in rows
                    if great_circle_km(lat, lon, plat, plon) <= radius_km})

    def feature_classes(self, ckey: str) -> list[tuple[str, str, int]]:
        """Return ``(feature class, feature code, largest population)`` of the places that
        have a name of compact key ``ckey``, one row per class and code."""
        rows = self.conn.execute(
            "SELECT p.fclass, p.fcode, MAX(p.population) FROM names n "
            "JOIN places p ON p.id = n.place_id WHERE n.ckey = ? GROUP BY p.fclass, p.fcode",
            (ckey,),
        )
        return [(fclass, fcode, population or 0) for fclass, fcode, population in rows]

    def country_name(self, cc: str) -> str | None:
        """Return the name of the country entry (``PCL*``) of an ISO alpha-2 code."""
        row = self.conn.execute(
            "SELECT name FROM places WHERE cc = ? AND fcode LIKE 'PCL%' LIMIT 1", (cc,)
        ).fetchone()
        return row[0] if row else None

    def admin_name(self, code: str) -> str | None:
        """Return the name of an administrative code such as ``"ML.10"``."""
        row = self.conn.execute(
            "SELECT name FROM admin_names WHERE code=? LIMIT 1", (code,)
        ).fetchone()
        return row[0] if row else None


def _settlement_box(lat: float, lon: float, radius_km: float,
                    cc: str | None) -> tuple[str, list]:
    """SQL condition and arguments: populated places (of ``cc``) in the box around a point."""
    dlat = radius_km / 111.0
    dlon = dlat / max(0.05, math.cos(math.radians(lat)))
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


def is_code(alternate: str) -> bool:
    """Tell whether an alternate name is an airport or similar code, not a name.

    GeoNames mixes IATA/ICAO codes ("BKO", "GAO" for Guantánamo) into the alternate names;
    they are not how people write places and would make "Gao" mean Guantánamo.

    Examples
    --------
    >>> is_code("BKO"), is_code("GAO"), is_code("Gao"), is_code("DGAA")
    (True, True, False, True)
    """
    return 3 <= len(alternate) <= 4 and alternate.isascii() and alternate.isupper() \
        and alternate.isalpha()


def _name_rows(pid: int, rec: PlaceRecord) -> list[tuple]:
    rows: dict[str, tuple] = {}
    primary = name_key(rec.name)
    for i, raw in enumerate((rec.name, *rec.alternate_names)):
        if i and is_code(raw):
            continue
        key = primary if i == 0 else name_key(raw)
        if not key or key in rows:
            continue
        rows[key] = (key.replace(" ", ""), key, pid, 1 if i == 0 else 0)
    return list(rows.values())


def _flush(cur: sqlite3.Cursor, places: list[tuple], names: list[tuple]) -> None:
    cur.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
    cur.executemany("INSERT INTO names VALUES (?,?,?,?)", names)
    places.clear()
    names.clear()
