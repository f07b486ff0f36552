"""Render incidents and border layers as one standalone Leaflet (folium) HTML map.

The events are embedded once, as compact column-wise JSON inside a
``<script type="application/json">`` element, and a small packaged JavaScript runtime
(``geomap/templates/geomap.js``) draws them: one ``L.circleMarker`` per event in one
``L.markerClusterGroup``, popups built on demand with DOM APIs (``textContent``, never
``innerHTML``), a layer control that toggles event types and border layers, a legend with
counts per event type and a date-range control that hides events outside the range. This
scales to 100k events: no per-event folium object, no per-event HTML.

Every text of the input is untrusted. It only ever reaches the page as escaped JSON data
(``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX``) and then as DOM text.

Where Leaflet and Leaflet.markercluster come from is one switch (:class:`AssetMode`):
links to a CDN, or the files themselves inlined into the page (``offline=True``).
"""

from __future__ import annotations

import base64
import enum
import html
import json
import logging
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import folium
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink

from geomap.atomic import write_text_atomic
from geomap.errors import RenderError

__all__ = [
    "ATTRIBUTION",
    "EVENT_GROUPS",
    "OTHER_GROUP",
    "AssetMode",
    "EventGroup",
    "MapOptions",
    "MarkerStyle",
    "asset_dirs",
    "build_map",
    "encode_borders",
    "encode_incidents",
    "event_group_index",
    "format_event_date",
    "local_asset_files",
    "save_map",
    "to_escaped_json",
]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- constants


@dataclass(frozen=True)
class EventGroup:
    """One entry of the event-type palette.

    Parameters
    ----------
    key : str
        A stable identifier (used as ``data-group`` in the legend).
    label : str
        The ACLED event type the group stands for, as shown in legend and layer control.
    color : str
        ``#rrggbb`` colour of the markers.
    """

    key: str
    label: str
    color: str


#: ACLED's six event types in the Okabe-Ito colour-blind-safe palette, then the fallback.
EVENT_GROUPS: tuple[EventGroup, ...] = (
    EventGroup("battles", "Battles", "#D55E00"),
    EventGroup("explosions", "Explosions/Remote violence", "#E69F00"),
    EventGroup("civilians", "Violence against civilians", "#CC79A7"),
    EventGroup("riots", "Riots", "#0072B2"),
    EventGroup("protests", "Protests", "#56B4E9"),
    EventGroup("strategic", "Strategic developments", "#009E73"),
    EventGroup("other", "Other / unknown", "#7A7A7A"),
)
#: The group of every event whose type is not one of ACLED's six.
OTHER_GROUP: EventGroup = EVENT_GROUPS[-1]

#: Attribution lines added to every map besides the tile provider's (constant HTML).
ATTRIBUTION: tuple[str, ...] = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)',
    'Borders: <a href="https://www.naturalearthdata.com/">Natural Earth</a>',
)

_DEFAULT_TILES = "OpenStreetMap"
_TEXT_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "country_code",
    "admin1",
    "location",
    "geocoded_name",
    "notes",
    "source",
    "border_pair",
)
_GROUP_INDEX = {group.label.casefold(): i for i, group in enumerate(EVENT_GROUPS)}
_EPOCH = pd.Timestamp("1970-01-01")
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
_TEMPLATES = "templates"


@dataclass(frozen=True)
class MarkerStyle:
    """How events are drawn and clustered.

    Parameters
    ----------
    radius : float
        Circle-marker radius in pixels.
    cluster_radius : int
        Leaflet.markercluster ``maxClusterRadius`` in pixels: markers closer than this
        on screen merge into a cluster. Small, so only crowded points cluster.
    no_cluster_zoom : int or None
        Zoom level from which clustering stops (``disableClusteringAtZoom``). ``None``
        keeps clustering at every zoom, so events sharing one point stay reachable
        through spiderfying.
    max_zoom : int
        The map's maximum zoom when no tile layer sets one (offline vector basemap).
    """

    radius: float = 6.0
    cluster_radius: int = 22
    no_cluster_zoom: int | None = None
    max_zoom: int = 18


@dataclass(frozen=True)
class MapOptions:
    """The options of :func:`build_map`, grouped and validated once.

    Parameters
    ----------
    title : str or None
        Shown on the map and as the page title.
    tiles : str or None
        ``"default"`` (OpenStreetMap), ``None`` (no tiles), or any tile name or URL
        folium accepts (xyzservices provider names).
    offline : bool
        Inline every asset and draw no tiles: the page needs no network at all.
    style : MarkerStyle
        Marker and clustering style.
    """

    title: str | None = None
    tiles: str | None = "default"
    offline: bool = False
    style: MarkerStyle = MarkerStyle()

    def __post_init__(self) -> None:
        if self.title is not None and not isinstance(self.title, str):
            raise RenderError(f"title must be a string or None, got {type(self.title).__name__}")
        if self.tiles is not None and not isinstance(self.tiles, str):
            raise RenderError(f"tiles must be a string or None, got {type(self.tiles).__name__}")
        if self.offline and self.tiles not in (None, "default"):
            raise RenderError(
                f"offline maps draw no tiles, but tiles={self.tiles!r} was given; "
                "use tiles='default' or tiles=None with offline=True"
            )

    @property
    def tile_name(self) -> str | None:
        """The folium tile name to draw, or ``None`` for no tiles."""
        if self.offline or self.tiles is None or self.tiles.lower() == "none":
            return None
        return _DEFAULT_TILES if self.tiles == "default" else self.tiles


# --------------------------------------------------------------------------- assets


class AssetMode(enum.Enum):
    """Where the page gets Leaflet and Leaflet.markercluster from."""

    CDN = "cdn"
    INLINE = "inline"


@dataclass(frozen=True)
class _Asset:
    """One third-party file the page needs, as published on npm."""

    package: str
    version: str
    path: str

    @property
    def url(self) -> str:
        """The file on the jsDelivr CDN (a mirror of npm)."""
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{self.version}/{self.path}"

    @property
    def kind(self) -> str:
        """``"js"`` or ``"css"``."""
        return "css" if self.path.endswith(".css") else "js"


_ASSETS: tuple[_Asset, ...] = (
    _Asset("leaflet", "1.9.4", "dist/leaflet.css"),
    _Asset("leaflet.markercluster", "1.5.3", "dist/MarkerCluster.css"),
    _Asset("leaflet", "1.9.4", "dist/leaflet.js"),
    _Asset("leaflet.markercluster", "1.5.3", "dist/leaflet.markercluster.js"),
)
_PACKAGED_ASSETS = Path(__file__).resolve().parent / "_assets"
_CLONE_ASSETS = Path(__file__).resolve().parent.parent / "node_modules"


def asset_dirs() -> tuple[Path, ...]:
    """Return the folders searched for offline assets, in order.

    ``$GEOMAP_ASSETS`` first (a folder laid out like ``node_modules``), then the
    ``geomap/_assets`` package data of a built wheel, then ``node_modules`` of a clone.
    """
    env = os.environ.get("GEOMAP_ASSETS")
    dirs = (Path(env),) if env else ()
    return (*dirs, _PACKAGED_ASSETS, _CLONE_ASSETS)


def _asset_file(asset: _Asset) -> Path:
    for base in asset_dirs():
        candidate = base / asset.package / asset.path
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in asset_dirs())
    raise RenderError(
        f"offline map needs {asset.package}@{asset.version}/{asset.path} but it is not in "
        f"{searched}; install the web assets (npm install --no-save leaflet@1.9.4 "
        "leaflet.markercluster@1.5.3) or reinstall geomap from a wheel"
    )


def local_asset_files() -> dict[str, Path]:
    """Map each CDN URL the page may link to the same file installed locally.

    Used to serve a CDN page without network (browser tests, screenshots). Files that
    are not installed are left out.
    """
    found: dict[str, Path] = {}
    for asset in _ASSETS:
        try:
            found[asset.url] = _asset_file(asset)
        except RenderError:
            continue
    return found


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def _inline_css(text: str, folder: Path) -> str:
    """Replace relative ``url(...)`` references of a CSS file by data URIs."""

    def data_uri(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        target = (folder / ref).resolve()
        if not target.is_file():
            return "url(data:,)"
        mime = "image/svg+xml" if target.suffix == ".svg" else f"image/{target.suffix[1:]}"
        payload = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{mime};base64,{payload})"

    return _CSS_URL.sub(data_uri, text)


def _script_safe(text: str, what: str) -> str:
    """Return ``text`` ready to sit inside ``<script>``/``<style>``; refuse what would end it."""
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise RenderError(f"{what} contains a closing </script> or </style> tag")
    return text


def _asset_elements(mode: AssetMode) -> list[tuple[str, Element]]:
    """Return the ``<head>`` elements that bring Leaflet and markercluster in."""
    elements: list[tuple[str, Element]] = []
    for asset in _ASSETS:
        name = f"{asset.package}/{asset.path}"
        if mode is AssetMode.CDN:
            link = CssLink(asset.url) if asset.kind == "css" else JavascriptLink(asset.url)
            elements.append((name, link))
            continue
        path = _asset_file(asset)
        text = path.read_text(encoding="utf-8")
        if asset.kind == "css":
            css = _script_safe(_inline_css(text, path.parent), name)
            elements.append((name, _RawHtml("<style>" + css + "</style>")))
        else:
            js = _script_safe(text, name)
            elements.append((name, _RawHtml("<script>" + js + "</script>")))
    return elements


def _template_text(name: str) -> str:
    text = resources.files("geomap").joinpath(_TEMPLATES).joinpath(name).read_text(encoding="utf-8")
    return _script_safe(text, name)


# --------------------------------------------------------------------------- encoding


def to_escaped_json(obj: Any) -> str:
    r"""Serialise ``obj`` as JSON that is safe inside an HTML ``<script>`` element.

    Like folium's ``_to_escaped_json``: ``<``, ``>`` and ``&`` become ``\u003c``,
    ``\u003e`` and ``\u0026`` so no ``</script>`` or ``<!--`` can appear, and U+2028 /
    U+2029 are escaped for old JavaScript parsers. Besides, a ``{`` that opens a Jinja
    tag (``{{``, ``{%``, ``{#``) becomes ``\u007b``, so the text is inert should it ever
    pass through a template engine. Such a ``{`` can only sit inside a JSON string.
    NaN and infinities are refused.

    Examples
    --------
    >>> to_escaped_json({"notes": "</script><b>&"})
    '{"notes":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    >>> to_escaped_json(["{{ x }}"])
    '["\\u007b{ x }}"]'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _JINJA_OPEN.sub(r"\\u007b", text)


def _clean_text(value: Any) -> str | None:
    """Return an untrusted cell as a valid Unicode string, or ``None`` when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = value if isinstance(value, str) else str(value)
    text = text.encode("utf-8", errors="replace").decode("utf-8").strip()
    return text or None


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _dict_encode(values: Iterable[str | None]) -> dict[str, list[Any]]:
    """Dictionary-encode texts: distinct values once, then one code per row (-1 missing)."""
    index: dict[str, int] = {}
    codes: list[int] = []
    for value in values:
        if value is None:
            codes.append(-1)
        else:
            codes.append(index.setdefault(value, len(index)))
    return {"v": list(index), "i": codes}


def _ints(series: pd.Series) -> list[int | None]:
    numbers = pd.to_numeric(series, errors="coerce")
    return [None if pd.isna(x) else int(x) for x in numbers]


def _floats(series: pd.Series, ndigits: int) -> list[float | None]:
    numbers = pd.to_numeric(series, errors="coerce").astype("float64")
    return [round(float(x), ndigits) if math.isfinite(x) else None for x in numbers]


def format_event_date(date: Any, precision: Any = 1) -> str | None:
    """Return an event date as shown in popups, according to its time precision.

    Parameters
    ----------
    date : datetime-like
        The first day of the event's period.
    precision : int
        ACLED time precision: 1 day, 2 month, 3 year (anything else: day).

    Returns
    -------
    str or None
        ``"2023-12-05"``, ``"December 2023"`` or ``"2023"``; ``None`` for a missing date.

    Examples
    --------
    >>> format_event_date(pd.Timestamp("2023-12-05"))
    '2023-12-05'
    >>> format_event_date(pd.Timestamp("2023-12-01"), 2)
    'December 2023'
    >>> format_event_date(pd.Timestamp("2023-01-01"), 3)
    '2023'
    """
    if date is None or pd.isna(date):
        return None
    stamp = pd.Timestamp(date)
    if precision == 2:
        return f"{stamp.month_name()} {stamp.year}"
    if precision == 3:
        return str(stamp.year)
    return stamp.strftime("%Y-%m-%d")


def _dates(frame: pd.DataFrame) -> tuple[list[int | None], list[int | None], list[str | None]]:
    """Return day numbers since 1970-01-01, time precisions and display labels."""
    stamps = pd.to_datetime(_column(frame, "event_date"), errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    stamps = stamps.dt.normalize()
    precisions = [p if p in (1, 2, 3) else 1 for p in _ints(_column(frame, "time_precision"))]
    days = [None if pd.isna(s) else int((s - _EPOCH).days) for s in stamps]
    labels = [format_event_date(s, p) for s, p in zip(stamps, precisions, strict=True)]
    return days, precisions, labels


def _web_links(series: pd.Series) -> tuple[list[str | None], list[str | None]]:
    """Split source URLs into http(s) links and other text (shown as plain text)."""
    links: list[str | None] = []
    others: list[str | None] = []
    for value in series:
        text = _clean_text(value)
        link = None
        if text is not None and not re.search(r"[\s\x00-\x1f\x7f]", text):
            try:
                parts = urlsplit(text)
            except ValueError:
                parts = None
            if parts and parts.scheme.lower() in ("http", "https") and parts.netloc:
                link = text
        links.append(link)
        others.append(None if link is not None else text)
    return links, others


def event_group_index(event_type: Any) -> int:
    """Return the index in :data:`EVENT_GROUPS` of an event type (the fallback if unknown).

    Examples
    --------
    >>> EVENT_GROUPS[event_group_index(" battles ")].label
    'Battles'
    >>> EVENT_GROUPS[event_group_index("<script>")].key
    'other'
    """
    text = _clean_text(event_type)
    if text is None:
        return len(EVENT_GROUPS) - 1
    return _GROUP_INDEX.get(" ".join(text.split()).casefold(), len(EVENT_GROUPS) - 1)


def _coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return (lat, lon) arrays from the point geometry, else the latitude/longitude columns."""
    geometry = getattr(frame, "geometry", None) if hasattr(frame, "crs") else None
    if geometry is not None:
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            geometry = geometry.to_crs("EPSG:4326")
        points = geometry.where(geometry.notna() & ~geometry.is_empty)
        lon = np.array([p.x if p is not None and p.geom_type == "Point" else np.nan
                        for p in points], dtype="float64")
        lat = np.array([p.y if p is not None and p.geom_type == "Point" else np.nan
                        for p in points], dtype="float64")
        return lat, lon
    lat = pd.to_numeric(_column(frame, "latitude"), errors="coerce").to_numpy("float64")
    lon = pd.to_numeric(_column(frame, "longitude"), errors="coerce").to_numpy("float64")
    return lat, lon


def encode_incidents(incidents: pd.DataFrame) -> dict[str, Any]:
    """Encode incidents as the compact column-wise record the map runtime reads.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame or pandas.DataFrame
        One row per event (the incident schema). Point geometry is used when present,
        else the ``latitude``/``longitude`` columns. Rows without usable coordinates are
        left out (and logged).

    Returns
    -------
    dict
        ``lat``, ``lon``, ``group``, ``day``, ``time_precision``, ``fatalities``,
        ``geo_precision``, ``border_km`` arrays (one entry per drawn event) and ``text``:
        dictionary-encoded text columns (``{"v": values, "i": codes}``, code -1 missing).
    """
    if not isinstance(incidents, pd.DataFrame):
        raise RenderError(
            f"incidents must be a (Geo)DataFrame, got {type(incidents).__name__}"
        )
    lat, lon = _coordinates(incidents)
    usable = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not usable.all():
        log.warning("%d incident(s) without usable coordinates are not drawn", (~usable).sum())
    frame = incidents.loc[usable]
    days, precisions, labels = _dates(frame)
    links, other_urls = _web_links(_column(frame, "source_url"))
    text = {name: _dict_encode(_clean_text(v) for v in _column(frame, name))
            for name in _TEXT_COLUMNS}
    text["date"] = _dict_encode(labels)
    text["source_link"] = _dict_encode(links)
    text["source_url"] = _dict_encode(other_urls)
    return {
        "lat": [round(float(x), 5) for x in lat[usable]],
        "lon": [round(float(x), 5) for x in lon[usable]],
        "group": [event_group_index(v) for v in _column(frame, "event_type")],
        "day": days,
        "time_precision": precisions,
        "fatalities": _ints(_column(frame, "fatalities")),
        "geo_precision": _ints(_column(frame, "geo_precision")),
        "border_km": _floats(_column(frame, "border_distance_km"), 1),
        "text": text,
    }


def _round_coords(coords: Any, ndigits: int) -> Any:
    if isinstance(coords, (int, float)):
        return round(float(coords), ndigits)
    return [_round_coords(c, ndigits) for c in coords]


def _feature_collection(
    frame: Any, properties: Sequence[str], ndigits: int = 5
) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection (EPSG:4326, ``ndigits`` decimals) of a GeoDataFrame."""
    from shapely.geometry import mapping

    if frame is None or len(frame) == 0:
        return {"type": "FeatureCollection", "features": []}
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    features = []
    for (_, row), geom in zip(frame.iterrows(), frame.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        shape = mapping(geom)
        props: dict[str, Any] = {}
        for name in properties:
            value = row.get(name)
            if name == "length_km":
                props[name] = _floats(pd.Series([value]), 0)[0]
            else:
                props[name] = _clean_text(value)
        features.append({
            "type": "Feature",
            "properties": props,
            "geometry": {"type": shape["type"],
                         "coordinates": _round_coords(shape["coordinates"], ndigits)},
        })
    return {"type": "FeatureCollection", "features": features}


def encode_borders(borders: Any) -> dict[str, Any]:
    """Encode border layers (``.countries`` and ``.lines`` GeoDataFrames) as GeoJSON.

    Parameters
    ----------
    borders : BorderLayers-like or None
        Any object with ``countries`` (``iso_a2``, ``name``, polygons) and ``lines``
        (``a``, ``b``, ``name_a``, ``name_b``, ``length_km``, lines) GeoDataFrames.

    Returns
    -------
    dict
        ``{"countries": FeatureCollection, "lines": FeatureCollection}``.
    """
    if borders is None:
        empty = _feature_collection(None, ())
        return {"countries": empty, "lines": empty}
    try:
        countries = borders.countries
        lines = borders.lines
    except AttributeError as err:
        raise RenderError(
            "borders must have .countries and .lines GeoDataFrames (a BorderLayers), "
            f"got {type(borders).__name__}"
        ) from err
    return {
        "countries": _feature_collection(countries, ("iso_a2", "name")),
        "lines": _feature_collection(lines, ("a", "b", "name_a", "name_b", "length_km")),
    }


def _vector_basemap() -> dict[str, Any]:
    """Return the world's countries (Natural Earth, light) as the offline basemap."""
    from geomap.borders import basemap_layers  # heavy, and owned by another module
    from geomap.errors import GeomapError

    try:
        countries = basemap_layers()["countries"]
    except (GeomapError, KeyError) as err:
        raise RenderError(f"offline map needs the world basemap layer: {err}") from err
    return _feature_collection(countries, ("iso_a2", "name"), ndigits=3)


# --------------------------------------------------------------------------- the map


class _RawHtml(Element):
    """A piece of the page that is written as it is, never compiled as a Jinja template.

    branca's ``Element(text)`` compiles ``text`` as a template, and ``MacroElement``
    re-compiles the output of its macros: data holding ``{{ ... }}`` or ``{% ... %}``
    would then run as Jinja code at render time. Everything geomap puts in the page goes
    through this class instead.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self._text


class _GeomapLayer(Element):
    """Embeds the data and the runtime, and calls the runtime once for the map."""

    def __init__(self, payload: dict[str, Any], base_layer: folium.TileLayer | None) -> None:
        super().__init__()
        self._name = "GeomapLayer"
        self.data_id = f"geomap-data-{self.get_name()}"
        self.payload = to_escaped_json(payload)
        self.base = base_layer.get_name() if base_layer is not None else "null"

    def render(self, **kwargs: Any) -> str:
        """Add the runtime to the head, the data to the body and the call to the script."""
        figure = self.get_root()
        css = _template_text("geomap.css")
        js = _template_text("geomap.js")
        figure.header.add_child(
            _RawHtml("<style>" + css + "</style>\n<script>" + js + "</script>"),
            name="geomap-runtime",
        )
        data_id = to_escaped_json(self.data_id)
        figure.html.add_child(
            _RawHtml(
                '<script type="application/json" id=' + data_id + ">" + self.payload
                + "</script>"
            ),
            name=self.data_id,
        )
        call = f"geomapInit({self._parent.get_name()}, {self.base}, {data_id});"
        figure.script.add_child(_RawHtml(call), name=self.get_name())
        return ""


def _bounds(events: dict[str, Any], borders: dict[str, Any]) -> list[list[float]] | None:
    lats, lons = events["lat"], events["lon"]
    if lats:
        return [[min(lats), min(lons)], [max(lats), max(lons)]]
    coords: list[tuple[float, float]] = []

    def walk(c: Any) -> None:
        if c and isinstance(c[0], (int, float)):
            coords.append((c[1], c[0]))
        else:
            for item in c:
                walk(item)

    for feature in borders["countries"]["features"]:
        walk(feature["geometry"]["coordinates"])
    if not coords:
        return None
    ys, xs = zip(*coords, strict=True)
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _payload(incidents: pd.DataFrame, borders: Any, options: MapOptions) -> dict[str, Any]:
    events = encode_incidents(incidents)
    counts = [0] * len(EVENT_GROUPS)
    for code in events["group"]:
        counts[code] += 1
    border_data = encode_borders(borders)
    return {
        "version": 1,
        "title": options.title,
        "bounds": _bounds(events, border_data),
        "groups": [
            {"key": g.key, "label": g.label, "color": g.color, "count": counts[i]}
            for i, g in enumerate(EVENT_GROUPS)
        ],
        "events": events,
        **border_data,
        "basemap": _vector_basemap() if options.offline else None,
        "attribution": list(ATTRIBUTION),
        "style": {
            "radius": options.style.radius,
            "cluster_radius": options.style.cluster_radius,
            "no_cluster_zoom": options.style.no_cluster_zoom,
            "max_zoom": options.style.max_zoom,
        },
    }


def build_map(
    incidents: pd.DataFrame,
    *,
    borders: Any = None,
    title: str | None = None,
    tiles: str | None = "default",
    offline: bool = False,
) -> folium.Map:
    """Build the interactive incident map.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        One row per event, EPSG:4326 points, the incident schema (see module docs).
        All text is treated as untrusted.
    borders : BorderLayers-like, optional
        Border layers to draw (``.countries`` polygons and shared ``.lines``).
    title : str, optional
        Shown on the map and as the page title.
    tiles : str or None, default "default"
        ``"default"`` for OpenStreetMap, ``None`` for none, or a folium tile name.
    offline : bool, default False
        Inline Leaflet and markercluster into the page and draw no tiles (the borders
        serve as a vector basemap), so the file works without any network.

    Returns
    -------
    folium.Map
        The map; write it with :func:`save_map`.

    Raises
    ------
    RenderError
        For bad options or inputs, or when offline assets are not installed.
    """
    options = MapOptions(title=title, tiles=tiles, offline=offline)
    payload = _payload(incidents, borders, options)
    mode = AssetMode.INLINE if options.offline else AssetMode.CDN

    m = folium.Map(
        location=[15.0, 0.0],
        zoom_start=3,
        tiles=None,
        control_scale=True,
    )
    m.default_js = []  # folium's own CDN links (jQuery, Bootstrap, ...) are not needed
    m.default_css = []
    root = m.get_root()
    for name, element in _asset_elements(mode):
        root.header.add_child(element, name=name)
    if options.title:
        root.title = html.escape(options.title)

    base = None
    if options.tile_name is not None:
        base = folium.TileLayer(options.tile_name, name="Basemap", control=False)
        base.add_to(m)
    m.add_child(_GeomapLayer(payload, base))
    return m


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write the map as one standalone HTML file, atomically.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`build_map`.
    path : str or os.PathLike
        The HTML file to write; its folder is created when missing.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    try:
        text = m.get_root().render()
    except Exception as err:  # folium/jinja internals never reach users
        raise RenderError(f"cannot render the map for {os.fspath(path)!r}: {err}") from err
    return write_text_atomic(path, text)
