/*
 * geomap runtime, controls: the title, the legend (counts per event type; a click on a
 * type hides or shows it), the folded layer control for the basemap layers and the border
 * and basemap layers themselves (the date range is the timeline's, timeline.js). Leaflet's
 * layer control takes its labels as HTML: it only gets geomap's constant labels and
 * payload labels escaped with escapeHtml.
 */
(function (ns, global) {
  "use strict";

  var el = ns.el;
  var EN_DASH = "\u2013";
  /* Panes above the tiles (200) and below the markers (400): basemap, then borders. */
  var BASEMAP_PANE_Z = 150;
  var BORDERS_PANE_Z = 350;
  /* A map smaller than this (px) starts with the legend folded to its title and total. */
  var LEGEND_FOLDED_BELOW = { x: 640, y: 420 };
  /* How each layer is drawn; countries differ over tiles and over the vector basemap. */
  var LAYER_STYLE = {
    basemap: { color: "#b3ad9f", weight: 0.6, fillColor: "#efebe2", fillOpacity: 1 },
    countriesOverVector: { color: "#6b6b6b", weight: 0.9, fillColor: "#ffffff", fillOpacity: 0.55 },
    countriesOverTiles: { color: "#6b6b6b", weight: 0.8, fillColor: "#9e9e9e", fillOpacity: 0.06 },
    lines: { color: "#3d3d3d", weight: 3, opacity: 0.85 }
  };

  function stop(container) {
    L.DomEvent.disableClickPropagation(container);
    L.DomEvent.disableScrollPropagation(container);
  }

  function TitleControl(text) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "geomap-title leaflet-control", text);
      stop(box);
      return box;
    };
    return control;
  }

  /* The legend is also the type filter: a click on a type hides or shows it (onToggle(g,
     on)). Each type's count is its events in the date range; the total line counts the
     events shown (in the range, type on) of all. The list folds away under its title.
     `info` (optional): the title ({title}, default "Events by type") and a note under the
     entries ({note}, e.g. what marker sizes mean). */
  function LegendControl(groups, onToggle, info) {
    var control = L.control({ position: "bottomright" });
    var counts = [];
    var items = [];
    var status = null;
    var box = null;
    function fold(folded) {
      box.classList.toggle("geomap-folded", folded);
      box.firstChild.setAttribute("aria-expanded", String(!folded));
    }
    function item(group, g) {
      var row = el("li");
      row.setAttribute("data-group", group.key);
      var toggle = el("button", "geomap-legend-toggle");
      toggle.type = "button";
      toggle.setAttribute("aria-pressed", "true");
      toggle.title = "Hide or show this type";
      var swatch = el("span", "geomap-swatch");
      swatch.style.background = ns.safeColor(group.color);
      toggle.appendChild(swatch);
      toggle.appendChild(el("span", "geomap-legend-label", group.label));
      counts[g] = el("span", "geomap-legend-count", "0");
      toggle.appendChild(counts[g]);
      toggle.addEventListener("click", function () {
        onToggle(g, row.classList.contains("geomap-off"));
      });
      row.appendChild(toggle);
      items[g] = row;
      return row;
    }
    control.onAdd = function (map) {
      box = el("div", "geomap-legend leaflet-control");
      var head = el("button", "geomap-legend-title", (info && info.title) || "Events by type");
      head.type = "button";
      head.title = "Fold or unfold the legend";
      head.addEventListener("click", function () {
        fold(!box.classList.contains("geomap-folded"));
      });
      box.appendChild(head);
      var list = el("ul");
      groups.forEach(function (group, g) { list.appendChild(item(group, g)); });
      box.appendChild(list);
      status = el("div", "geomap-legend-total");
      box.appendChild(status);
      if (info && info.note) {
        box.appendChild(el("div", "geomap-legend-note", info.note));
      }
      var size = map.getSize();
      fold(size.x < LEGEND_FOLDED_BELOW.x || size.y < LEGEND_FOLDED_BELOW.y);
      stop(box);
      return box;
    };
    control.fold = fold;
    control.update = function (inRange, total, enabled) {
      var shown = 0;
      groups.forEach(function (group, g) {
        counts[g].textContent = inRange[g].toLocaleString("en");
        items[g].classList.toggle("geomap-empty", inRange[g] === 0);
        items[g].classList.toggle("geomap-off", !enabled[g]);
        items[g].firstChild.setAttribute("aria-pressed", String(enabled[g]));
        shown += enabled[g] ? inRange[g] : 0;
      });
      status.textContent = shown.toLocaleString("en") + " of " + total.toLocaleString("en") +
        " events shown";
    };
    return control;
  }

  /* The basemap layers (vector basemap, countries, shared borders, online tiles), each
     {label, layer}, in a small folded layer control. */
  function layerControl(map, overlays) {
    var entries = {};
    overlays.forEach(function (entry) {
      entries[ns.escapeHtml(entry.label)] = entry.layer;
    });
    return L.control.layers({}, entries, { collapsed: true, position: "topright" });
  }

  /* ---------------------------------------------------------------- border layers */

  function hasFeatures(collection) {
    return Boolean(collection && collection.features && collection.features.length);
  }

  function countryTooltip(feature) {
    var p = feature.properties || {};
    return el("span", null, p.iso_a2 ? p.name + " (" + p.iso_a2 + ")" : p.name);
  }

  function lineTooltip(feature) {
    var p = feature.properties || {};
    var text = (p.name_a || p.a) + " " + EN_DASH + " " + (p.name_b || p.b) + " border";
    if (typeof p.length_km === "number") {
      text += ", " + ns.formatKm(p.length_km) + " km";
    }
    return el("span", null, text);
  }

  function withTooltip(describe) {
    return function (feature, layer) {
      layer.bindTooltip(function () { return describe(feature); }, { sticky: true });
    };
  }

  /* The basemap, country and shared-border layers of the payload that have features,
     each as {label, layer}; `vector` when no tiles are drawn under them. */
  function borderLayers(map, data, vector) {
    var layers = [];
    map.createPane("geomapBorders").style.zIndex = BORDERS_PANE_Z;
    if (hasFeatures(data.basemap)) {
      map.createPane("geomapBasemap").style.zIndex = BASEMAP_PANE_Z;
      var world = L.geoJSON(data.basemap, {
        pane: "geomapBasemap", interactive: false, style: LAYER_STYLE.basemap
      });
      layers.push({ label: "Basemap (Natural Earth)", layer: world });
    }
    if (hasFeatures(data.countries)) {
      var countries = L.geoJSON(data.countries, {
        pane: "geomapBorders",
        style: vector ? LAYER_STYLE.countriesOverVector : LAYER_STYLE.countriesOverTiles,
        onEachFeature: withTooltip(countryTooltip)
      });
      layers.push({ label: "Countries", layer: countries });
    }
    if (hasFeatures(data.lines)) {
      var lines = L.geoJSON(data.lines, {
        pane: "geomapBorders", style: LAYER_STYLE.lines, onEachFeature: withTooltip(lineTooltip)
      });
      layers.push({ label: "Shared borders", layer: lines });
    }
    return layers;
  }

  ns.TitleControl = TitleControl;
  ns.LegendControl = LegendControl;
  ns.layerControl = layerControl;
  ns.borderLayers = borderLayers;
})(ns, global);
