/*
 * geomap runtime, controls: the title, the legend with counts per event type, the
 * date-range control, the layer control (event types and border layers) and the border
 * and basemap layers themselves. Leaflet's layer control takes its labels as HTML: it only
 * gets geomap's constant labels and payload labels escaped with escapeHtml.
 */
(function (ns, global) {
  "use strict";

  var el = ns.el;
  var EN_DASH = "\u2013";
  /* Panes above the tiles (200) and below the markers (400): basemap, then borders. */
  var BASEMAP_PANE_Z = 150;
  var BORDERS_PANE_Z = 350;
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

  function LegendControl(groups) {
    var control = L.control({ position: "bottomright" });
    var counts = [];
    var status = null;
    control.onAdd = function () {
      var box = el("div", "geomap-legend leaflet-control");
      box.appendChild(el("div", "geomap-legend-title", "Events by type"));
      var list = el("ul");
      groups.forEach(function (group, g) {
        var item = el("li");
        item.setAttribute("data-group", group.key);
        var swatch = el("span", "geomap-swatch");
        swatch.style.background = ns.safeColor(group.color);
        item.appendChild(swatch);
        item.appendChild(el("span", "geomap-legend-label", group.label));
        counts[g] = el("span", "geomap-legend-count", "0");
        item.appendChild(counts[g]);
        list.appendChild(item);
      });
      box.appendChild(list);
      status = el("div", "geomap-legend-total");
      box.appendChild(status);
      stop(box);
      return box;
    };
    control.update = function (inRange, total) {
      var sum = 0;
      groups.forEach(function (group, g) {
        counts[g].textContent = inRange[g].toLocaleString("en");
        counts[g].parentNode.classList.toggle("geomap-empty", inRange[g] === 0);
        sum += inRange[g];
      });
      status.textContent = sum.toLocaleString("en") + " of " + total.toLocaleString("en") +
        " events in the date range";
    };
    return control;
  }

  function TimeControl(events, onChange) {
    var control = L.control({ position: "bottomleft" });
    var from = null;
    var to = null;
    function field(box, label, value) {
      var wrap = el("label", "geomap-time-field", label + " ");
      var input = el("input");
      input.type = "date";
      input.value = value;
      input.min = ns.dayToIso(events.minDay);
      input.max = ns.dayToIso(events.maxDay);
      input.addEventListener("input", changed);
      input.addEventListener("change", changed);
      wrap.appendChild(input);
      box.appendChild(wrap);
      return input;
    }
    function changed() {
      onChange(control.range());
    }
    control.onAdd = function () {
      var box = el("div", "geomap-time leaflet-control");
      box.appendChild(el("div", "geomap-legend-title", "Date range"));
      from = field(box, "From", ns.dayToIso(events.minDay));
      from.className = "geomap-time-from";
      to = field(box, "To", ns.dayToIso(events.maxDay));
      to.className = "geomap-time-to";
      var reset = el("button", "geomap-time-reset", "All dates");
      reset.type = "button";
      reset.addEventListener("click", function () {
        from.value = ns.dayToIso(events.minDay);
        to.value = ns.dayToIso(events.maxDay);
        changed();
      });
      box.appendChild(reset);
      stop(box);
      return box;
    };
    control.range = function () {
      var lo = ns.isoToDay(from && from.value);
      var hi = ns.isoToDay(to && to.value);
      return {
        from: lo === null ? events.minDay : lo,
        to: hi === null ? events.maxDay : hi
      };
    };
    return control;
  }

  /* A layer-control entry that switches one event type on and off. */
  var TypeToggle = L.Layer.extend({
    initialize: function (index, state) {
      this._index = index;
      this._state = state;
    },
    onAdd: function () {
      this._state.enabled[this._index] = true;
      this._state.refresh();
    },
    onRemove: function () {
      this._state.enabled[this._index] = false;
      this._state.refresh();
    }
  });

  /* The layer control: the border layers, then one toggle per event type. */
  function layerControl(map, groups, borders, state) {
    var overlays = {};
    borders.forEach(function (entry) {
      overlays[ns.escapeHtml(entry.label)] = entry.layer;
    });
    var control = L.control.layers({}, overlays, { collapsed: false, position: "topright" });
    groups.forEach(function (group, g) {
      var toggle = new TypeToggle(g, state);
      toggle.addTo(map);
      var swatch = '<span class="geomap-swatch" style="background:' + ns.safeColor(group.color) +
        '"></span>';
      control.addOverlay(toggle, swatch + ns.escapeHtml(group.label));
    });
    return control;
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
  ns.TimeControl = TimeControl;
  ns.layerControl = layerControl;
  ns.borderLayers = borderLayers;
})(ns, global);
