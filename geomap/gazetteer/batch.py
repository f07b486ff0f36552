"""Batch geocoding of a column of place names, with hint columns.

Each distinct (name, :class:`~geomap.place.Hints`) pair is looked up once, so a million
rows over ten thousand distinct places cost ten thousand lookups (the columns are factorized,
and the result frame is built once per distinct pair, then taken by row); then, when asked
(``coherence=True``), :mod:`geomap.gazetteer.coherence` lets the certain places of each
commune locate its doubtful ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.errors import InputFileError
from geomap.gazetteer.coherence import coherent_pass
from geomap.gazetteer.lookup import Gazetteer, default_gazetteer
from geomap.place import Hints, Match

if TYPE_CHECKING:
    from geomap.gazetteer.advice import ImportHint

__all__ = ["geocode_series", "geocode_file", "GeocodedFile", "resolve_keys", "hints_of",
           "RESULT_COLUMNS", "COLUMN_FLAGS"]

RESULT_COLUMNS = (
    "geocoded_name", "geocoded_lat", "geocoded_lon", "geocoded_country", "geocoded_method",
    "geocoded_score", "geocoded_precision",
)
# every column of geocode_series' frame but the geometry
_FRAME_COLUMNS = [*RESULT_COLUMNS, "geocoded_rule", "geocoded_alternatives"]


def _hint_list(hint: pd.Series | str | None, n: int) -> list[object]:
    if hint is None or isinstance(hint, str):
        return [hint] * n
    return list(hint)


def hints_of(n: int, *, country: pd.Series | str | None = None,
             admin1: pd.Series | None = None, admin2: pd.Series | None = None,
             admin3: pd.Series | None = None) -> list[Hints]:
    """One :class:`Hints` per row from hint columns (or one country for all rows).

    Examples
    --------
    >>> hints_of(2, country="ML", admin1=pd.Series(["Gao", ""]))
    [Hints(country='ML', admin1='Gao'), Hints(country='ML')]
    """
    columns = [_hint_list(c, n) for c in (country, admin1, admin2, admin3)]
    return [Hints(*values) for values in zip(*columns, strict=True)]


def geocode_series(
    names: pd.Series,
    *,
    country: pd.Series | str | None = None,
    admin1: pd.Series | None = None,
    admin2: pd.Series | None = None,
    admin3: pd.Series | None = None,
    gazetteer: Gazetteer | None = None,
    progress: bool = False,
    coherence: bool = True,
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
        Default :func:`~geomap.gazetteer.default_gazetteer`.
    progress : bool
        Show a progress bar over the distinct names (on stderr).
    coherence : bool
        Let the names of a commune (``admin3``) that match one place without doubt locate
        the commune's doubtful names (:mod:`geomap.gazetteer.coherence`). Only rows with
        an ``admin3`` hint take part; ``False`` looks every name up on its own.
    area_fallback : bool
        With ``coherence``: place a name that no gazetteer holds at the centre of its
        commune's located places when the commune is small and densely settled (method
        ``area``, precision 3). ``False`` leaves such names unresolved.

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
    codes, keys = _distinct_keys(names, (country, admin1, admin2, admin3))
    resolved = resolve_keys(gaz, list(dict.fromkeys(keys)), progress=progress,
                            coherence=coherence, area_fallback=area_fallback)
    distinct = _frame([resolved[key] for key in keys], pd.RangeIndex(len(keys)))
    return distinct.take(codes).set_axis(names.index)


def _factorized(values: object, n: int) -> tuple[np.ndarray, list[object]]:
    """Codes per row (0 for a missing value) and the values they stand for (``None`` first).

    ``values`` is a column (Series or sequence, aligned by position) or one value for all
    rows (a string or ``None``).
    """
    if values is None or isinstance(values, str):
        return np.zeros(n, dtype=np.int64), [values]
    if not isinstance(values, (pd.Series, pd.Index, np.ndarray)):
        values = pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(values)
    if len(codes) != n:
        raise ValueError(f"a hint column has {len(codes)} values for {n} names")
    return codes.astype(np.int64) + 1, [None, *uniques]


def _distinct_keys(names: pd.Series, hint_columns: Sequence[object]
                   ) -> tuple[np.ndarray, list[tuple[str, Hints]]]:
    """Each row's code and the (name, hints) key of each code, in order of first row.

    The columns are factorized, not walked: a million rows over ten thousand distinct
    (name, hints) pairs build ten thousand :class:`Hints`.
    """
    n = len(names)
    columns = [_factorized(names, n), *(_factorized(c, n) for c in hint_columns)]
    combined = np.zeros(n, dtype=np.int64)
    for codes, uniques in columns:
        combined = pd.factorize(combined * len(uniques) + codes)[0]
    first = np.unique(combined, return_index=True)[1]
    name_values = ["" if v is None else str(v) for v in columns[0][1]]
    keys = [(name_values[columns[0][0][i]],
             Hints(*(uniques[codes[i]] for codes, uniques in columns[1:]))) for i in first]
    return combined, keys


def resolve_keys(gaz: Gazetteer, distinct: Sequence[tuple[str, Hints]], *,
                 progress: bool = True, coherence: bool = True, prefer: Sequence[str] = (),
                 area_fallback: bool = True) -> dict[tuple[str, Hints], Match]:
    """Match each distinct (name, hints) pair once.

    Pairs with an unknown country hint get that as their reason; the others are looked
    up (:meth:`Gazetteer.lookup_keys`, with a progress bar on a terminal unless
    ``progress=False``: :mod:`geomap.gazetteer.progress`) and then, with ``coherence``,
    re-resolved near their commune's certain places
    (:func:`geomap.gazetteer.coherence.coherent_pass`, which places names in no gazetteer
    at a small commune's centre with ``area_fallback``).

    Examples
    --------
    >>> from geomap.place import Hints
    >>> found = resolve_keys(default_gazetteer(), [("Gao", Hints("Atlantis"))])
    >>> found[("Gao", Hints("Atlantis"))].rule
    "unknown country 'Atlantis'"
    """
    out: dict[tuple[str, Hints], Match] = {}
    good = []
    for name, hints in distinct:
        if hints.country and gaz.country_code(hints.country) is None:
            out[(name, hints)] = Match.unresolved(name, f"unknown country {hints.country!r}")
        else:
            good.append((name, hints))
    found = gaz.lookup_keys(good, prefer=prefer, progress=progress)
    if coherence and any(hints.admin3 for _, hints in good):
        coherent_pass(gaz, found, prefer, area_fallback=area_fallback)
    out.update(found)
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
    frame = pd.DataFrame(rows, index=index, columns=_FRAME_COLUMNS)
    frame["geocoded_precision"] = frame["geocoded_precision"].astype("Int64")
    geometry = gpd.points_from_xy(frame["geocoded_lon"], frame["geocoded_lat"])
    geometry[frame["geocoded_lat"].isna().to_numpy()] = None
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


#: The CLI flags that name the name column and the hint columns, in that order.
COLUMN_FLAGS = ("--column", "--country-column", "--admin1-column", "--admin2-column",
                "--admin3-column")


def _require_columns(table: pd.DataFrame, path: Path, columns: dict[str, str | None]) -> None:
    """Refuse a flag naming a column the table lacks (one line, naming the columns)."""
    for flag, col in columns.items():
        if col and col not in table.columns:
            raise InputFileError(
                f"{path}: no column {col!r} for {flag} (columns: {', '.join(table.columns)})"
            )


class GeocodedFile(NamedTuple):
    """What :func:`geocode_file` did: rows, unresolved, placed at an area's centre, and the
    advice to import GeoNames when the embedded gazetteer served the file badly."""

    rows: int
    unresolved: int
    areas: int
    hint: ImportHint | None


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
    coherence: bool = True,
    area_fallback: bool = True,
    raw_csv: bool = False,
) -> GeocodedFile:
    """Geocode a CSV column and write the rows unchanged plus the ``geocoded_*`` columns.

    The file is read as every command reads its input
    (:func:`geomap.incidents.read.read_table`: CSV with any of its delimiters and
    encodings, or xlsx, JSON, GeoJSON, Parquet); a file it cannot read is a one-line
    error naming it (and the row and column at fault, where there is one).

    ``coherence`` and ``area_fallback`` are passed to :func:`geocode_series`. Cells a
    spreadsheet would run as formulas are neutralised unless ``raw_csv``
    (:func:`geomap.safe_csv.write_csv`). An ``output`` that is the input file (also through
    a link) is refused (:class:`geomap.errors.OutputError`) before any work is done.

    Returns
    -------
    GeocodedFile
        Rows, unresolved, placed at an area's centre, and the advice to import GeoNames
        (:func:`geomap.gazetteer.advice.import_hint`) or ``None``.
    """
    from geomap.atomic import check_outputs
    from geomap.gazetteer.advice import import_hint
    from geomap.incidents.read import read_table  # the one reader of every command
    from geomap.safe_csv import write_csv

    path = Path(path)
    if not path.is_file():
        raise InputFileError.missing(path)
    check_outputs([path], {output: "the output"})
    table = read_table(path)
    _require_columns(table, path, dict(zip(COLUMN_FLAGS, (
        column, country_column, admin1_column, admin2_column, admin3_column), strict=True)))
    result = geocode_series(
        table[column],
        country=table[country_column] if country_column else country,
        admin1=table[admin1_column] if admin1_column else None,
        admin2=table[admin2_column] if admin2_column else None,
        admin3=table[admin3_column] if admin3_column else None,
        progress=progress, coherence=coherence, area_fallback=area_fallback,
    )
    out = pd.concat([table, result[list(RESULT_COLUMNS)]], axis=1)
    write_csv(out, output, raw=raw_csv)
    placed = result["geocoded_name"].notna()
    hints = table[country_column] if country_column else [country or ""] * len(table)
    return GeocodedFile(len(out), int((~placed).sum()),
                        int((result["geocoded_method"] == "area").sum()),
                        import_hint(default_gazetteer(), table[column], hints, placed))
