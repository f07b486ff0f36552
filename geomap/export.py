"""Write incidents for GIS users: GeoJSON (RFC 7946), GeoPackage, CSV, GeoParquet, FlatGeobuf.

The format follows the file's extension (:data:`FORMATS`). Every input column survives,
in the input's order, with geomap's added columns after them (:func:`export_columns`);
the input row number comes last, as ``input_row``. Days are ISO days in GeoJSON and CSV,
``DATE`` fields in a GeoPackage, ``date32`` in GeoParquet (FlatGeobuf has date-times
only). Text cells lose their NUL bytes in every format (a GeoPackage would cut the string
there; :func:`geomap.safe_csv.strip_nul`) and the count is returned; CSV cells that a
spreadsheet would run as formulas are neutralised unless ``raw_csv``
(:func:`geomap.safe_csv.neutralise_formulas`).

Every writer goes through :func:`geomap.atomic.atomic_path`, so a failure never leaves a
half-written file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyogrio.errors import DataLayerError, DataSourceError, FieldError

from geomap.atomic import atomic_path
from geomap.errors import ExportError, WriteError
from geomap.incidents.schema import ROW_COLUMN
from geomap.safe_csv import strip_nul, write_csv

__all__ = ["FORMATS", "COORDINATE_DECIMALS", "GPKG_LAYER", "GPKG_FID", "EXPORT_ROW_COLUMN",
           "GEOPARQUET_VERSION", "GEOPARQUET_BBOX", "Exported",
           "export_columns", "export_frame", "export_incidents", "to_geojson_dict"]

#: File suffix -> format.
FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv",
           ".parquet": "geoparquet", ".geoparquet": "geoparquet", ".fgb": "flatgeobuf"}
#: GeoJSON coordinate decimals: 6 is about 0.1 m, finer than any incident's position.
COORDINATE_DECIMALS = 6
#: The GeoPackage layer name.
GPKG_LAYER = "incidents"
#: What the input row number is called in the exports (``row`` is too common a name).
EXPORT_ROW_COLUMN = "input_row"
#: The GeoParquet version written (1.1 adds the ``bbox`` covering column).
GEOPARQUET_VERSION = "1.1.0"
#: The column GeoParquet 1.1's bounding-box covering takes (so no input column may).
GEOPARQUET_BBOX = "bbox"
#: The GeoPackage's feature id column, unless an input column has that name.
GPKG_FID = "fid"
_ISO_DAY = "%Y-%m-%d"
_ISO_TIME = "%Y-%m-%dT%H:%M:%S"
_WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class Exported:
    """What :func:`export_incidents` wrote: the file, its rows, the NUL bytes dropped."""

    path: Path
    rows: int
    nul_stripped: int = 0


def export_columns(incidents: pd.DataFrame) -> list[str]:
    """The columns an export writes, in order (before ``row`` is named ``input_row``).

    The table's columns as they stand: the input's first, in its order (the readers and
    :func:`~geomap.incidents.load_incidents` keep it), then those geomap added, then the
    row number; the geometry is the format's own.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame(columns=["row", "iso", "event_date", "date_end", "geometry"])
    >>> export_columns(t)
    ['iso', 'event_date', 'date_end', 'row']
    """
    geometry = getattr(incidents, "active_geometry_name", None) or "geometry"
    columns = [c for c in incidents.columns if c not in (ROW_COLUMN, geometry)]
    if ROW_COLUMN in incidents.columns and EXPORT_ROW_COLUMN not in columns:
        columns.append(ROW_COLUMN)
    return columns


def export_frame(incidents: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """The table the writers write, and how many NUL bytes left its text cells.

    Columns as :func:`export_columns` orders them, ``row`` named ``input_row`` (an input
    column of that name, as in a re-imported export, takes the new numbers), points in
    WGS84; values keep their types (days stay datetimes: each writer writes them its way).
    """
    columns = export_columns(incidents)
    out = pd.DataFrame(incidents[columns])
    if EXPORT_ROW_COLUMN in out.columns and ROW_COLUMN in incidents.columns:
        out[EXPORT_ROW_COLUMN] = incidents[ROW_COLUMN].to_numpy()
    out = out.rename(columns={ROW_COLUMN: EXPORT_ROW_COLUMN})
    out, stripped = strip_nul(out)
    geometry = incidents.geometry.to_crs(_WGS84) if incidents.crs is not None \
        else incidents.geometry.set_crs(_WGS84)
    return gpd.GeoDataFrame(out, geometry=geometry.to_numpy(), crs=_WGS84), stripped


def _datetime_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]


def _iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetime columns as ISO text: days as ``2024-08-25``, other times with the time."""
    out = frame.copy()
    for col in _datetime_columns(frame):
        values = frame[col]
        days = bool((values.dropna() == values.dropna().dt.normalize()).all())
        out[col] = values.dt.strftime(_ISO_DAY if days else _ISO_TIME).astype(object)
        out[col] = out[col].where(values.notna(), None)
    return out


def _typed_dates(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Day columns (no time of day) as ``datetime.date`` objects: ``DATE`` / ``date32``."""
    out = frame.copy()
    for col in _datetime_columns(frame):
        values = frame[col]
        if (values.dropna() == values.dropna().dt.normalize()).all():
            out[col] = pd.Series(values.dt.date, index=values.index, dtype=object).where(
                values.notna(), None)
    return out


def to_geojson_dict(incidents: gpd.GeoDataFrame) -> dict:
    """Return an RFC 7946 FeatureCollection: WGS84 lon/lat, no ``crs``, ISO dates.

    Missing values become ``null``; coordinates keep :data:`COORDINATE_DECIMALS` decimals;
    text cells lose their NUL bytes.

    Examples
    --------
    >>> import pandas as pd
    >>> from geomap.incidents import load_incidents
    >>> table = pd.DataFrame({"event_date": ["25 August 2024"], "location": ["Kidal"],
    ...                       "latitude": [18.44111], "longitude": [1.40778]})
    >>> feature = to_geojson_dict(load_incidents(table).incidents)["features"][0]
    >>> feature["geometry"], feature["properties"]["event_date"]
    ({'type': 'Point', 'coordinates': [1.40778, 18.44111]}, '2024-08-25')
    >>> feature["properties"]["fatalities"], feature["properties"]["input_row"]
    (None, 1)
    """
    return _geojson(export_frame(incidents)[0])


def _geojson(frame: gpd.GeoDataFrame) -> dict:
    props = _iso_dates(pd.DataFrame(frame.drop(columns="geometry")))
    names = [str(c) for c in props.columns]
    columns = [_plain_values(props.iloc[:, i]) for i in range(props.shape[1])]
    xs = frame.geometry.x.round(COORDINATE_DECIMALS).tolist()
    ys = frame.geometry.y.round(COORDINATE_DECIMALS).tolist()
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
         "properties": dict(zip(names, values, strict=True))}
        for x, y, *values in zip(xs, ys, *columns, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _plain_values(values: pd.Series) -> list:
    """A column as the Python values JSON writes (``None`` where missing), column-wise."""
    plain = values.astype(object).where(values.notna(), None).tolist()
    if pd.api.types.is_object_dtype(values.dtype):  # may hold numpy scalars
        plain = [v.item() if hasattr(v, "item") else v for v in plain]
    return plain


# -- one writer per format: (frame, temporary path, raw_csv) -----------------------------
def _write_geojson(frame: gpd.GeoDataFrame, tmp: Path, raw_csv: bool) -> None:
    tmp.write_text(json.dumps(_geojson(frame), ensure_ascii=False), encoding="utf-8")


def _write_csv(frame: gpd.GeoDataFrame, tmp: Path, raw_csv: bool) -> None:
    write_csv(_iso_dates(pd.DataFrame(frame.drop(columns="geometry"))), tmp, raw=raw_csv)


def _write_gpkg(frame: gpd.GeoDataFrame, tmp: Path, raw_csv: bool) -> None:
    # through Arrow, days become DATE fields and nullable integers INTEGER ones; GDAL
    # would take an input column "fid" for the feature id, so the id gets another name
    taken = {str(c).lower() for c in frame.columns}
    fid = GPKG_FID
    while fid in taken:
        fid = f"geomap_{fid}"
    _typed_dates(frame).to_file(tmp, driver="GPKG", layer=GPKG_LAYER, engine="pyogrio",
                                use_arrow=True, layer_options={"FID": fid})


def _write_flatgeobuf(frame: gpd.GeoDataFrame, tmp: Path, raw_csv: bool) -> None:
    _typed_dates(frame).to_file(tmp, driver="FlatGeobuf", engine="pyogrio", use_arrow=True)


def _write_geoparquet(frame: gpd.GeoDataFrame, tmp: Path, raw_csv: bool) -> None:
    _typed_dates(frame).to_parquet(tmp, index=False, write_covering_bbox=True,
                                   schema_version=GEOPARQUET_VERSION)


def _check_names(frame: gpd.GeoDataFrame, kind: str, path: Path) -> None:
    """Refuse a column name the format keeps for itself, before anything is written."""
    if kind == "geoparquet" and GEOPARQUET_BBOX in frame.columns:
        raise ExportError(
            f"{path}: the incidents have a column {GEOPARQUET_BBOX!r}, the name GeoParquet "
            "1.1 gives its bounding boxes; rename it, or export to another format"
        )


_WRITERS: dict[str, Callable[[gpd.GeoDataFrame, Path, bool], None]] = {
    "geojson": _write_geojson, "csv": _write_csv, "gpkg": _write_gpkg,
    "flatgeobuf": _write_flatgeobuf, "geoparquet": _write_geoparquet,
}


def export_incidents(
    incidents: gpd.GeoDataFrame, path: str | os.PathLike[str], *, raw_csv: bool = False
) -> Exported:
    """Write incidents to ``path`` in the format its extension names.

    Parameters
    ----------
    incidents : GeoDataFrame
        As :func:`geomap.incidents.load_incidents` returns them (filtered or not): every
        column is written (:func:`export_columns`).
    path : path-like
        ``.geojson`` (or ``.json``), ``.gpkg``, ``.csv``, ``.parquet`` (or
        ``.geoparquet``: GeoParquet 1.1 with a ``bbox`` covering column) or ``.fgb``
        (FlatGeobuf, rows in its spatial index's order).
    raw_csv : bool
        Write CSV cells as they are, formulas included (default: neutralised).

    Returns
    -------
    Exported
        The file, its rows, and the NUL bytes stripped from its text.

    Raises
    ------
    ExportError
        For an unknown extension or a file that cannot be written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from geomap.incidents import load_incidents
    >>> table = pd.DataFrame({"event_date": ["2024-08-25"], "location": ["Kidal\\x00"],
    ...                       "latitude": [18.44], "longitude": [1.41], "iso": ["466"]})
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "kidal.gpkg"
    >>> done = export_incidents(load_incidents(table).incidents, out)
    >>> done.rows, done.nul_stripped
    (1, 1)
    """
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ExportError(
            f"{path}: unknown export format {path.suffix!r}; use "
            + ", ".join(sorted(FORMATS))
        )
    from pyarrow import ArrowException

    frame, stripped = export_frame(incidents)
    _check_names(frame, kind, path)
    try:
        with atomic_path(path) as tmp:
            _WRITERS[kind](frame, tmp, raw_csv)
    except WriteError:  # an OS error, worded as every writer words it (atomic.write_error)
        raise
    except (OSError, ArrowException, DataSourceError, DataLayerError, FieldError) as err:
        raise ExportError(f"{path}: cannot write ({err})") from err
    return Exported(path, len(frame), stripped)
