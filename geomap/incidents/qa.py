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
row). Names that do not resolve are counted (and listed as ``unresolved`` on request).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geomap.errors import InputFileError, RowError
from geomap.incidents.load import dominant_countries

if TYPE_CHECKING:
    from geomap.gazetteer.lookup import Gazetteer
    from geomap.place import Match

__all__ = [
    "REPORT_COLUMNS",
    "ISSUE_FAR",
    "ISSUE_COUNTRY",
    "ISSUE_UNRESOLVED",
    "CheckReport",
    "check_coordinates",
    "check_records",
    "write_report",
]

REPORT_COLUMNS = (
    "row", "location", "country", "latitude", "longitude", "issue", "resolved_name",
    "resolved_lat", "resolved_lon", "distance_km", "polygon_country", "gazetteer_country",
)
ISSUE_FAR = "far_from_name"
ISSUE_COUNTRY = "country_mismatch"
ISSUE_UNRESOLVED = "unresolved"
_HINTS = ("country", "admin1", "admin2", "admin3")


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
        The input file.
    """

    issues: pd.DataFrame
    rows_read: int
    rows_checked: int
    unresolved: int
    threshold_km: float
    path: str

    def count(self, issue: str) -> int:
        """Return how many findings of one kind the report holds."""
        return int((self.issues["issue"] == issue).sum())

    def summary(self) -> str:
        """One line for stderr."""
        return (
            f"{self.path}: checked {self.rows_checked} of {self.rows_read} rows: "
            f"{self.count(ISSUE_FAR)} more than {self.threshold_km:g} km from where their "
            f"name resolves, {self.count(ISSUE_COUNTRY)} in another country's polygon than "
            f"the gazetteer's; {self.unresolved} with an unresolved name (not checked)"
        )


# -- reading ---------------------------------------------------------------------------
def _coordinate(text: str, path: str, row: int, column: str, limit: float) -> float:
    text = str(text).strip()
    if not text:
        return math.nan
    try:
        value = float(text.replace(",", ".") if text.count(",") == 1 else text)
    except ValueError:
        raise RowError(path, row, column, f"{text!r} is not a number") from None
    if not (math.isfinite(value) and -limit <= value <= limit):
        raise RowError(path, row, column, f"{text!r} is outside [-{limit:g}, {limit:g}]")
    return value


def _rows_to_check(frame: pd.DataFrame, path: str) -> pd.DataFrame:
    """Rows with a location and both coordinates, one per ACLED event, typed."""
    missing = [c for c in ("location", "latitude", "longitude") if c not in frame.columns]
    if missing:
        found = ", ".join(repr(c) for c in frame.columns if c != "row") or "none"
        raise InputFileError(
            f"{path}: coordinate QA needs the column(s) {', '.join(missing)} (found: {found})"
        )
    frame = frame.copy()
    for col in (*_HINTS, "location", "event_id_cnty"):
        frame[col] = frame[col].fillna("").astype(str).str.strip() if col in frame else ""
    frame["latitude"] = [_coordinate(v, path, r, "latitude", 90)
                         for v, r in zip(frame["latitude"], frame["row"], strict=True)]
    frame["longitude"] = [_coordinate(v, path, r, "longitude", 180)
                          for v, r in zip(frame["longitude"], frame["row"], strict=True)]
    lat_only = frame["latitude"].notna() != frame["longitude"].notna()
    if lat_only.any():
        bad = frame[lat_only].iloc[0]
        column = "longitude" if math.isnan(bad["longitude"]) else "latitude"
        raise RowError(path, int(bad["row"]), column,
                       "empty while the other coordinate is given; give both or neither")
    ids = frame["event_id_cnty"]
    repeat = ids.ne("") & ids.duplicated(keep="first")
    keep = frame["latitude"].notna() & frame["location"].ne("") & ~repeat
    return frame[keep].reset_index(drop=True)


# -- geocoding -------------------------------------------------------------------------
def _resolve(gaz: Gazetteer, frame: pd.DataFrame) -> list[Match]:
    """Geocode each distinct (location, country, admin1, admin2, admin3) once, together.

    Unresolved rows get a match without a place whose ``rule`` is the reason. No area
    fallback: a commune's centre is not where the name lies, so it cannot check a point.
    """
    from geomap.gazetteer.batch import resolve_keys
    from geomap.place import Hints

    codes = {c: gaz.country_code(c) for c in frame["country"].unique() if c}
    prior = dominant_countries([codes.get(c) for c in frame["country"]])
    keys = [(loc, Hints(*hints)) for loc, *hints in
            zip(frame["location"], *(frame[h] for h in _HINTS), strict=True)]
    found = resolve_keys(gaz, list(dict.fromkeys(keys)), prefer=prior, area_fallback=False)
    return [found[k] for k in keys]


# -- checking --------------------------------------------------------------------------
def _distances_km(frame: pd.DataFrame, places: list) -> list[float]:
    from pyproj import Geod

    if not places:
        return []
    geod = Geod(ellps="WGS84")
    lons = [p.lon if p else 0.0 for p in places]
    lats = [p.lat if p else 0.0 for p in places]
    _, _, metres = geod.inv(frame["longitude"].tolist(), frame["latitude"].tolist(), lons, lats)
    return [m / 1000 if p else math.nan for m, p in zip(metres, places, strict=True)]


def _finding(rec, issue: str, place, distance: float, polygon: str | None) -> dict:
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


def _row_findings(rec, match, distance: float, polygon: str | None, threshold_km: float,
                  include_unresolved: bool) -> list[dict]:
    place = getattr(match, "place", None)
    if place is None:
        return [_finding(rec, ISSUE_UNRESOLVED, None, math.nan, polygon)] \
            if include_unresolved else []
    found = []
    if place.feature_class != "A" and distance > threshold_km:
        found.append(_finding(rec, ISSUE_FAR, place, distance, polygon))
    if polygon and place.country_code and polygon != place.country_code:
        found.append(_finding(rec, ISSUE_COUNTRY, place, distance, polygon))
    return found


def check_records(
    frame: pd.DataFrame,
    *,
    gazetteer: Gazetteer | None = None,
    threshold_km: float = 50.0,
    include_unresolved: bool = False,
    path: str = "<records>",
) -> CheckReport:
    """Check the coordinates of records as :func:`geomap.incidents.load.read_records` returns them.

    Parameters are those of :func:`check_coordinates`; ``path`` only names the input in
    messages.
    """
    from geomap.borders.layers import country_of_points
    from geomap.gazetteer.lookup import default_gazetteer

    if not (math.isfinite(threshold_km) and threshold_km > 0):
        raise ValueError(f"threshold_km must be a positive number of km, got {threshold_km}")
    rows = _rows_to_check(frame, path)
    matches = _resolve(gazetteer or default_gazetteer(), rows)
    places = [getattr(m, "place", None) for m in matches]
    distances = _distances_km(rows, places)
    polygons = country_of_points(rows["longitude"], rows["latitude"]).tolist() \
        if len(rows) else []
    findings = []
    for rec, match, dist, poly in zip(rows.itertuples(index=False), matches, distances,
                                      polygons, strict=True):
        findings.extend(_row_findings(rec, match, dist, poly, threshold_km, include_unresolved))
    issues = pd.DataFrame(findings, columns=list(REPORT_COLUMNS))
    unresolved = sum(p is None for p in places)
    return CheckReport(issues, len(frame), len(rows) - unresolved, unresolved, threshold_km,
                       path)


def check_coordinates(
    path: str | Path,
    *,
    gazetteer: Gazetteer | None = None,
    threshold_km: float = 50.0,
    include_unresolved: bool = False,
) -> CheckReport:
    """Report rows whose coordinates disagree with their place name or its country.

    Parameters
    ----------
    path : path-like
        An incident file (CSV, JSON, GeoJSON; see :func:`geomap.incidents.load.read_records`)
        with ``location``, ``latitude`` and ``longitude`` columns; ``country``,
        ``admin1`` to ``admin3`` are used as hints when present.
    gazetteer : Gazetteer, optional
        Default :func:`geomap.gazetteer.lookup.default_gazetteer`.
    threshold_km : float
        Report rows more than this many km from where their name resolves.
    include_unresolved : bool
        Also list rows whose name does not resolve (issue ``unresolved``).

    Returns
    -------
    CheckReport

    Raises
    ------
    InputFileError, RowError
        If the file cannot be read or a coordinate is not a number in range.
    """
    from geomap.incidents.load import read_records

    frame = read_records(path)
    return check_records(frame, gazetteer=gazetteer, threshold_km=threshold_km,
                         include_unresolved=include_unresolved, path=str(path))


def write_report(report: CheckReport, output: str | Path) -> Path:
    """Write the findings as CSV (UTF-8, :data:`REPORT_COLUMNS`), atomically."""
    from geomap.atomic import atomic_path

    with atomic_path(output) as tmp:
        report.issues.to_csv(tmp, index=False)
    return Path(output)
