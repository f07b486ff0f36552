/*
 * geomap runtime, start-up: the page calls the public geomapInit once, with its Leaflet
 * map, its online tile layer (or null; on the map only when shown) and the id of the
 * data element. The data come once, from
 * a <script type="application/octet-stream"> element: JSON, raw-deflated, base64-encoded
 * (geomap.map.payload.pack), inflated with the browser's DecompressionStream; a page that
 * cannot load them says so on the map.
 *
 * Timings (performance.now(), ms since navigation start) go to window.geomap.timings:
 * decoded (data inflated and parsed), markers (marker objects made), clustered (the
 * cluster layer has drawn the initial view into the DOM) and ready (the first animation
 * frame after that). Then a "geomap:ready" event is dispatched on window. window.geomap
 * also holds the map, the clusterer, the markers, the events, the border layers, the
 * filter state, the time control, the labels and dateLabel(day, precision).
 */
(function (ns, global) {
  "use strict";

  /* The first view: fitted to where most events are (the payload's bounds, see
     geomap.map.payload.view), no closer than FIT_MAX_ZOOM. */
  var FIT_PADDING = [40, 40];
  var FIT_MAX_ZOOM = 9;
  var FAILURE_BOX = { position: "absolute", zIndex: 1000, top: "10px", left: "50px" };

  function now() {
    return global.performance ? global.performance.now() : Date.now();
  }

  function showFailure(map, err) {
    var box = ns.el("div", "geomap-title leaflet-control", "This map could not load its data: " +
      (err && err.message ? err.message : String(err)) +
      ". Open it in a recent browser (Chrome/Edge 80+, Firefox 113+, Safari 16.4+).");
    map.getContainer().appendChild(box);
    Object.keys(FAILURE_BOX).forEach(function (key) { box.style[key] = FAILURE_BOX[key]; });
  }

  /* View, vector-basemap look, attribution lines and title. */
  function setUpMap(map, data, vector) {
    if (!isFinite(map.getMaxZoom())) {
      map.setMaxZoom(data.style.max_zoom);
    }
    if (data.bounds) {
      map.fitBounds(data.bounds, { padding: FIT_PADDING, maxZoom: FIT_MAX_ZOOM, animate: false });
    }
    if (vector) {
      map.getContainer().classList.add("geomap-vector");
    }
    (data.attribution || []).forEach(function (line) {
      map.attributionControl.addAttribution(line);
    });
    if (data.title) {
      var title = new ns.TitleControl(data.title).addTo(map);
      var corner = title.getContainer().parentNode;
      corner.insertBefore(title.getContainer(), corner.firstChild);
    }
  }

  /* "3 events outside this view", with a button that shows them all: counts the shown
     events outside the map's view each time the clusters are drawn; hidden at 0. */
  function OutsideNotice(map, events, cluster) {
    var control = L.control({ position: "topleft" });
    var text = null;
    control.onAdd = function () {
      var box = ns.el("div", "geomap-outside leaflet-control");
      text = ns.el("span", "geomap-outside-text");
      var all = ns.el("button", "geomap-outside-all", "Show all");
      all.type = "button";
      all.addEventListener("click", function () {
        var points = [];
        for (var i = 0; i < events.n; i++) {
          if (cluster.active[i]) {
            points.push([events.lat[i] / events.scale, events.lon[i] / events.scale]);
          }
        }
        if (points.length) {
          map.fitBounds(points, { padding: FIT_PADDING, maxZoom: FIT_MAX_ZOOM });
        }
      });
      box.appendChild(text);
      box.appendChild(all);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.update = function () {
      var b = map.getBounds(), s = b.getSouth(), n = b.getNorth(), w = b.getWest(), e = b.getEast();
      var outside = 0;
      for (var i = 0; i < events.n; i++) {
        var lat = events.lat[i] / events.scale, lon = events.lon[i] / events.scale;
        if (cluster.active[i] && (lat < s || lat > n || lon < w || lon > e)) {
          outside += 1;
        }
      }
      text.textContent = outside.toLocaleString("en") + (outside === 1 ? " event" : " events") +
        " outside this view ";
      control.getContainer().style.display = outside ? "" : "none";
    };
    return control;
  }

  /* The legend's title, and a note on marker sizes when they follow fatalities. */
  function legendInfo(data, events) {
    var info = { title: (data.legend && data.legend.title) || null, note: null };
    if (data.style.size_by === "fatalities") {
      info.note = "Size: fatalities (area; largest event " +
        ns.maxFatalities(events).toLocaleString("en") + ")";
    }
    return info;
  }

  /* Which events are shown: those in the date range whose type is switched on. */
  function FilterState(groups, events, timings) {
    this.enabled = groups.map(function () { return true; });
    this.shown = new Uint8Array(events.n);
    this.ready = false;
    this.doneAt = null;
    this.timings = timings;
    this.refresh = function () {};
  }

  /* Show (on true) or hide one event type; the legend calls it. */
  FilterState.prototype.setType = function (g, on) {
    this.enabled[g] = Boolean(on);
    this.refresh();
  };

  /* Called after each refresh; the first one finishes the start-up. */
  FilterState.prototype.loaded = function () {
    var timings = this.timings;
    this.doneAt = now();
    if (timings.clustered === undefined) {
      timings.clustered = this.doneAt;
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          timings.ready = now();
          global.dispatchEvent(new CustomEvent("geomap:ready", { detail: timings }));
        });
      });
    }
  };

  /* Recount the legend and recluster for the timeline's range and the enabled types. */
  function refresher(state, events, groups, time, legend, cluster) {
    return function () {
      if (!state.ready) {
        return;
      }
      var range = time.range();
      var full = range.from <= events.minDay && range.to >= events.maxDay;
      var inRange = groups.map(function () { return 0; });
      var shown = new Uint8Array(events.n);
      for (var j = 0; j < events.n; j++) {
        var start = events.start[j];
        var ok = start === null || start === undefined ?
          full : start <= range.to && events.end[j] >= range.from;
        if (ok) {
          inRange[events.group[j]] += 1;
        }
        shown[j] = ok && state.enabled[events.group[j]] ? 1 : 0;
      }
      state.shown = shown;
      legend.update(inRange, events.n, state.enabled);
      time.update(state.enabled);
      cluster.setActive(state.shown);
      state.loaded();
    };
  }

  /* The optional online tile layer (drawn over the vector basemap, under everything else)
     as a layer-control entry: [] without one. It is on the map only when the page was
     made with a named provider; failed tiles stay hidden, the vector basemap shows. */
  function tileEntry(tiles) {
    if (!tiles) {
      return [];
    }
    return [{ label: tiles.options.geomapLabel || "Online tiles", layer: tiles }];
  }

  /* The timeline under the map (the date range), or a stand-in when no event has a date. */
  function timeline(map, events, state) {
    if (events.minDay === null) {
      return { range: function () { return { from: null, to: null }; }, update: function () {} };
    }
    return new ns.Timeline(events, function () { state.refresh(); }).mount(map);
  }

  function draw(map, baseLayer, data, timings) {
    var groups = data.groups;
    var labels = new ns.Labels(data.labels);
    var events = new ns.Events(data, labels);
    var vector = !(baseLayer && map.hasLayer(baseLayer));
    var state = new FilterState(groups, events, timings);
    var time = timeline(map, events, state);
    setUpMap(map, data, true);  // the vector basemap's sea shows wherever tiles fail
    var borders = ns.borderLayers(map, data, vector).concat(ns.basemapDetails(map, data));
    borders.forEach(function (entry) { entry.layer.addTo(map); });
    var overlays = borders.concat(tileEntry(baseLayer));

    var markers = ns.makeMarkers(events, groups, data.style, labels);
    timings.markers = now();
    var cluster = new ns.Clusterer(map, events, markers, groups, data.style.cluster_radius,
      data.style);
    cluster.layer.on("click", function (e) {
      var marker = e.layer;
      if (marker instanceof ns.EventMarker && !marker._popup) {
        L.DomEvent.stop(e);  // not a click on the map, which would close a spider
        marker.openPopup();
      }
    });
    var legend = new ns.LegendControl(groups, function (g, on) { state.setType(g, on); },
      legendInfo(data, events));
    state.refresh = refresher(state, events, groups, time, legend, cluster);

    ns.layerControl(map, overlays).addTo(map);
    legend.addTo(map);
    var outside = new OutsideNotice(map, events, cluster).addTo(map);
    cluster.onRender = outside.update;
    global.geomap = {
      map: map,
      cluster: cluster,
      markers: markers,
      visibleParent: function (marker) { return cluster.visibleParent(marker); },
      borders: borders,
      events: events,
      labels: labels,
      dateLabel: function (day, precision) { return labels.date(day, precision); },
      state: state,
      time: time,
      timings: timings
    };
    state.ready = true;
    state.refresh();
  }

  function geomapInit(map, baseLayer, dataId) {
    var timings = { start: now() };
    global.geomap = { timings: timings, state: { ready: false } };
    var node = document.getElementById(dataId);
    var loading;
    try {
      loading = ns.unpack(node.textContent);
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

  global.geomapInit = geomapInit;
})(ns, global);
