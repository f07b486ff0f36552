"""The readable part of the offline basemap: first-level boundaries, lakes and place labels.

Natural Earth 1:10m admin-1 lines and lakes ship in ``layers/basemap/`` (built by
``scripts/build_basemap.py``); :func:`basemap_details` clips them to the part of the world
the map shows at full detail (:func:`map_extent`: the events' countries and the one-degree
cells holding events, plus :data:`MARGIN_DEGREES`) and adds the labels of the populated
places of the gazetteer index inside it, with the events' own places. Each label carries its
kind; the page shows a kind from its zoom level on (:data:`LABEL_KINDS`) and places labels in
the order sent, skipping any that would overlap one already placed (``templates/labels.js``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geomap.map.payload.layers import BASEMAP_DIGITS, encode_layer

__all__ = [
    "ADMIN1_FILE",
    "CITY_POPULATION",
    "COUNTRY_SHARE",
    "EVENT_CELL_DEGREES",
    "LABEL_KINDS",
    "LABEL_SCALE",
    "LAKES_FILE",
    "MARGIN_DEGREES",
    "MAX_LABELS",
    "MIN_POPULATION",
    "TOWN_POPULATION",
    "LabelKind",
    "basemap_details",
    "label_kind",
    "map_extent",
    "place_labels",
]

ADMIN1_FILE = "basemap/admin1_lines.geojson.gz"
LAKES_FILE = "basemap/lakes.geojson.gz"
#: Degrees added around the events' countries and cells.
MARGIN_DEGREES = 0.5
#: Events are gathered into cells this wide; each cell with events is shown at full detail.
EVENT_CELL_DEGREES = 1.0
#: A country is shown whole when this share of the events lies in it (one
#: event in New York does not bring every label of the United States).
COUNTRY_SHARE = 0.1
#: Country outlines are simplified this much (degrees) before the margin is added.
OUTLINE_TOLERANCE = 0.05
#: A city: an admin-1 seat or this many people; a town: :data:`TOWN_POPULATION`.
CITY_POPULATION = 100_000
TOWN_POPULATION = 10_000
#: The smallest gazetteer places labelled (the embedded default's floor).
MIN_POPULATION = 500
#: Label coordinates are sent as integers: degrees times this (about 11 m).
LABEL_SCALE = 10_000
#: At most this many labels per page, the most important first.
MAX_LABELS = 10_000
#: An event place this close (degrees) to a gazetteer place of the same name is that place.
SAME_PLACE_DEGREES = 0.1
_KM_PER_DEGREE = 111.0
_DRAWN_TYPES = (1, 3)  # shapely type ids of LineString and Polygon
_MIN_COS_LAT = 0.05


@dataclass(frozen=True)
class LabelKind:
    """A kind of place label: its key and the zoom level it appears from."""

    key: str
    min_zoom: int


#: Label kinds in the order they are placed (the first wins a contested spot).
LABEL_KINDS: tuple[LabelKind, ...] = (
    LabelKind("capital", 0),
    LabelKind("city", 5),
    LabelKind("town", 7),
    LabelKind("event", 9),
    LabelKind("village", 9),
)
_RANK = {kind.key: k for k, kind in enumerate(LABEL_KINDS)}


def label_kind(feature_code: str, population: int) -> str:
    """Return the label kind of a populated place.

    Examples
    --------
    >>> label_kind("PPLC", 2_000_000), label_kind("PPLA", 30_000), label_kind("PPL", 150_000)
    ('capital', 'city', 'city')
    >>> label_kind("PPL", 12_000), label_kind("PPL", 800)
    ('town', 'village')
    """
    if feature_code == "PPLC":
        return "capital"
    if feature_code == "PPLA" or population >= CITY_POPULATION:
        return "city"
    return "town" if population >= TOWN_POPULATION else "village"


@functools.lru_cache(maxsize=2)
def _layer(relative: str) -> np.ndarray:
    import geopandas as gpd

    from geomap.resources import layer_path

    frame = gpd.read_file("/vsigzip/" + str(layer_path(relative)))
    return np.asarray(frame.geometry.values, dtype=object)


def _event_lonlat(incidents: Any) -> tuple[np.ndarray, np.ndarray]:
    if incidents is None or len(incidents) == 0:
        return np.empty(0), np.empty(0)
    lon = pd.to_numeric(incidents.get("longitude"), errors="coerce")
    lat = pd.to_numeric(incidents.get("latitude"), errors="coerce")
    ok = np.isfinite(lon.to_numpy(dtype=float)) & np.isfinite(lat.to_numpy(dtype=float))
    return lon.to_numpy(dtype=float)[ok], lat.to_numpy(dtype=float)[ok]


def map_extent(incidents: Any, borders: Any = None) -> Any:
    """Return the area shown at full detail, or ``None`` when there is nothing to show.

    The events' countries (``borders.countries``, simplified; those holding at least
    :data:`COUNTRY_SHARE` of the events) and every
    :data:`EVENT_CELL_DEGREES` cell holding an event, each widened by
    :data:`MARGIN_DEGREES` (degrees: it only chooses what is drawn).

    Examples
    --------
    >>> frame = pd.DataFrame({"latitude": [14.5], "longitude": [-4.2]})
    >>> [round(v, 1) for v in map_extent(frame).bounds]
    [-5.5, 13.5, -3.5, 15.5]
    """
    import shapely

    lon, lat = _event_lonlat(incidents)
    cells = np.unique(np.floor(np.column_stack([lon, lat]) / EVENT_CELL_DEGREES), axis=0)
    low = cells * EVENT_CELL_DEGREES - MARGIN_DEGREES
    high = low + EVENT_CELL_DEGREES + 2 * MARGIN_DEGREES
    parts = list(shapely.box(low[:, 0], low[:, 1], high[:, 0], high[:, 1]))
    countries = getattr(borders, "countries", None)
    if countries is not None and len(countries):
        outlines = np.asarray(countries.geometry.values, dtype=object)
        outlines = shapely.simplify(outlines[~shapely.is_missing(outlines)], OUTLINE_TOLERANCE)
        floor = COUNTRY_SHARE * max(len(lon), 1)
        main = [o for o in outlines if shapely.contains_xy(o, lon, lat).sum() >= floor]
        parts += list(shapely.buffer(main, MARGIN_DEGREES))
    return shapely.unary_union(parts) if parts else None


def _clip(geoms: np.ndarray, extent: Any) -> Any:
    import geopandas as gpd
    import shapely

    tree = shapely.STRtree(geoms)
    near = np.unique(tree.query(extent))
    clipped = shapely.intersection(geoms[near], extent)
    # Only lines and polygons: a line touching the extent's edge leaves a point (drawn as a
    # marker by Leaflet).
    parts = shapely.get_parts(clipped)
    kinds = np.isin(shapely.get_type_id(parts), _DRAWN_TYPES)
    clipped = parts[kinds & ~shapely.is_empty(parts)]
    return encode_layer(gpd.GeoDataFrame(geometry=clipped, crs="EPSG:4326"), (), BASEMAP_DIGITS)


def _gazetteer_places(extent: Any, gazetteer: Any) -> pd.DataFrame:
    import shapely

    found: dict[str, Any] = {}
    for part in getattr(extent, "geoms", [extent]):
        west, south, east, north = part.bounds
        mid = (south + north) / 2
        cos = max(_MIN_COS_LAT, math.cos(math.radians(mid)))
        radius = _KM_PER_DEGREE * max((north - south) / 2, (east - west) / 2 * cos)
        for hit in gazetteer.index.settlements_near(mid, (west + east) / 2, radius, None):
            place = hit.place
            if place.population >= MIN_POPULATION or place.feature_code in ("PPLC", "PPLA"):
                found[place.id] = place
    rows = pd.DataFrame(
        [(p.name, p.lat, p.lon, label_kind(p.feature_code, p.population), p.population)
         for p in found.values()], columns=["name", "lat", "lon", "kind", "weight"])
    inside = shapely.contains_xy(extent, rows["lon"].to_numpy(float), rows["lat"].to_numpy(float))
    return rows[inside]


def _event_places(incidents: Any) -> pd.DataFrame:
    columns = ["name", "lat", "lon", "kind", "weight"]
    if incidents is None or "location" not in getattr(incidents, "columns", ()):
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({
        "name": incidents["location"].astype("string").str.strip(),
        "lat": pd.to_numeric(incidents.get("latitude"), errors="coerce"),
        "lon": pd.to_numeric(incidents.get("longitude"), errors="coerce"),
    }).dropna()
    frame = frame[frame["name"] != ""]
    grouped = frame.groupby("name", sort=False)
    out = grouped[["lat", "lon"]].median()
    out["weight"] = grouped.size()
    out["kind"] = "event"
    return out.reset_index()[columns]


def _merge(places: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Events' places named like a nearby gazetteer place promote it (a village becomes an
    event place) instead of adding a second label."""
    if events.empty or places.empty:
        return pd.concat([places, events], ignore_index=True)
    key = places["name"].str.casefold()
    joined = events.assign(key=events["name"].str.casefold()).merge(
        places.assign(key=key).reset_index(), on="key", suffixes=("", "_g"))
    close = ((joined["lat"] - joined["lat_g"]).abs() <= SAME_PLACE_DEGREES) & \
        ((joined["lon"] - joined["lon_g"]).abs() <= SAME_PLACE_DEGREES)
    matched = joined[close]
    places = places.copy()
    promote = matched.loc[matched["kind_g"] == "village", "index"]
    places.loc[promote, "kind"] = "event"
    rest = events[~events["name"].isin(matched["name"])]
    return pd.concat([places, rest], ignore_index=True)


def place_labels(extent: Any, incidents: Any = None, gazetteer: Any = None) -> dict[str, Any]:
    """Return the place labels of an extent, in the order the page places them.

    Parameters
    ----------
    extent : shapely geometry or None
        The area shown at full detail (:func:`map_extent`).
    incidents : pandas.DataFrame, optional
        Events with ``location``, ``latitude`` and ``longitude``: their places are labelled.
    gazetteer : Gazetteer, optional
        The gazetteer whose index names the places (default: the embedded default).

    Returns
    -------
    dict
        ``kinds`` (:data:`LABEL_KINDS` as ``{"key", "zoom"}``), ``scale``
        (:data:`LABEL_SCALE`) and the columns ``name``, ``lat``, ``lon`` (integers, degrees
        times ``scale``) and ``kind`` (index into ``kinds``), most important first.
    """
    if gazetteer is None and extent is not None:
        from geomap.gazetteer.lookup import default_gazetteer

        gazetteer = default_gazetteer()
    places = _gazetteer_places(extent, gazetteer) if extent is not None else None
    if places is None or places.empty:
        places = pd.DataFrame(columns=["name", "lat", "lon", "kind", "weight"])
    rows = _merge(places, _event_places(incidents))
    rows = rows.assign(rank=rows["kind"].map(_RANK)).sort_values(
        ["rank", "weight"], ascending=[True, False], kind="stable").head(MAX_LABELS)
    return {
        "kinds": [{"key": kind.key, "zoom": kind.min_zoom} for kind in LABEL_KINDS],
        "scale": LABEL_SCALE,
        "name": rows["name"].astype(str).tolist(),
        "lat": np.round(rows["lat"].to_numpy(float) * LABEL_SCALE).astype(int).tolist(),
        "lon": np.round(rows["lon"].to_numpy(float) * LABEL_SCALE).astype(int).tolist(),
        "kind": rows["rank"].astype(int).tolist(),
    }


def basemap_details(incidents: Any, borders: Any = None, *, gazetteer: Any = None
                    ) -> dict[str, Any]:
    """Return the admin-1 lines, lakes and place labels of the map's full-detail area.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The map's events (``latitude``, ``longitude``, ``location``).
    borders : BorderLayers-like, optional
        The events' countries (``.countries``), shown at full detail.
    gazetteer : Gazetteer, optional
        Names the places (default: the embedded default index).

    Returns
    -------
    dict
        ``admin1`` and ``lakes`` (GeoJSON FeatureCollections, clipped) and ``places``
        (:func:`place_labels`).
    """
    extent = map_extent(incidents, borders)
    empty = encode_layer(None, ())
    return {
        "admin1": _clip(_layer(ADMIN1_FILE), extent) if extent is not None else empty,
        "lakes": _clip(_layer(LAKES_FILE), extent) if extent is not None else empty,
        "places": place_labels(extent, incidents, gazetteer),
    }
