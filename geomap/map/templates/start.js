/*
 * geomap runtime, start-up: the page calls the public geomapInit once, with its Leaflet
 * map, its tile layer (or null) and the id of the data element. The data come once, from
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

  /* The first view: fitted to the data, no closer than FIT_MAX_ZOOM. */
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

  /* Which events are shown: those in the date range whose type is switched on. */
  function FilterState(groups, events, timings) {
    this.enabled = groups.map(function () { return true; });
    this.shown = new Uint8Array(events.n);
    this.ready = false;
    this.doneAt = null;
    this.timings = timings;
    this.refresh = function () {};
  }

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

  /* Recount the legend and recluster for the time control's range and the enabled types. */
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
      legend.update(inRange, events.n);
      cluster.setActive(state.shown);
      state.loaded();
    };
  }

  function draw(map, baseLayer, data, timings) {
    var groups = data.groups;
    var labels = new ns.Labels(data.labels);
    var events = new ns.Events(data, labels);
    var vector = !baseLayer;
    setUpMap(map, data, vector);
    var borders = ns.borderLayers(map, data, vector);
    borders.forEach(function (entry) { entry.layer.addTo(map); });

    var state = new FilterState(groups, events, timings);
    var markers = ns.makeMarkers(events, groups, data.style, labels);
    timings.markers = now();
    var cluster = new ns.Clusterer(map, events, markers, groups, data.style.cluster_radius);
    cluster.layer.on("click", function (e) {
      var marker = e.layer;
      if (marker instanceof ns.EventMarker && !marker._popup) {
        L.DomEvent.stop(e);  // not a click on the map, which would close a spider
        marker.openPopup();
      }
    });
    var legend = new ns.LegendControl(groups);
    var time = new ns.TimeControl(events, function () { state.refresh(); });
    state.refresh = refresher(state, events, groups, time, legend, cluster);

    ns.layerControl(map, groups, borders, state).addTo(map);
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
