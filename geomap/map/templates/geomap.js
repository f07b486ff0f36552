/*
 * geomap runtime: draws the incidents, the border layers, the legend, the title and the
 * time control of a map built by geomap.map.page.
 *
 * The data come once, from a <script type="application/octet-stream"> element: JSON,
 * raw-deflated, base64-encoded (geomap.map.payload.pack), inflated here with the
 * browser's DecompressionStream. Every text from the data reaches the page through
 * textContent or DOM nodes, never as HTML; the few Leaflet APIs that take HTML strings
 * only get geomap's own constant labels, escaped all the same. Popups are built on
 * demand, when a marker is clicked.
 *
 * Timings (performance.now(), ms since navigation start) go to window.geomap.timings:
 * decoded (data inflated and parsed), markers (marker objects made), clustered (the
 * cluster layer has added every marker and drawn the initial view into the DOM) and
 * ready (the first animation frame after that). Then a "geomap:ready" event is
 * dispatched on window.
 */
(function (global) {
  "use strict";

  var DAY_MS = 86400000;
  var PRECISION = {
    1: "the town itself",
    2: "near or part of this place",
    3: "an area (commune, region or country)"
  };
  var COLOR = /^#[0-9a-fA-F]{6}$/;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

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

  /* A dictionary-encoded text column: {v: [distinct values], i: [codes, -1 = missing]};
     without "i", event i has value i. */
  function textColumn(spec) {
    var values = (spec && spec.v) || [];
    var codes = spec && spec.i;
    if (!codes) {
      return function (i) {
        var value = values[i];
        return value === undefined ? null : value;
      };
    }
    return function (i) {
      var code = codes[i];
      return code === undefined || code === null || code < 0 ? null : values[code];
    };
  }

  /* base64 -> bytes -> raw inflate -> JSON. */
  function unpack(text) {
    var binary = atob(text.replace(/\s+/g, ""));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(JSON.parse);
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

  /* As geomap.map.payload.format_event_date: "2023-12-05", "December 2023" or "2023". */
  function dateLabel(day, precision) {
    if (day === null || day === undefined) {
      return null;
    }
    var date = new Date(day * DAY_MS);
    if (precision === 2) {
      return MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear();
    }
    if (precision === 3) {
      return String(date.getUTCFullYear());
    }
    return dayToIso(day);
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
    this.n = ev.n;
    this.scale = data.coord_scale;
    this.lat = ev.lat;
    this.lon = ev.lon;
    this.group = ev.group;
    this.day = ev.day;
    this.tp = ev.time_precision;
    this.fatalities = ev.fatalities;
    this.geoPrecision = ev.geo_precision;
    this.borderDkm = ev.border_dkm;
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

  Events.prototype.latLng = function (i) {
    return new L.LatLng(this.lat[i] / this.scale, this.lon[i] / this.scale);
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
    var dkm = events.borderDkm[i];
    if (dkm === null || dkm === undefined) {
      return null;
    }
    var km = dkm / 10;
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
    addRow(table, "Date", dateLabel(events.day[i], events.tp[i]));
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

  /* ---------------------------------------------------------------- clustering */

  /* Greedy grid clustering, one zoom level at a time and only when that level is shown:
     at zoom z each shown event, in order, joins the nearest cluster seed within `radius`
     screen pixels, else seeds a new cluster. O(n) per visited zoom with typed arrays, so the
     first view of 100k events costs tens of milliseconds (markercluster clusters every
     zoom level up front, seconds for 100k). Only what lies in the view is drawn: single
     events as their circle markers, clusters as pie-chart icons. A cluster whose events
     share one point (or any cluster at the maximum zoom) spiderfies when clicked. */
  function Clusterer(map, events, markers, groups, radius) {
    this.map = map;
    this.events = events;
    this.markers = markers;
    this.groups = groups;
    this.radius = radius;
    this.active = new Uint8Array(events.n);
    this.levels = {};
    this.drawn = new Set();
    this.spider = null;
    this.layer = L.featureGroup().addTo(map);
    var n = events.n;
    this.mx = new Float64Array(n);
    this.my = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var lat = Math.max(-85.05112878, Math.min(85.05112878, events.lat[i] / events.scale));
      var s = Math.sin(lat * Math.PI / 180);
      this.mx[i] = (events.lon[i] / events.scale + 180) / 360;
      this.my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    var self = this;
    map.on("zoomstart", function () { self.unspiderfy(false); });
    map.on("zoomend moveend", function () { self.render(); });
    map.on("click", function () { self.unspiderfy(true); });
  }

  Clusterer.prototype.setActive = function (active) {
    this.active = active;
    this.levels = {};
    this.unspiderfy(false);
    this.render();
  };

  Clusterer.prototype.level = function (z) {
    if (this.levels[z]) {
      return this.levels[z];
    }
    var n = this.events.n, r = this.radius, r2 = r * r, scale = 256 * Math.pow(2, z);
    var cells = new Map();
    var seedX = [], seedY = [], members = [];
    var clusterOf = new Int32Array(n).fill(-1);
    for (var i = 0; i < n; i++) {
      if (!this.active[i]) {
        continue;
      }
      var x = this.mx[i] * scale, y = this.my[i] * scale;
      var cx = Math.floor(x / r), cy = Math.floor(y / r);
      var best = -1, bestD = r2;
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          var list = cells.get((cx + dx) * 67108864 + (cy + dy));
          if (!list) {
            continue;
          }
          for (var k = 0; k < list.length; k++) {
            var c = list[k], ex = seedX[c] - x, ey = seedY[c] - y, d = ex * ex + ey * ey;
            if (d <= bestD) {
              bestD = d;
              best = c;
            }
          }
        }
      }
      if (best < 0) {
        best = seedX.length;
        seedX.push(x);
        seedY.push(y);
        members.push([i]);
        var key = cx * 67108864 + cy;
        var cell = cells.get(key);
        if (cell) {
          cell.push(best);
        } else {
          cells.set(key, [best]);
        }
      } else {
        members[best].push(i);
      }
      clusterOf[i] = best;
    }
    var level = { zoom: z, members: members, clusterOf: clusterOf, latlngs: [], icons: [] };
    for (var c2 = 0; c2 < members.length; c2++) {
      var m = members[c2];
      if (m.length === 1) {
        level.latlngs.push(null);
        continue;
      }
      var sumLat = 0, sumLon = 0;
      for (var j = 0; j < m.length; j++) {
        sumLat += this.events.lat[m[j]];
        sumLon += this.events.lon[m[j]];
      }
      level.latlngs.push(new L.LatLng(sumLat / m.length / this.events.scale,
        sumLon / m.length / this.events.scale));
    }
    this.levels[z] = level;
    return level;
  };

  Clusterer.prototype.icon = function (level, c) {
    if (level.icons[c]) {
      return level.icons[c];
    }
    var m = level.members[c], groups = this.groups, perGroup = groups.map(function () { return 0; });
    for (var k = 0; k < m.length; k++) {
      perGroup[this.events.group[m[k]]] += 1;
    }
    var stops = [], angle = 0;
    perGroup.forEach(function (count, g) {
      if (!count) {
        return;
      }
      var next = angle + (360 * count) / m.length;
      stops.push(safeColor(groups[g].color) + " " + angle.toFixed(1) + "deg " + next.toFixed(1) + "deg");
      angle = next;
    });
    var n = m.length;
    var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
    var html = '<div class="geomap-cluster-ring" style="background:conic-gradient(' +
      stops.join(",") + ')"><span>' + n + "</span></div>";
    var icon = L.marker(level.latlngs[c], {
      icon: L.divIcon({ html: html, className: "geomap-cluster", iconSize: L.point(size, size) }),
      keyboard: false
    });
    icon.geomapCluster = { level: level, id: c };
    var self = this;
    icon.on("click", function (e) {
      L.DomEvent.stop(e);
      self.clusterClick(level, c);
    });
    level.icons[c] = icon;
    return icon;
  };

  /* Draw what the view needs: each cluster or single event of the current zoom level
     whose position is in the (padded) view. */
  Clusterer.prototype.render = function () {
    var map = this.map;
    var level = this.level(Math.round(map.getZoom()));
    var view = map.getBounds().pad(0.3);
    var south = view.getSouth(), north = view.getNorth(), west = view.getWest(), east = view.getEast();
    var want = new Set();
    var spider = this.spider && this.spider.level === level ? this.spider : null;
    for (var c = 0; c < level.members.length; c++) {
      var m = level.members[c];
      var layer;
      if (m.length === 1) {
        layer = this.markers[m[0]];
      } else if (spider && spider.id === c) {
        continue;
      } else {
        layer = this.icon(level, c);
      }
      var p = layer.getLatLng();
      if (p.lat >= south && p.lat <= north && p.lng >= west && p.lng <= east) {
        want.add(layer);
      }
    }
    if (spider) {
      spider.layers.forEach(function (l) { want.add(l); });
    }
    var group = this.layer;
    this.drawn.forEach(function (l) {
      if (!want.has(l)) {
        group.removeLayer(l);
      }
    });
    var drawn = this.drawn;
    want.forEach(function (l) {
      if (!drawn.has(l)) {
        group.addLayer(l);
      }
    });
    this.drawn = want;
  };

  Clusterer.prototype.clusterClick = function (level, c) {
    var map = this.map;
    var m = level.members[c];
    var bounds = L.latLngBounds(m.map(function (i) { return this.markers[i].getLatLng(); }, this));
    if (bounds.getNorthEast().equals(bounds.getSouthWest(), 1e-7) ||
        map.getZoom() >= map.getMaxZoom()) {
      this.spiderfy(level, c);
    } else {
      map.fitBounds(bounds, { padding: [30, 30] });
    }
  };

  /* Fan the events of one cluster out around its point (a circle up to 9, else a spiral),
     with legs back to the point, as markercluster does. */
  Clusterer.prototype.spiderfy = function (level, c) {
    this.unspiderfy(false);
    var map = this.map, m = level.members[c];
    var center = map.latLngToLayerPoint(level.latlngs[c]);
    var points = [], k, angle;
    if (m.length <= 9) {
      var legLength = Math.max(28, (25 * (2 + m.length)) / (2 * Math.PI));
      var step = (2 * Math.PI) / m.length;
      for (k = 0; k < m.length; k++) {
        angle = Math.PI / 6 + k * step;
        points.push(center.add(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(legLength)));
      }
    } else {
      var length = 11;
      angle = 0;
      for (k = 0; k < m.length; k++) {
        angle += 28 / length + k * 0.0005;
        points.push(center.add(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(length)));
        length += (2 * Math.PI * 5) / angle;
      }
    }
    var spider = { level: level, id: c, layers: [], moved: [] };
    for (k = 0; k < m.length; k++) {
      var marker = this.markers[m[k]];
      var to = map.layerPointToLatLng(points[k]);
      spider.moved.push([marker, marker.getLatLng()]);
      marker.setLatLng(to);
      spider.layers.push(L.polyline([level.latlngs[c], to], {
        color: "#222222", weight: 1.2, opacity: 0.6, interactive: false,
        className: "geomap-spider-leg"
      }));
      spider.layers.push(marker);
    }
    this.spider = spider;
    this.render();
  };

  Clusterer.prototype.unspiderfy = function (redraw) {
    var spider = this.spider;
    if (!spider) {
      return;
    }
    this.spider = null;
    spider.moved.forEach(function (entry) {
      entry[0].closePopup();
      entry[0].setLatLng(entry[1]);
    });
    if (redraw) {
      this.render();
    }
  };

  /* The marker itself when drawn, else the cluster icon that stands for it, else null. */
  Clusterer.prototype.visibleParent = function (marker) {
    if (marker._map) {
      return marker;
    }
    var level = this.levels[Math.round(this.map.getZoom())];
    if (!level) {
      return null;
    }
    var c = level.clusterOf[marker.geomapIndex];
    var icon = c >= 0 ? level.icons[c] : null;
    return icon && icon._map ? icon : null;
  };

  /* ---------------------------------------------------------------- markers */

  /* One circle marker per event, cheap enough for 100k: the style options are one shared
     object per event type (never written per marker), and the popup is bound on first
     use (a click, or openPopup/getPopup from code). */
  var EventMarker = L.CircleMarker.extend({
    initialize: function (latlng, index, group, options) {
      this.options = options;
      this._latlng = latlng;
      this._radius = options.radius;
      this.geomapIndex = index;
      this.geomapGroup = group;
    },
    ensurePopup: function () {
      if (!this._popup) {
        this.bindPopup(this.options.geomapPopup, this.options.geomapPopupOptions);
      }
      return this;
    },
    openPopup: function (latlng) {
      this.ensurePopup();
      return L.CircleMarker.prototype.openPopup.call(this, latlng);
    },
    getPopup: function () {
      return this.ensurePopup()._popup;
    },
    togglePopup: function () {
      return L.CircleMarker.prototype.togglePopup.call(this.ensurePopup());
    }
  });

  function markerOptions(groups, style, popup) {
    return groups.map(function (group) {
      var options = Object.create(L.CircleMarker.prototype.options);
      options.radius = style.radius;
      options.color = "#ffffff";
      options.weight = 1.2;
      options.fillColor = safeColor(group.color);
      options.fillOpacity = 0.92;
      options.className = "geomap-event";
      options.geomapPopup = popup;
      options.geomapPopupOptions = {
        maxWidth: 380, minWidth: 240, className: "geomap-popup-wrap"
      };
      return options;
    });
  }

  /* ---------------------------------------------------------------- entry point */

  function now() {
    return global.performance ? global.performance.now() : Date.now();
  }

  function showFailure(map, err) {
    var box = el("div", "geomap-title leaflet-control", "This map could not load its data: " +
      (err && err.message ? err.message : String(err)) +
      ". Open it in a recent browser (Chrome/Edge 80+, Firefox 113+, Safari 16.4+).");
    map.getContainer().appendChild(box);
    box.style.position = "absolute";
    box.style.zIndex = 1000;
    box.style.top = "10px";
    box.style.left = "50px";
  }

  function geomapInit(map, baseLayer, dataId) {
    var timings = { start: now() };
    global.geomap = { timings: timings, state: { ready: false } };
    var node = document.getElementById(dataId);
    var loading;
    try {
      loading = unpack(node.textContent);
    } catch (err) {
      loading = Promise.reject(err);
    }
    return loading.then(function (data) {
      timings.decoded = now();
      draw(map, baseLayer, data, timings);
    }, function (err) {
      showFailure(map, err);
      throw err;
    });
  }

  function draw(map, baseLayer, data, timings) {
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

    var state = {
      enabled: groups.map(function () { return true; }),
      shown: new Uint8Array(events.n),
      ready: false,
      doneAt: null,
      refresh: function () {}
    };
    function loaded() {
      state.doneAt = now();
      if (timings.clustered === undefined) {
        timings.clustered = state.doneAt;
        requestAnimationFrame(function () {
          requestAnimationFrame(function () {
            timings.ready = now();
            global.dispatchEvent(new CustomEvent("geomap:ready", { detail: timings }));
          });
        });
      }
    }

    var options = markerOptions(groups, data.style, function (layer) {
      return buildPopup(events, groups, layer.geomapIndex);
    });
    var markers = new Array(events.n);
    for (var i = 0; i < events.n; i++) {
      var g = events.group[i];
      markers[i] = new EventMarker(events.latLng(i), i, g, options[g]);
    }
    timings.markers = now();
    var cluster = new Clusterer(map, events, markers, groups, data.style.cluster_radius);
    cluster.layer.on("click", function (e) {
      var marker = e.layer;
      if (marker instanceof EventMarker && !marker._popup) {
        L.DomEvent.stop(e);  // not a click on the map, which would close a spider
        marker.openPopup();
      }
    });

    var legend = new LegendControl(groups);
    var time = new TimeControl(events, function () { state.refresh(); });

    state.refresh = function () {
      if (!state.ready) {
        return;
      }
      var range = time.range();
      var full = range.from <= events.minDay && range.to >= events.maxDay;
      var inRange = groups.map(function () { return 0; });
      var shown = new Uint8Array(events.n);
      for (var j = 0; j < events.n; j++) {
        var start = events.day[j];
        var ok = start === null || start === undefined ?
          full : start <= range.to && events.end[j] >= range.from;
        if (ok) {
          inRange[events.group[j]] += 1;
        }
        shown[j] = ok && state.enabled[events.group[j]] ? 1 : 0;
      }
      state.shown = shown;
      legend.update(inRange, events.n);
      cluster.setActive(state.shown);
      loaded();
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
    legend.addTo(map);
    if (events.minDay !== null) {
      time.addTo(map);
    }
    global.geomap = {
      map: map,
      cluster: cluster,
      markers: markers,
      visibleParent: function (marker) { return cluster.visibleParent(marker); },
      borders: borders,
      events: events,
      dateLabel: dateLabel,
      state: state,
      time: time,
      timings: timings
    };
    state.ready = true;
    state.refresh();
  }

  global.geomapInit = geomapInit;
})(window);
