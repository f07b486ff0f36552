"""Write incidents for GIS users: GeoJSON (RFC 7946), GeoPackage and CSV.

The format follows the file's extension. Every writer goes through
:func:`geomap.atomic.atomic_path`, so a failure never leaves a half-written file.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyogrio.errors import DataLayerError, DataSourceError, FieldError

from geomap.atomic import atomic_path
from geomap.errors import ExportError
from geomap.incidents.schema import DATE_COLUMNS, EXPORT_COLUMNS

__all__ = ["FORMATS", "export_incidents", "to_geojson_dict"]

FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv"}


def _export_frame(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    cols = [c for c in EXPORT_COLUMNS if c in incidents.columns]
    out = incidents[cols].copy()
    for col in DATE_COLUMNS:
        if col in out:
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    out = out.rename(columns={"row": "input_row"})
    return gpd.GeoDataFrame(out, geometry=incidents.geometry.to_crs("EPSG:4326"))


def to_geojson_dict(incidents: gpd.GeoDataFrame) -> dict:
    """Return an RFC 7946 FeatureCollection: WGS84 lon/lat, no ``crs``, ISO dates.

    Missing values become ``null``; coordinates keep 6 decimals (about 0.1 m).
    """
    frame = _export_frame(incidents)
    props = frame.drop(columns="geometry").astype(object)
    props = props.where(pd.notna(props), None)
    features = []
    for rec, geom in zip(props.to_dict("records"), frame.geometry, strict=True):
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [round(geom.x, 6), round(geom.y, 6)]},
            "properties": {k: _plain(v) for k, v in rec.items()},
        })
    return {"type": "FeatureCollection", "features": features}


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    return value


def export_incidents(incidents: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write incidents to ``path`` in the format its extension names.

    Parameters
    ----------
    incidents : GeoDataFrame
        As :func:`geomap.incidents.load.load_incidents` returns them (filtered or not).
    path : path-like
        ``.geojson`` (or ``.json``), ``.gpkg`` or ``.csv``.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ExportError
        For an unknown extension or a file that cannot be written.
    """
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ExportError(
            f"{path}: unknown export format {path.suffix!r}; use "
            + ", ".join(sorted(FORMATS))
        )
    try:
        with atomic_path(path) as tmp:
            if kind == "geojson":
                tmp.write_text(
                    json.dumps(to_geojson_dict(incidents), ensure_ascii=False), encoding="utf-8"
                )
            elif kind == "gpkg":
                _export_frame(incidents).to_file(tmp, driver="GPKG", layer="incidents")
            else:
                _export_frame(incidents).drop(columns="geometry").to_csv(tmp, index=False)
    except (OSError, DataSourceError, DataLayerError, FieldError) as err:
        raise ExportError(f"{path}: cannot write ({err})") from err
    return path
