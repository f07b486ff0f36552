"""Filtering: keep the incidents within a date range, countries and event types."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from geomap.incidents.schema import DATE_COLUMN

__all__ = ["filter_incidents"]

_DATE_END, _COUNTRY_CODE, _EVENT_TYPE = "date_end", "country_code", "event_type"


def filter_incidents(
    incidents: gpd.GeoDataFrame,
    *,
    start: object = None,
    end: object = None,
    countries: Sequence[str] | None = None,
    event_types: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """Keep the incidents within a date range, countries and event types.

    Both bounds are inclusive days. An event dated to a month or a year covers that
    whole period and is kept when the period overlaps the range: "December 2023" is in
    ``start=2023-12-15`` and in ``end=2023-12-01``.

    Parameters
    ----------
    incidents : GeoDataFrame
        As :func:`~geomap.incidents.load.load_incidents` returns them.
    start, end : date-like, optional
        First and last day.
    countries : sequence of str, optional
        ISO alpha-2 codes (``country_code``), in any case.
    event_types : sequence of str, optional
        ACLED event types, compared without regard to case.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"event_date": pd.to_datetime(["2023-12-01", "2024-01-05"]),
    ...                   "date_end": pd.to_datetime(["2023-12-31", "2024-01-05"]),
    ...                   "country_code": ["ML", "DZ"], "event_type": ["Battles", "Riots"]})
    >>> filter_incidents(t, start="2023-12-15", end="2023-12-15")["country_code"].tolist()
    ['ML']
    >>> filter_incidents(t, countries=["dz"], event_types=["riots"])["event_type"].tolist()
    ['Riots']
    """
    keep = pd.Series(True, index=incidents.index)
    if start is not None:
        keep &= incidents[_DATE_END] >= pd.Timestamp(start)
    if end is not None:
        keep &= incidents[DATE_COLUMN] <= pd.Timestamp(end)
    if countries:
        wanted = {c.upper() for c in countries}
        keep &= incidents[_COUNTRY_CODE].isin(wanted)
    if event_types:
        wanted_types = {t.strip().casefold() for t in event_types}
        keep &= incidents[_EVENT_TYPE].str.casefold().isin(wanted_types)
    return incidents[keep]
