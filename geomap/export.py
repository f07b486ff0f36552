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
from geomap.incidents.schema import DATE_COLUMNS, EXPORT_COLUMNS, ROW_COLUMN

__all__ = ["FORMATS", "COORDINATE_DECIMALS", "GPKG_LAYER", "EXPORT_ROW_COLUMN",
           "export_incidents", "to_geojson_dict"]

#: File suffix -> format.
FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv"}
#: GeoJSON coordinate decimals: 6 is about 0.1 m, finer than any incident's position.
COORDINATE_DECIMALS = 6
#: The GeoPackage layer name.
GPKG_LAYER = "incidents"
#: What the input row number is called in the exports (``row`` is too common a name).
EXPORT_ROW_COLUMN = "input_row"
_ISO_DAY = "%Y-%m-%d"
_WGS84 = "EPSG:4326"


def _export_frame(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    cols = [c for c in EXPORT_COLUMNS if c in incidents.columns]
    out = incidents[cols].copy()
    for col in DATE_COLUMNS:
        if col in out:
            out[col] = out[col].dt.strftime(_ISO_DAY)
    out = out.rename(columns={ROW_COLUMN: EXPORT_ROW_COLUMN})
    return gpd.GeoDataFrame(out, geometry=incidents.geometry.to_crs(_WGS84))


def to_geojson_dict(incidents: gpd.GeoDataFrame) -> dict:
    """Return an RFC 7946 FeatureCollection: WGS84 lon/lat, no ``crs``, ISO dates.

    Missing values become ``null``; coordinates keep :data:`COORDINATE_DECIMALS` decimals.

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
    frame = _export_frame(incidents)
    props = frame.drop(columns="geometry").astype(object)
    props = props.where(pd.notna(props), None)
    features = []
    for rec, geom in zip(props.to_dict("records"), frame.geometry, strict=True):
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [round(geom.x, COORDINATE_DECIMALS),
                                         round(geom.y, COORDINATE_DECIMALS)]},
            "properties": {k: _plain(v) for k, v in rec.items()},
        })
    return {"type": "FeatureCollection", "features": features}


def _plain(value: object) -> object:
    """A numpy scalar as the Python value JSON can write."""
    if hasattr(value, "item"):
        return value.item()
    return value


def export_incidents(incidents: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write incidents to ``path`` in the format its extension names.

    Parameters
    ----------
    incidents : GeoDataFrame
        As :func:`geomap.incidents.load_incidents` returns them (filtered or not).
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
                _export_frame(incidents).to_file(tmp, driver="GPKG", layer=GPKG_LAYER)
            else:
                _export_frame(incidents).drop(columns="geometry").to_csv(tmp, index=False)
    except (OSError, DataSourceError, DataLayerError, FieldError) as err:
        raise ExportError(f"{path}: cannot write ({err})") from err
    return path
