"""Coordinate QA: do a row's coordinates agree with its place name?

For every input row that carries both a place name (``location``) and coordinates,
:func:`check_coordinates` geocodes the name (with the row's ``country`` and ``admin1`` to
``admin3`` as hints) and reports two kinds of disagreement:

``far_from_name``
    the row's point lies more than ``threshold_km`` (geodesic, WGS84) from where the
    name resolves. Names that resolve to an area (a country, a region: ACLED
    geo_precision 3) are not distance-checked: their point is a centroid.
``country_mismatch``
    the country the gazetteer gives the place differs from the Natural Earth (1:10m)
    country polygon the row's point falls in. Border towns do this: GeoNames codes
    Ti-n-Zaouâtene as Mali while its point lies inside Algeria's polygon. The report
    shows both countries; it never replaces the gazetteer's country with the polygon's.

Each distinct (location, country, admin1 to admin3) is geocoded once; ACLED "monadic"
exports, which repeat an event once per actor, are checked once per event (its first
row), with the loader's rule (:func:`~geomap.incidents.validate.monadic_repeats`: the
same id, date, place and fatalities); rows that share an id but differ are each checked.
Names that do not resolve are counted (and listed as ``unresolved`` on request).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geomap.errors import InputFileError
from geomap.incidents.locate import country_codes, dominant_countries, place_keys
from geomap.incidents.read import TABLE_NAME, Source, read_records, source_name
from geomap.incidents.rejects import (
    SKIP,
    STRICT,
    check_on_bad_rows,
    no_problems,
    rejected_phrases,
    rejected_rows,
)
from geomap.incidents.schema import (
    COORDINATE_COLUMNS,
    EVENT_ID_COLUMN,
    HINT_COLUMNS,
    PLACE_COLUMN,
    ROW_COLUMN,
)
from geomap.incidents.validate import (
    coordinate_problems,
    event_values,
    merge_phrases,
    monadic_conflicts,
    monadic_repeats,
    parse_coordinates,
)

if TYPE_CHECKING:
    from geomap.gazetteer.lookup import Gazetteer
    from geomap.place import Match, Place

__all__ = [
    "REPORT_COLUMNS",
    "ISSUE_FAR",
    "ISSUE_COUNTRY",
    "ISSUE_UNRESOLVED",
    "DEFAULT_THRESHOLD_KM",
    "CheckReport",
    "check_coordinates",
    "check_records",
    "write_report",
    "write_rejected",
]

REPORT_COLUMNS = (
    "row", "location", "country", "latitude", "longitude", "issue", "resolved_name",
    "resolved_lat", "resolved_lon", "distance_km", "polygon_country", "gazetteer_country",
)
ISSUE_FAR = "far_from_name"
ISSUE_COUNTRY = "country_mismatch"
ISSUE_UNRESOLVED = "unresolved"
#: The default distance (km) beyond which a row's point is far from its name.
DEFAULT_THRESHOLD_KM = 50.0
_LATITUDE, _LONGITUDE = COORDINATE_COLUMNS
_COUNTRY = HINT_COLUMNS[0]
_NEEDED = (PLACE_COLUMN, *COORDINATE_COLUMNS)
#: GeoNames class of areas (countries, regions): their point is a centroid, not a place.
_AREA_CLASS = "A"


@dataclass(frozen=True)
class CheckReport:
    """The outcome of :func:`check_coordinates`.

    Attributes
    ----------
    issues : pandas.DataFrame
        One row per finding, columns :data:`REPORT_COLUMNS`, in input order.
    rows_read : int
        Data rows in the input.
    rows_checked : int
        Rows (one per event) with coordinates and a place name that resolved.
    unresolved : int
        Rows with coordinates whose place name did not resolve (not checked).
    threshold_km : float
        The distance threshold used.
    path : str
        The input file, or what messages call the table.
    hint : str
        Advice to import GeoNames (:func:`geomap.gazetteer.advice.import_hint`), or "".
    merged : int
        Rows that repeat another row of the same ACLED event (not checked again).
    conflicts : int
        Rows that share an event id with another row but not its date, place or
        fatalities (each checked).
    rejected : pandas.DataFrame
        Rows set aside for a coordinate that is not a number in range (``on_bad_rows=
        "skip"``), as :func:`~geomap.incidents.rejects.rejected_rows` lists them.
    rejected_file : str
        Where they were written, if they were.
    """

    issues: pd.DataFrame
    rows_read: int
    rows_checked: int
    unresolved: int
    threshold_km: float
    path: str
    hint: str = ""
    merged: int = 0
    conflicts: int = 0
    rejected: pd.DataFrame = field(default_factory=no_problems)
    rejected_file: str = ""

    def count(self, issue: str) -> int:
        """Return how many findings of one kind the report holds."""
        return int((self.issues["issue"] == issue).sum())

    def summary(self) -> str:
        """One line for stderr: what was checked and found, then the rows merged into
        their event and those kept apart (:func:`~geomap.incidents.validate.merge_phrases`).
        """
        line = (
            f"{self.path}: checked {self.rows_checked} of {self.rows_read} rows: "
            f"{self.count(ISSUE_FAR)} more than {self.threshold_km:g} km from where their "
            f"name resolves, {self.count(ISSUE_COUNTRY)} in another country's polygon than "
            f"the gazetteer's; {self.unresolved} with an unresolved name (not checked)"
        )
        return "; ".join([line, *merge_phrases(self.merged, self.conflicts),
                          *rejected_phrases(len(self.rejected), self.rejected_file)])


# -- reading ---------------------------------------------------------------------------
def _rows_to_check(frame: pd.DataFrame, path: str) -> tuple[pd.DataFrame, int, int]:
    """Rows with a location and both coordinates, one per ACLED event, typed; and how
    many rows repeat an event and how many share an id with another event."""
    missing = [c for c in _NEEDED if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns if c != ROW_COLUMN) or "none"
        raise InputFileError(
            f"{path}: coordinate QA needs the column(s) {', '.join(missing)} (found: {found})"
        )
    frame = frame.copy()
    for col in (*HINT_COLUMNS, PLACE_COLUMN, EVENT_ID_COLUMN):
        frame[col] = frame[col].fillna("").astype(str).str.strip() if col in frame else ""
    frame[_LATITUDE], frame[_LONGITUDE] = parse_coordinates(frame, path)
    events = event_values(frame)
    repeat = monadic_repeats(events)
    keep = frame[_LATITUDE].notna() & frame[PLACE_COLUMN].ne("") & ~repeat
    return (frame[keep].reset_index(drop=True), int(repeat.sum()),
            int(monadic_conflicts(events).sum()))


# -- geocoding -------------------------------------------------------------------------
def _resolve(gaz: Gazetteer, frame: pd.DataFrame) -> list[Match]:
    """Geocode each distinct (location, country, admin1, admin2, admin3) once, together.

    Unresolved rows get a match without a place whose ``rule`` is the reason. No area
    fallback: a commune's centre is not where the name lies, so it cannot check a point.
    """
    from geomap.gazetteer.batch import resolve_keys

    prior = dominant_countries(country_codes(gaz, frame[_COUNTRY]))
    keys = place_keys(frame)
    found = resolve_keys(gaz, list(dict.fromkeys(keys)), prefer=prior, area_fallback=False)
    return [found[k] for k in keys]


# -- checking --------------------------------------------------------------------------
def _distances_km(frame: pd.DataFrame, places: list[Place | None]) -> list[float]:
    from pyproj import Geod

    if not places:
        return []
    geod = Geod(ellps="WGS84")
    lons = [p.lon if p else 0.0 for p in places]
    lats = [p.lat if p else 0.0 for p in places]
    _, _, metres = geod.inv(frame[_LONGITUDE].tolist(), frame[_LATITUDE].tolist(), lons, lats)
    return [m / 1000 if p else math.nan for m, p in zip(metres, places, strict=True)]


def _finding(rec: tuple, issue: str, place: Place | None, distance: float,
             polygon: str | None) -> dict[str, object]:
    return {
        "row": int(rec.row), "location": rec.location, "country": rec.country,
        "latitude": rec.latitude, "longitude": rec.longitude, "issue": issue,
        "resolved_name": place.name if place else "",
        "resolved_lat": place.lat if place else math.nan,
        "resolved_lon": place.lon if place else math.nan,
        "distance_km": round(distance, 1) if math.isfinite(distance) else math.nan,
        "polygon_country": polygon or "",
        "gazetteer_country": place.country_code if place else "",
    }


def _row_findings(rec: tuple, match: Match, distance: float, polygon: str | None,
                  threshold_km: float, include_unresolved: bool) -> list[dict[str, object]]:
    place = match.place
    if place is None:
        return [_finding(rec, ISSUE_UNRESOLVED, None, math.nan, polygon)] \
            if include_unresolved else []
    found = []
    if place.feature_class != _AREA_CLASS and distance > threshold_km:
        found.append(_finding(rec, ISSUE_FAR, place, distance, polygon))
    if polygon and place.country_code and polygon != place.country_code:
        found.append(_finding(rec, ISSUE_COUNTRY, place, distance, polygon))
    return found


def check_records(
    frame: pd.DataFrame,
    *,
    gazetteer: Gazetteer | None = None,
    threshold_km: float = DEFAULT_THRESHOLD_KM,
    include_unresolved: bool = False,
    path: str = TABLE_NAME,
) -> CheckReport:
    """Check the coordinates of records as :func:`~geomap.incidents.read.read_records` returns them.

    Parameters are those of :func:`check_coordinates`; ``path`` only names the input in
    messages.
    """
    from geomap.borders.layers import country_of_points
    from geomap.gazetteer.advice import import_hint
    from geomap.gazetteer.lookup import default_gazetteer

    if not (math.isfinite(threshold_km) and threshold_km > 0):
        raise ValueError(f"threshold_km must be a positive number of km, got {threshold_km}")
    rows, merged, conflicts = _rows_to_check(frame, path)
    matches = _resolve(gazetteer or default_gazetteer(), rows)
    places = [m.place for m in matches]
    distances = _distances_km(rows, places)
    polygons = country_of_points(rows[_LONGITUDE], rows[_LATITUDE]).tolist() \
        if len(rows) else []
    findings = []
    for rec, match, dist, poly in zip(rows.itertuples(index=False), matches, distances,
                                      polygons, strict=True):
        findings.extend(_row_findings(rec, match, dist, poly, threshold_km, include_unresolved))
    issues = pd.DataFrame(findings, columns=list(REPORT_COLUMNS))
    unresolved = sum(p is None for p in places)
    hint = import_hint(gazetteer or default_gazetteer(), rows[PLACE_COLUMN], rows[_COUNTRY],
                       [p is not None for p in places]) if unresolved else None
    return CheckReport(issues, len(frame), len(rows) - unresolved, unresolved, threshold_km,
                       path, str(hint) if hint else "", merged, conflicts)


def check_coordinates(
    source: Source,
    *,
    gazetteer: Gazetteer | None = None,
    threshold_km: float = DEFAULT_THRESHOLD_KM,
    include_unresolved: bool = False,
    name: str | None = None,
    on_bad_rows: str = STRICT,
) -> CheckReport:
    """Report rows whose coordinates disagree with their place name or its country.

    Parameters
    ----------
    source : path-like or pandas.DataFrame
        An incident file (CSV, JSON, GeoJSON) or table (see
        :func:`~geomap.incidents.read.read_records`) with ``location``, ``latitude`` and
        ``longitude`` columns; ``country``, ``admin1`` to ``admin3`` are used as hints
        when present.
    gazetteer : Gazetteer, optional
        Default :func:`geomap.gazetteer.lookup.default_gazetteer`.
    threshold_km : float
        Report rows more than this many km from where their name resolves.
    include_unresolved : bool
        Also list rows whose name does not resolve (issue ``unresolved``).
    name : str, optional
        What messages call the input; default the path, or ``<table>`` for a table.
    on_bad_rows : {"strict", "skip"}
        At a coordinate that is not a number in range (or only one of the two): stop
        (``"strict"``), or set the row aside in :attr:`CheckReport.rejected` and check
        the others (``"skip"``).

    Returns
    -------
    CheckReport

    Raises
    ------
    InputFileError, RowError
        If the input cannot be read or a coordinate is not a number in range.
    """
    label = source_name(source, name)
    frame = read_records(source, name=label)
    if check_on_bad_rows(on_bad_rows) == SKIP:
        problems = coordinate_problems(frame, label)
        rejected = rejected_rows(frame, problems)
        frame = frame[~frame[ROW_COLUMN].isin(problems[ROW_COLUMN])]
    report = check_records(frame, gazetteer=gazetteer, threshold_km=threshold_km,
                           include_unresolved=include_unresolved, path=label)
    if on_bad_rows == SKIP:
        report = replace(report, rows_read=report.rows_read + len(rejected), rejected=rejected)
    return report


def write_report(report: CheckReport, output: str | Path, *, raw_csv: bool = False) -> Path:
    """Write the findings as CSV (UTF-8, :data:`REPORT_COLUMNS`), atomically; cells a
    spreadsheet would run as formulas are neutralised unless ``raw_csv``
    (:func:`geomap.safe_csv.write_csv`)."""
    from geomap.safe_csv import write_csv

    return write_csv(report.issues, output, raw=raw_csv)


def write_rejected(report: CheckReport, output: str | Path, *,
                   raw_csv: bool = False) -> CheckReport:
    """Write the rows set aside (:attr:`CheckReport.rejected`) as CSV, as
    :func:`write_report` writes the findings; return the report that names the file."""
    from geomap.safe_csv import write_csv

    write_csv(report.rejected, output, raw=raw_csv)
    return replace(report, rejected_file=str(output))
