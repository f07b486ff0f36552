"""Batch geocoding of a column of place names, with hint columns.

Each distinct (name, country, admin1, admin2, admin3) combination is looked up once, so a
million rows over ten thousand distinct places cost ten thousand lookups.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.errors import InputFileError
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.place import Match

__all__ = ["geocode_series", "geocode_file", "resolve_keys", "RESULT_COLUMNS"]

RESULT_COLUMNS = (
    "geocoded_name", "geocoded_lat", "geocoded_lon", "geocoded_country", "geocoded_method",
    "geocoded_score", "geocoded_precision",
)


def _hint_list(hint: pd.Series | str | None, n: int) -> list[str | None]:
    if hint is None:
        return [None] * n
    if isinstance(hint, str):
        return [hint] * n
    return [None if pd.isna(v) or not str(v).strip() else str(v) for v in hint]


def geocode_series(
    names: pd.Series,
    *,
    country: pd.Series | str | None = None,
    admin1: pd.Series | None = None,
    admin2: pd.Series | None = None,
    admin3: pd.Series | None = None,
    gazetteer: Gazetteer | None = None,
    progress: bool = False,
    area_fallback: bool = True,
) -> gpd.GeoDataFrame:
    """Geocode a Series of place names.

    Parameters
    ----------
    names : pandas.Series
        Place names as written.
    country : Series or str, optional
        Country hint per row (ISO code or name), or one for all rows.
    admin1, admin2, admin3 : Series, optional
        Administrative area names per row (ACLED's ``admin1`` to ``admin3``).
    gazetteer : Gazetteer, optional
        Default :func:`~geomap.gazetteer.lookup.default_gazetteer`.
    progress : bool
        Show a progress bar over the distinct names (on stderr).
    area_fallback : bool
        With ``admin3``: place a name that no gazetteer holds at the centre of its
        commune's located places when the commune is small and densely settled
        (method ``area``, precision 3; see :mod:`geomap.gazetteer.coherence`). ``False`` leaves such
        names unresolved.

    Returns
    -------
    geopandas.GeoDataFrame
        Aligned with ``names``: ``geocoded_*`` columns (name, lat, lon, country, method,
        score, precision), ``geocoded_rule`` (why this place, or why unresolved),
        ``geocoded_alternatives`` and Point geometry (missing where unresolved).

    Examples
    --------
    >>> import pandas as pd
    >>> names = pd.Series(["Gao", "Gao", "Bamakó"])
    >>> out = geocode_series(names, country=pd.Series(["BF", "ML", None]))
    >>> list(out["geocoded_country"])
    ['BF', 'ML', 'ML']
    """
    gaz = gazetteer or default_gazetteer()
    n = len(names)
    names_list = ["" if pd.isna(v) else str(v) for v in names]
    hints = list(zip(names_list, _hint_list(country, n), _hint_list(admin1, n),
                     _hint_list(admin2, n), _hint_list(admin3, n), strict=True))
    resolved = resolve_keys(gaz, list(dict.fromkeys(hints)), progress=progress,
                            coherent=admin3 is not None, area_fallback=area_fallback)
    return _frame([resolved[key] for key in hints], names.index)


def resolve_keys(gaz: Gazetteer, distinct: Sequence[tuple], *, progress: bool = False,
                 coherent: bool = True, prefer: Sequence[str] = (),
                 area_fallback: bool = True) -> dict[tuple, Match]:
    """Match each distinct (name, country, admin1, admin2, admin3) once.

    Rows with an unknown country hint get that as their reason; the others go through
    :meth:`Gazetteer.lookup_many` together, so the data's places inform each other.
    """
    out: dict[tuple, Match] = {}
    good = []
    for key in distinct:
        if key[1] and gaz.country_code(key[1]) is None:
            out[key] = Match(key[0], None, "unresolved", 0.0, None,
                             f"unknown country {key[1]!r}")
        else:
            good.append(key)
    columns = list(zip(*good, strict=True)) if good else [[]] * 5
    matches = gaz.lookup_many(
        list(columns[0]), countries=list(columns[1]), admin1=list(columns[2]),
        admin2=list(columns[3]), admin3=list(columns[4]) if coherent else None,
        prefer=prefer, progress=progress, area_fallback=area_fallback,
    )
    out.update(zip(good, matches, strict=True))
    return out


def _frame(matches: list[Match], index: pd.Index) -> gpd.GeoDataFrame:
    rows = []
    for m in matches:
        p = m.place
        rows.append({
            "geocoded_name": p.name if p else None,
            "geocoded_lat": p.lat if p else None,
            "geocoded_lon": p.lon if p else None,
            "geocoded_country": p.country_code if p else None,
            "geocoded_method": m.method if p else f"unresolved: {m.rule}",
            "geocoded_score": m.score if p else None,
            "geocoded_precision": m.precision,
            "geocoded_rule": m.rule,
            "geocoded_alternatives": "; ".join(
                f"{a.name} ({a.country_code} {a.lat:.4f},{a.lon:.4f})" for a in m.alternatives
            ),
        })
    frame = pd.DataFrame(rows, index=index)
    frame["geocoded_precision"] = frame["geocoded_precision"].astype("Int64")
    geometry = gpd.points_from_xy(frame["geocoded_lon"], frame["geocoded_lat"])
    geometry[frame["geocoded_lat"].isna().to_numpy()] = None
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def geocode_file(
    path: str | Path,
    output: str | Path,
    *,
    column: str = "location",
    country_column: str | None = None,
    admin1_column: str | None = None,
    admin2_column: str | None = None,
    admin3_column: str | None = None,
    country: str | None = None,
    progress: bool = False,
    area_fallback: bool = True,
) -> tuple[int, int, int]:
    """Geocode a CSV column and write the rows unchanged plus the ``geocoded_*`` columns.

    ``area_fallback`` is passed to :func:`geocode_series`.

    Returns
    -------
    (rows, unresolved, placed at an area's centre)
    """
    from geomap.atomic import atomic_path

    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for flag, col in (("--column", column), ("--country-column", country_column),
                      ("--admin1-column", admin1_column), ("--admin2-column", admin2_column),
                      ("--admin3-column", admin3_column)):
        if col and col not in table.columns:
            raise InputFileError(
                f"{path}: no column {col!r} for {flag} (columns: {', '.join(table.columns)})"
            )
    result = geocode_series(
        table[column],
        country=table[country_column] if country_column else country,
        admin1=table[admin1_column] if admin1_column else None,
        admin2=table[admin2_column] if admin2_column else None,
        admin3=table[admin3_column] if admin3_column else None,
        progress=progress, area_fallback=area_fallback,
    )
    out = pd.concat([table, result[list(RESULT_COLUMNS)]], axis=1)
    with atomic_path(output) as tmp:
        out.to_csv(tmp, index=False)
    return (len(out), int(result["geocoded_name"].isna().sum()),
            int((result["geocoded_method"] == "area").sum()))
