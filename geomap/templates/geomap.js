/*
 * geomap runtime: draws the incidents, the border layers, the legend, the title and the
 * time control of a map built by geomap.render.
 *
 * The data come once, as JSON, from a <script type="application/json"> element. Every
 * text from the data reaches the page through textContent or DOM nodes, never as HTML;
 * the few Leaflet APIs that take HTML strings only get geomap's own constant labels,
 * escaped all the same. Popups are built on demand, when a marker is clicked.
 */
(function (global) {
  "use strict";

  var DAY_MS = 86400000;
  var PRECISION = {
    1: "the town itself",
    2: "near or part of this place",
    3: "a region or country centroid"
  };
  var COLOR = /^#[0-9a-fA-F]{6}$/;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function escapeHtml(text) {
    var map = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
    return String(text).replace(/[&<>"']/g, function (c) { return map[c]; });
  }

  function safeColor(color) {
    return COLOR.test(color) ? color : "#777777";
  }

  /* A dictionary-encoded text column: {v: [distinct values], i: [codes, -1 = missing]}. */
  function textColumn(spec) {
    var values = (spec && spec.v) || [];
    var codes = (spec && spec.i) || [];
    return function (i) {
      var code = codes[i];
      return code === undefined || code === null || code < 0 ? null : values[code];
    };
  }

  function webLink(text) {
    if (!text) {
      return null;
    }
    var url;
    try {
      url = new URL(text);
    } catch (err) {
      return null;
    }
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  }

  function periodEnd(day, precision) {
    var date = new Date(day * DAY_MS);
    if (precision === 2) {
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS - 1;
    }
    if (precision === 3) {
      return Date.UTC(date.getUTCFullYear() + 1, 0, 1) / DAY_MS - 1;
    }
    return day;
  }

  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function isoToDay(text) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!match) {
      return null;
    }
    return Date.UTC(+match[1], +match[2] - 1, +match[3]) / DAY_MS;
  }

  function formatKm(km) {
    return km < 10 ? km.toFixed(1) : Math.round(km).toLocaleString("en");
  }

  /* ---------------------------------------------------------------- the events */

  function Events(data) {
    var ev = data.events;
    this.n = ev.lat.length;
    this.lat = ev.lat;
    this.lon = ev.lon;
    this.group = ev.group;
    this.day = ev.day;
    this.tp = ev.time_precision;
    this.fatalities = ev.fatalities;
    this.geoPrecision = ev.geo_precision;
    this.borderKm = ev.border_km;
    this.end = new Array(this.n);
    this.text = {};
    var names = Object.keys(ev.text || {});
    for (var k = 0; k < names.length; k++) {
      this.text[names[k]] = textColumn(ev.text[names[k]]);
    }
    this.minDay = null;
    this.maxDay = null;
    for (var i = 0; i < this.n; i++) {
      var day = this.day[i];
      if (day === null || day === undefined) {
        this.end[i] = null;
        continue;
      }
      this.end[i] = periodEnd(day, this.tp[i]);
      if (this.minDay === null || day < this.minDay) {
        this.minDay = day;
      }
      if (this.maxDay === null || this.end[i] > this.maxDay) {
        this.maxDay = this.end[i];
      }
    }
  }

  Events.prototype.get = function (name, i) {
    var column = this.text[name];
    return column ? column(i) : null;
  };

  /* ---------------------------------------------------------------- popups */

  function addRow(table, label, content) {
    if (content === null || content === undefined || content === "") {
      return;
    }
    var row = el("tr");
    row.appendChild(el("th", null, label));
    var cell = el("td");
    if (typeof content === "string") {
      cell.textContent = content;
    } else {
      cell.appendChild(content);
    }
    row.appendChild(cell);
    table.appendChild(row);
  }

  function joinText(parts, sep) {
    return parts.filter(function (p) { return p; }).join(sep);
  }

  function placeText(events, i) {
    var location = events.get("location", i);
    var geocoded = events.get("geocoded_name", i);
    var place = location || geocoded || "";
    if (location && geocoded && geocoded !== location) {
      place += " (gazetteer: " + geocoded + ")";
    }
    return joinText([place, events.get("admin1", i), events.get("country", i)], ", ");
  }

  function precisionText(events, i) {
    var p = events.geoPrecision[i];
    return PRECISION[p] ? "precision " + p + ": " + PRECISION[p] : null;
  }

  function borderText(events, i) {
    var km = events.borderKm[i];
    if (km === null || km === undefined) {
      return null;
    }
    var pair = events.get("border_pair", i);
    var target = pair ? "the " + pair.replace("-", "\u2013") + " border" : "the nearest land border";
    return formatKm(km) + " km to " + target;
  }

  function sourceNode(events, i) {
    var source = events.get("source", i);
    var link = webLink(events.get("source_link", i));
    var other = events.get("source_url", i);
    var box = el("span");
    if (link) {
      var a = el("a", null, source || link);
      a.href = link;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      box.appendChild(a);
    } else if (source) {
      box.appendChild(document.createTextNode(source));
    }
    if (other) {
      box.appendChild(el("span", "geomap-muted", (box.childNodes.length ? " " : "") + other));
    }
    return box.childNodes.length ? box : null;
  }

  function buildPopup(events, groups, i) {
    var box = el("div", "geomap-popup");
    var head = el("div", "geomap-popup-head");
    var swatch = el("span", "geomap-swatch");
    swatch.style.background = safeColor(groups[events.group[i]].color);
    head.appendChild(swatch);
    var type = events.get("event_type", i) || "Unknown event type";
    var sub = events.get("sub_event_type", i);
    head.appendChild(el("span", "geomap-popup-type", sub ? type + " \u2013 " + sub : type));
    box.appendChild(head);

    var table = el("table", "geomap-popup-table");
    addRow(table, "Date", events.get("date", i));
    addRow(table, "Actors", joinText([events.get("actor1", i), events.get("actor2", i)], " vs. "));
    addRow(table, "Place", placeText(events, i));
    addRow(table, "Location", precisionText(events, i));
    var deaths = events.fatalities[i];
    addRow(table, "Fatalities", deaths === null || deaths === undefined ? "unknown" : String(deaths));
    addRow(table, "Border", borderText(events, i));
    var notes = events.get("notes", i);
    if (notes) {
      addRow(table, "Notes", el("div", "geomap-notes", notes));
    }
    addRow(table, "Source", sourceNode(events, i));
    addRow(table, "Event ID", events.get("event_id_cnty", i));
    box.appendChild(table);
    return box;
  }

  /* ---------------------------------------------------------------- controls */

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
        swatch.style.background = safeColor(group.color);
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
      input.min = dayToIso(events.minDay);
      input.max = dayToIso(events.maxDay);
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
      from = field(box, "From", dayToIso(events.minDay));
      from.className = "geomap-time-from";
      to = field(box, "To", dayToIso(events.maxDay));
      to.className = "geomap-time-to";
      var reset = el("button", "geomap-time-reset", "All dates");
      reset.type = "button";
      reset.addEventListener("click", function () {
        from.value = dayToIso(events.minDay);
        to.value = dayToIso(events.maxDay);
        changed();
      });
      box.appendChild(reset);
      stop(box);
      return box;
    };
    control.range = function () {
      var lo = isoToDay(from && from.value);
      var hi = isoToDay(to && to.value);
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

  /* ---------------------------------------------------------------- layers */

  function clusterIcon(groups) {
    return function (cluster) {
      var children = cluster.getAllChildMarkers();
      var perGroup = groups.map(function () { return 0; });
      for (var k = 0; k < children.length; k++) {
        perGroup[children[k].options.geomapGroup] += 1;
      }
      var stops = [];
      var angle = 0;
      perGroup.forEach(function (count, g) {
        if (!count) {
          return;
        }
        var next = angle + (360 * count) / children.length;
        stops.push(safeColor(groups[g].color) + " " + angle.toFixed(1) + "deg " +
          next.toFixed(1) + "deg");
        angle = next;
      });
      var n = children.length;
      var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
      var html = '<div class="geomap-cluster-ring" style="background:conic-gradient(' +
        stops.join(",") + ')"><span>' + n + "</span></div>";
      return L.divIcon({ html: html, className: "geomap-cluster", iconSize: L.point(size, size) });
    };
  }

  /* The marker itself when drawn, else the cluster icon that stands for it, else null.
     (markercluster's getVisibleParent only knows icon markers, not circle markers.) */
  function visibleParent(marker) {
    if (marker._map) {
      return marker;
    }
    var parent = marker.__parent;
    while (parent && !parent._icon) {
      parent = parent.__parent;
    }
    return parent || null;
  }

  function samePoint(cluster) {
    var bounds = cluster.getBounds();
    return bounds.getNorthEast().equals(bounds.getSouthWest(), 1e-7);
  }

  function borderLayers(map, data, vector) {
    var layers = [];
    map.createPane("geomapBorders").style.zIndex = 350;
    if (data.basemap && data.basemap.features && data.basemap.features.length) {
      map.createPane("geomapBasemap").style.zIndex = 150;
      var world = L.geoJSON(data.basemap, {
        pane: "geomapBasemap",
        interactive: false,
        style: { color: "#b3ad9f", weight: 0.6, fillColor: "#efebe2", fillOpacity: 1 }
      });
      layers.push({ label: "Basemap (Natural Earth)", layer: world });
    }
    if (data.countries && data.countries.features && data.countries.features.length) {
      var countries = L.geoJSON(data.countries, {
        pane: "geomapBorders",
        style: vector ?
          { color: "#6b6b6b", weight: 0.9, fillColor: "#ffffff", fillOpacity: 0.55 } :
          { color: "#6b6b6b", weight: 0.8, fillColor: "#9e9e9e", fillOpacity: 0.06 },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(function () {
            var p = feature.properties || {};
            return el("span", null, p.iso_a2 ? p.name + " (" + p.iso_a2 + ")" : p.name);
          }, { sticky: true });
        }
      });
      layers.push({ label: "Countries", layer: countries });
    }
    if (data.lines && data.lines.features && data.lines.features.length) {
      var lines = L.geoJSON(data.lines, {
        pane: "geomapBorders",
        style: { color: "#3d3d3d", weight: 3, opacity: 0.85 },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(function () {
            var p = feature.properties || {};
            var text = (p.name_a || p.a) + " \u2013 " + (p.name_b || p.b) + " border";
            if (typeof p.length_km === "number") {
              text += ", " + formatKm(p.length_km) + " km";
            }
            return el("span", null, text);
          }, { sticky: true });
        }
      });
      layers.push({ label: "Shared borders", layer: lines });
    }
    return layers;
  }

  /* ---------------------------------------------------------------- entry point */

  function geomapInit(map, baseLayer, dataId) {
    var data = JSON.parse(document.getElementById(dataId).textContent);
    var groups = data.groups;
    var events = new Events(data);
    var vector = !baseLayer;
    if (!isFinite(map.getMaxZoom())) {
      map.setMaxZoom(data.style.max_zoom);
    }
    if (data.bounds) {
      map.fitBounds(data.bounds, { padding: [40, 40], maxZoom: 9, animate: false });
    }
    if (vector) {
      map.getContainer().classList.add("geomap-vector");
    }

    var attributions = data.attribution || [];
    for (var a = 0; a < attributions.length; a++) {
      map.attributionControl.addAttribution(attributions[a]);
    }
    if (data.title) {
      var title = new TitleControl(data.title).addTo(map);
      var corner = title.getContainer().parentNode;
      corner.insertBefore(title.getContainer(), corner.firstChild);
    }

    var overlays = {};
    var borders = borderLayers(map, data, vector);
    borders.forEach(function (entry) {
      entry.layer.addTo(map);
      overlays[escapeHtml(entry.label)] = entry.layer;
    });

    var cluster = L.markerClusterGroup({
      chunkedLoading: true,
      maxClusterRadius: data.style.cluster_radius,
      disableClusteringAtZoom: data.style.no_cluster_zoom,
      spiderfyOnMaxZoom: false,
      zoomToBoundsOnClick: false,
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon(groups)
    });
    cluster.on("clusterclick", function (e) {
      var c = e.layer;
      if (samePoint(c) || map.getZoom() >= map.getMaxZoom()) {
        c.spiderfy();
      } else {
        c.zoomToBounds({ padding: [30, 30] });
      }
    });

    var popup = function (layer) {
      return buildPopup(events, groups, layer.options.geomapIndex);
    };
    var markers = new Array(events.n);
    for (var i = 0; i < events.n; i++) {
      var color = safeColor(groups[events.group[i]].color);
      markers[i] = L.circleMarker([events.lat[i], events.lon[i]], {
        radius: data.style.radius,
        color: "#ffffff",
        weight: 1.2,
        fillColor: color,
        fillOpacity: 0.92,
        className: "geomap-event",
        geomapIndex: i,
        geomapGroup: events.group[i]
      }).bindPopup(popup, { maxWidth: 380, minWidth: 240, className: "geomap-popup-wrap" });
    }

    var legend = new LegendControl(groups);
    var state = {
      enabled: groups.map(function () { return true; }),
      shown: new Array(events.n),
      ready: false,
      refresh: function () {}
    };
    var time = new TimeControl(events, function () { state.refresh(); });

    state.refresh = function () {
      if (!state.ready) {
        return;
      }
      var range = time.range();
      var full = range.from <= events.minDay && range.to >= events.maxDay;
      var inRange = groups.map(function () { return 0; });
      var add = [];
      var remove = [];
      for (var j = 0; j < events.n; j++) {
        var start = events.day[j];
        var ok = start === null || start === undefined ?
          full : start <= range.to && events.end[j] >= range.from;
        if (ok) {
          inRange[events.group[j]] += 1;
        }
        var show = ok && state.enabled[events.group[j]];
        if (show && !state.shown[j]) {
          add.push(markers[j]);
        } else if (!show && state.shown[j]) {
          remove.push(markers[j]);
        }
        state.shown[j] = show;
      }
      if (remove.length) {
        cluster.removeLayers(remove);
      }
      if (add.length) {
        cluster.addLayers(add);
      }
      legend.update(inRange, events.n);
    };

    var control = L.control.layers({}, overlays, { collapsed: false, position: "topright" });
    groups.forEach(function (group, g) {
      var toggle = new TypeToggle(g, state);
      toggle.addTo(map);
      var swatch = '<span class="geomap-swatch" style="background:' + safeColor(group.color) +
        '"></span>';
      control.addOverlay(toggle, swatch + escapeHtml(group.label));
    });
    control.addTo(map);
    cluster.addTo(map);
    legend.addTo(map);
    if (events.minDay !== null) {
      time.addTo(map);
    }
    state.ready = true;
    state.refresh();
    global.geomap = {
      map: map,
      cluster: cluster,
      markers: markers,
      visibleParent: visibleParent,
      borders: borders,
      events: events,
      state: state,
      time: time
    };
  }

  global.geomapInit = geomapInit;
})(window);
