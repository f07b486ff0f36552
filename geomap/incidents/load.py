"""Loading: read, validate, merge and locate the incidents of a file or a table.

:func:`load_incidents` composes the steps of the package (:mod:`~geomap.incidents.read`,
:mod:`~geomap.incidents.validate`, :mod:`~geomap.incidents.locate`). Every input row is
accounted for: it ends up in :attr:`IncidentLoad.incidents`, in
:attr:`IncidentLoad.unresolved` with its reason, or merged into another row as one more
actor of the same ACLED event (the same id, date, place and fatalities; rows that share an
id but not the rest are kept, and counted in :attr:`IncidentLoad.conflicts`).

:func:`~geomap.incidents.filters.filter_incidents` is importable from here as well, where
callers have long found it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.incidents.filters import filter_incidents
from geomap.incidents.locate import locate
from geomap.incidents.read import Source, read_records, source_name
from geomap.incidents.rejects import (
    STRICT,
    check_on_bad_rows,
    no_problems,
    rejected_rows,
)
from geomap.incidents.schema import COORDINATE_COLUMNS, ROW_COLUMN
from geomap.incidents.validate import (
    merge_monadic,
    monadic_conflicts,
    require_columns,
    validate_records,
    validate_rows,
)

__all__ = ["IncidentLoad", "load_incidents", "filter_incidents"]

_WGS84 = "EPSG:4326"
_LATITUDE, _LONGITUDE = COORDINATE_COLUMNS


@dataclass(frozen=True)
class IncidentLoad:
    """What :func:`load_incidents` made of its input.

    Attributes
    ----------
    incidents : geopandas.GeoDataFrame
        One row per event with a position (EPSG:4326 points), in input order.
    unresolved : pandas.DataFrame
        Rows that could not be placed: ``row``, ``location``, ``country``, ``reason``.
    rows_read : int
        Data rows in the input.
    merged : int
        Rows folded into another row of the same ACLED event (monadic exports list an
        event once per actor).
    path : str
        The input file, or what messages call the table (``<table>`` or its ``name``).
    conflicts : int
        Rows kept apart although they share an event id with another row: their date,
        place or fatalities differ (they are among the incidents or the unresolved).
    rejected : pandas.DataFrame
        Rows set aside for a value validation refuses (``on_bad_rows="skip"``): ``file``,
        ``row``, ``column``, ``reason`` and the row's cells as read
        (:func:`~geomap.incidents.rejects.rejected_rows`); empty otherwise.
    """

    incidents: gpd.GeoDataFrame
    unresolved: pd.DataFrame
    rows_read: int
    merged: int
    path: str
    conflicts: int = 0
    rejected: pd.DataFrame = field(default_factory=no_problems)


def load_incidents(
    source: Source, *, gazetteer: Gazetteer | None = None, name: str | None = None,
    on_bad_rows: str = STRICT,
) -> IncidentLoad:
    """Read, validate and place the incidents of a file or a table.

    Parameters
    ----------
    source : path-like or pandas.DataFrame
        A CSV, JSON or GeoJSON file, or a (Geo)DataFrame of incident records in any dtypes
        (see :func:`~geomap.incidents.read.read_records`): either way, every value is read
        as the text it stands for, and ``row`` numbers the records from 1.
    gazetteer : Gazetteer, optional
        Used for rows without coordinates; default :func:`default_gazetteer`.
    name : str, optional
        What messages call the input; default the path, or ``<table>`` for a table.
    on_bad_rows : {"strict", "skip"}
        At a value validation refuses: stop with a :class:`RowError` (``"strict"``), or set
        the row aside in :attr:`IncidentLoad.rejected` and go on (``"skip"``).

    Returns
    -------
    IncidentLoad

    Raises
    ------
    InputFileError, RowError
        Naming the input (and row and column) and what would be valid.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"event_date": ["2024-08-25"], "location": ["Kidal"],
    ...                       "latitude": [18.44], "longitude": [1.41]})
    >>> load = load_incidents(table, name="events")
    >>> load.path, load.rows_read, load.incidents.loc[0, "geocode_method"]
    ('events', 1, 'given')
    """
    label = source_name(source, name)
    frame = read_records(source, name=label)
    require_columns(frame, label)
    rows_read = len(frame)
    valid, rejected = _validated(frame, label, on_bad_rows)
    frame, merged = merge_monadic(valid)
    conflicts = int(monadic_conflicts(frame).sum())  # the same after the merge, and cheaper
    placed, unresolved = locate(frame, gazetteer or default_gazetteer())
    gdf = gpd.GeoDataFrame(
        placed.reset_index(drop=True),
        geometry=gpd.points_from_xy(placed[_LONGITUDE], placed[_LATITUDE]),
        crs=_WGS84,
    )
    return IncidentLoad(gdf, unresolved.reset_index(drop=True), rows_read, merged, label,
                        conflicts, rejected)


def _validated(frame: pd.DataFrame, label: str,
               on_bad_rows: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed records, and the rows set aside (none unless ``on_bad_rows`` is "skip")."""
    if check_on_bad_rows(on_bad_rows) == STRICT:
        return validate_records(frame, label), rejected_rows(frame, no_problems())
    typed, problems = validate_rows(frame, label)
    bad = typed[ROW_COLUMN].isin(problems[ROW_COLUMN])
    return typed[~bad], rejected_rows(frame, problems)
