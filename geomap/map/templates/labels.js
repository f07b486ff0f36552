/*
 * geomap runtime, the readable basemap: first-level boundaries, lakes and place labels
 * (data.details, geomap.map.basemap). Boundaries and lakes are SVG paths in a pane over
 * the vector basemap and under online tiles. Place labels come most important first
 * (capitals, cities, towns, the events' own places, villages); a kind shows from its zoom
 * level on (data.details.places.kinds). After every move or zoom the labels of the view
 * are placed in that order and a label whose box would overlap one already placed is
 * skipped, so no two labels ever overlap. Text widths are measured once per label with a
 * canvas in the label's own CSS font.
 */
(function (ns, global) {
  "use strict";

  var DETAILS_PANE_Z = 160;  // over the vector basemap (150), under tiles (200)
  var LABELS_PANE_Z = 620;   // over markers (600), under tooltips and popups (650, 700)
  var DETAIL_STYLE = {
    admin1: { className: "geomap-admin1", color: "#9a927f", weight: 0.9, opacity: 0.9,
      dashArray: "5 3", fill: false },
    lakes: { className: "geomap-lake", color: "#86aecb", weight: 0.6, fillColor: "#c4dbec",
      fillOpacity: 1 }
  };
  var LABEL_CLASS = "geomap-place";
  var LABEL_GAP_PX = 3;       // empty space kept around every label
  var POINT_OFFSET_PX = 4;    // labels sit this far above their place
  var MAX_PLACED = 400;       // labels drawn at once, at most
  var VIEW_PAD = 0.1;         // labels just outside the view are placed too

  function hasFeatures(collection) {
    return Boolean(collection && collection.features && collection.features.length);
  }

  /* The label boxes placed so far, in layer pixels. */
  function overlaps(placed, box) {
    for (var k = 0; k < placed.length; k++) {
      var other = placed[k];
      if (box[0] < other[2] && box[2] > other[0] && box[1] < other[3] && box[3] > other[1]) {
        return true;
      }
    }
    return false;
  }

  var PlaceLabels = L.Layer.extend({
    options: { pane: "geomapLabels" },

    initialize: function (places) {
      var scale = places.scale || 1;
      this._places = places;
      this._lat = places.lat.map(function (v) { return v / scale; });
      this._lon = places.lon.map(function (v) { return v / scale; });
      this._widths = new Float32Array(places.name.length).fill(-1);
      this._fonts = null;
    },

    onAdd: function (map) {
      this._box = L.DomUtil.create("div", "geomap-places", this.getPane());
      map.on("zoomend moveend viewreset resize", this.redraw, this);
      map.on("zoomstart", this._hide, this);
      this.redraw();
    },

    onRemove: function (map) {
      map.off("zoomend moveend viewreset resize", this.redraw, this);
      map.off("zoomstart", this._hide, this);
      L.DomUtil.remove(this._box);
      this._box = null;
    },

    _hide: function () {
      this._box.style.display = "none";
    },

    /* Each kind's CSS font and line height, read once from a probe label. */
    _measureFonts: function () {
      var box = this._box;
      var canvas = document.createElement("canvas").getContext("2d");
      this._fonts = this._places.kinds.map(function (kind) {
        var probe = ns.el("div", LABEL_CLASS + " " + LABEL_CLASS + "-" + kind.key, "Mg");
        box.appendChild(probe);
        var style = global.getComputedStyle(probe);
        var font = { css: style.font, height: probe.offsetHeight };
        box.removeChild(probe);
        return font;
      });
      this._canvas = canvas;
    },

    _width: function (i) {
      if (this._widths[i] < 0) {
        var font = this._fonts[this._places.kind[i]];
        this._canvas.font = font.css;
        this._widths[i] = Math.ceil(this._canvas.measureText(this._places.name[i]).width) + 1;
      }
      return this._widths[i];
    },

    /* The label boxes of the view in priority order, skipping overlapping ones. */
    _layout: function () {
      var map = this._map;
      var p = this._places;
      var zoom = map.getZoom();
      var view = map.getBounds().pad(VIEW_PAD);
      var placed = [];
      var chosen = [];
      for (var i = 0; i < p.name.length && chosen.length < MAX_PLACED; i++) {
        var kind = p.kinds[p.kind[i]];
        if (kind.zoom > zoom || !view.contains([this._lat[i], this._lon[i]])) {
          continue;
        }
        var at = map.latLngToLayerPoint([this._lat[i], this._lon[i]]);
        var w = this._width(i);
        var h = this._fonts[p.kind[i]].height;
        var left = Math.round(at.x - w / 2);
        var top = Math.round(at.y - POINT_OFFSET_PX - h);
        var box = [left - LABEL_GAP_PX, top - LABEL_GAP_PX,
          left + w + LABEL_GAP_PX, top + h + LABEL_GAP_PX];
        if (!overlaps(placed, box)) {
          placed.push(box);
          chosen.push({ i: i, left: left, top: top, width: w, kind: kind.key });
        }
      }
      return chosen;
    },

    redraw: function () {
      if (!this._map || !this._box) {
        return;
      }
      if (!this._fonts) {
        this._measureFonts();
      }
      var names = this._places.name;
      var frag = document.createDocumentFragment();
      this._layout().forEach(function (label) {
        var node = ns.el("div", LABEL_CLASS + " " + LABEL_CLASS + "-" + label.kind,
          names[label.i]);
        node.style.width = label.width + "px";
        L.DomUtil.setPosition(node, L.point(label.left, label.top));
        frag.appendChild(node);
      });
      this._box.textContent = "";
      this._box.appendChild(frag);
      this._box.style.display = "";
    }
  });

  /* The layer-control entries of the readable basemap (none when the page has no details). */
  function basemapDetails(map, data) {
    var details = data.details;
    var entries = [];
    if (!details) {
      return entries;
    }
    map.createPane("geomapDetails").style.zIndex = DETAILS_PANE_Z;
    var labelPane = map.createPane("geomapLabels");
    labelPane.style.zIndex = LABELS_PANE_Z;
    labelPane.style.pointerEvents = "none";
    ["lakes", "admin1"].forEach(function (key) {
      if (hasFeatures(details[key])) {
        entries.push({
          label: key === "lakes" ? "Lakes" : "First-level boundaries",
          layer: L.geoJSON(details[key], {
            pane: "geomapDetails", interactive: false, style: DETAIL_STYLE[key]
          })
        });
      }
    });
    if (details.places && details.places.name.length) {
      entries.push({ label: "Place labels", layer: new PlaceLabels(details.places) });
    }
    return entries;
  }

  ns.PlaceLabels = PlaceLabels;
  ns.basemapDetails = basemapDetails;
})(ns, global);
