"""Render incidents and border layers as one standalone Leaflet HTML map.

The page is a folium map carrying three things geomap adds:

* the data, once: incidents as compact columns, the border/basemap layers as GeoJSON and
  the labels Python and the page share (:func:`geomap.map.payload.page_record`), packed by
  :func:`geomap.map.payload.pack` (JSON, raw deflate, base64) into a
  ``<script type="application/octet-stream">`` element;
* geomap's runtime (``geomap/map/templates/``: ``geomap.css`` and one JavaScript file per
  concern, inlined in the fixed order of :data:`geomap.map.assets.RUNTIME_SCRIPTS` into
  one ``<script>`` by :func:`geomap.map.assets.runtime_script`), which inflates the
  data with the browser's ``DecompressionStream``, clusters the events of the shown zoom
  level on a pixel grid (lazily, per zoom) and draws clusters as pie-chart icons and
  single events as circle markers, with popups built on demand with DOM APIs
  (``textContent``, never ``innerHTML``), a layer control that toggles event types and
  border layers, a legend with counts per event type and a date-range control; it sets
  ``window.geomap.timings`` and dispatches ``geomap:ready`` once the first view is drawn;
* Leaflet, inlined (:mod:`geomap.map.assets`): every page is standalone. Its basemap is
  the vector one it carries; online tiles (:mod:`geomap.map.tiles`) are an optional layer
  drawn over it, offered switched off unless a provider is named, so a default page asks
  no server for anything and a page whose tiles fail still shows everything else.

Every text of the input is untrusted: it reaches the page only inside the packed data and
then only as DOM text. Render reads no data files: border layers and the offline basemap
come in as arguments (:func:`geomap.pipeline.make_map` loads them).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import pandas as pd
from branca.element import Element

from geomap.atomic import write_text_atomic
from geomap.errors import RenderError
from geomap.map.assets import (
    RUNTIME_STYLE,
    AssetMode,
    local_asset_files,
    page_assets,
    runtime_script,
    runtime_text,
)
from geomap.map.basemap import basemap_details
from geomap.map.document import render_page
from geomap.map.payload import (
    EVENT_GROUPS,
    OTHER_GROUP,
    EventGroup,
    encode_borders,
    encode_incidents,
    event_group_index,
    format_event_date,
    pack,
    page_record,
    to_escaped_json,
)
from geomap.map.tiles import DEFAULT_TILES, tile_provider

__all__ = [
    "ATTRIBUTION",
    "EVENT_GROUPS",
    "OTHER_GROUP",
    "EventGroup",
    "MapOptions",
    "MarkerStyle",
    "build_map",
    "encode_borders",
    "encode_incidents",
    "event_group_index",
    "format_event_date",
    "local_asset_files",
    "save_map",
    "to_escaped_json",
]

#: Attribution lines added to every map besides the tile provider's (constant HTML).
ATTRIBUTION: tuple[str, ...] = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)',
    'Borders: <a href="https://www.naturalearthdata.com/">Natural Earth</a>',
)
#: ``MapOptions.tiles`` for the default page: :data:`DEFAULT_TILES` offered, switched off.
DEFAULT_TILE_OPTION = "default"
# The view before the runtime fits it to the data (and where a page without data stays).
_START_CENTER = (15.0, 0.0)
_START_ZOOM = 3
#: What :attr:`MarkerStyle.size_by` accepts.
SIZE_BY_CHOICES = (None, "fatalities")


@dataclass(frozen=True)
class MarkerStyle:
    """How events are drawn and clustered.

    Parameters
    ----------
    radius : float
        Circle-marker radius in pixels.
    cluster_radius : int
        Cluster radius in screen pixels: events closer than this to a cluster's first
        event merge into it. Small, so only crowded points cluster.
    max_zoom : int
        The map's maximum zoom when no tile layer sets one (vector basemap).
    size_by : {None, "fatalities"}
        Size markers and clusters by deaths (square-root scale: area grows with deaths)
        instead of one radius for all.
    min_radius, max_radius : float
        The radius (pixels) of an event with no deaths and of the deadliest event, with
        ``size_by``.
    color_by : str or None
        The column markers are coloured by (``None``: event type, ACLED's fixed colours);
        any column works, its most frequent values get a colour each, the rest "other".
    color_top : int or None
        How many values of ``color_by`` get a colour of their own (default: the palette's
        size).
    """

    radius: float = 6.0
    cluster_radius: int = 22
    max_zoom: int = 18
    size_by: str | None = None
    min_radius: float = 4.0
    max_radius: float = 18.0
    color_by: str | None = None
    color_top: int | None = None

    def __post_init__(self) -> None:
        if self.size_by not in SIZE_BY_CHOICES:
            raise RenderError(f"size_by must be one of {SIZE_BY_CHOICES}, got {self.size_by!r}")
        if not 0 < self.min_radius <= self.max_radius:
            raise RenderError(f"need 0 < min_radius <= max_radius, got {self.min_radius} "
                              f"and {self.max_radius}")


@dataclass(frozen=True)
class MapOptions:
    """The options of :func:`build_map`, validated once.

    Parameters
    ----------
    title : str or None
        Shown on the map and as the page title.
    tiles : str or None
        The online tile layer drawn over the vector basemap: ``"default"`` offers
        OpenStreetMap in the layer control, switched off (the page asks no server for
        anything until a reader turns it on); an xyzservices provider name
        (``"CartoDB.Positron"``) shows that provider on opening; ``None`` or ``"none"``
        leaves online tiles out.
    offline : bool
        No tile layer at all (as ``tiles=None``): the page offers nothing that needs a
        network. Every page inlines its assets either way.
    style : MarkerStyle
        Marker and clustering style.
    """

    title: str | None = None
    tiles: str | None = "default"
    offline: bool = False
    style: MarkerStyle = field(default_factory=MarkerStyle)

    def __post_init__(self) -> None:
        if self.title is not None and not isinstance(self.title, str):
            raise RenderError(f"title must be a string or None, got {type(self.title).__name__}")
        if self.tiles is not None and not isinstance(self.tiles, str):
            raise RenderError(f"tiles must be a string or None, got {type(self.tiles).__name__}")
        if self.offline and self.tiles not in (None, DEFAULT_TILE_OPTION, "none"):
            raise RenderError(
                f"offline maps draw no tiles, but tiles={self.tiles!r} was given; "
                "use tiles='default' or tiles=None with offline=True"
            )
        if self.tiles != DEFAULT_TILE_OPTION:
            tile_provider(self.tiles)  # an unknown name fails here, with close names
        if not isinstance(self.style, MarkerStyle):
            raise RenderError(f"style must be a MarkerStyle, got {type(self.style).__name__}")

    @property
    def tile_name(self) -> str | None:
        """The xyzservices provider of the tile layer, or ``None`` for no tile layer."""
        if self.offline:
            return None
        provider = tile_provider(DEFAULT_TILES if self.tiles == DEFAULT_TILE_OPTION
                                 else self.tiles)
        return None if provider is None else provider.name

    @property
    def tiles_shown(self) -> bool:
        """Whether the tile layer is on when the page opens (a provider was named)."""
        return self.tile_name is not None and self.tiles != DEFAULT_TILE_OPTION


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
    """Embeds the packed data and the runtime, and calls the runtime once for the map."""

    def __init__(self, packed: str, base_layer: folium.TileLayer | None) -> None:
        super().__init__()
        self._name = "GeomapLayer"
        self.data_id = f"geomap-data-{self.get_name()}"
        self.packed = packed
        self.base = base_layer.get_name() if base_layer is not None else "null"

    def render(self, **kwargs: Any) -> str:
        """Add the runtime to the head, the data to the body and the call to the script."""
        figure = self.get_root()
        css = runtime_text(RUNTIME_STYLE)
        js = runtime_script()
        figure.header.add_child(
            _RawHtml("<style>" + css + "</style>\n<script>" + js + "</script>"),
            name="geomap-runtime",
        )
        figure.html.add_child(
            _RawHtml(f'<script type="application/octet-stream" id="{self.data_id}" '
                     f'data-encoding="deflate-raw+base64">{self.packed}</script>'),
            name=self.data_id,
        )
        data_id = to_escaped_json(self.data_id)
        call = f"geomapInit({self._parent.get_name()}, {self.base}, {data_id});"
        figure.script.add_child(_RawHtml(call), name=self.get_name())
        return ""


def _payload(
    incidents: pd.DataFrame, borders: Any, basemap: Any, options: MapOptions
) -> dict[str, Any]:
    style = options.style
    record = page_record(
        incidents, borders=borders, basemap=basemap, title=options.title,
        attribution=ATTRIBUTION, color_by=style.color_by, color_top=style.color_top,
        style={"radius": style.radius, "cluster_radius": style.cluster_radius,
               "max_zoom": style.max_zoom, "size_by": style.size_by,
               "min_radius": style.min_radius, "max_radius": style.max_radius},
    )
    if basemap is not None:  # the readable basemap: admin-1 lines, lakes, place labels
        record["details"] = basemap_details(incidents, borders)
    return record


def _tile_layer(options: MapOptions) -> folium.TileLayer | None:
    """The online tile layer, or ``None``. Always in the page when there is one, on the map
    only when shown; the runtime offers it in the layer control under its label."""
    if options.tile_name is None:
        return None
    provider = tile_provider(options.tile_name)
    return folium.TileLayer(provider, name="Online tiles", control=False,
                            show=options.tiles_shown,
                            geomap_label=f"Online tiles ({provider.name})")


def build_map(
    incidents: pd.DataFrame,
    options: MapOptions | None = None,
    *,
    borders: Any = None,
    basemap: Any = None,
) -> folium.Map:
    """Build the interactive incident map.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        One row per event, EPSG:4326 points, the incident schema (see
        :func:`geomap.map.payload.encode_incidents`). All text is treated as untrusted.
    options : MapOptions, optional
        Title, tile layer, offline mode, marker style (defaults: no title,
        OpenStreetMap offered switched off).
    borders : BorderLayers-like, optional
        Border layers to draw (``.countries`` polygons and shared ``.lines``), e.g.
        :func:`geomap.borders.layers.border_layers`.
    basemap : geopandas.GeoDataFrame, optional
        Polygons drawn under everything as a light vector basemap (``iso_a2`` and
        ``name`` columns), e.g. ``geomap.borders.layers.basemap_layers()["countries"]``; what
        the map shows under (or without) the tile layer.

    Returns
    -------
    folium.Map
        The map; write it with :func:`save_map`.

    Raises
    ------
    RenderError
        For bad options or inputs, or when the web assets are not installed.
    """
    options = MapOptions() if options is None else options
    if not isinstance(options, MapOptions):
        raise RenderError(f"options must be a MapOptions, got {type(options).__name__}")
    # Assets first (looked up and read once): a map without them fails before any data
    # is encoded.
    assets = page_assets(AssetMode.INLINE)
    packed = pack(_payload(incidents, borders, basemap, options))

    m = folium.Map(location=list(_START_CENTER), zoom_start=_START_ZOOM, tiles=None,
                   control_scale=True)
    m.default_js = []  # folium's own CDN links (jQuery, Bootstrap, ...) are not needed
    m.default_css = []
    root = m.get_root()
    for name, text in assets:
        root.header.add_child(_RawHtml(text), name=name)
    if options.title:
        root.title = html.escape(options.title)
    base = _tile_layer(options)
    if base is not None:
        base.add_to(m)
    m.add_child(_GeomapLayer(packed, base))
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
    text = render_page(m, f"the map for {os.fspath(path)!r}")
    return write_text_atomic(path, text)
