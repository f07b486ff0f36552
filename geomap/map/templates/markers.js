/*
 * geomap runtime, markers: one circle marker per event, cheap enough for 100k. The style
 * options are one shared object per event type (never written per marker), and the popup
 * is bound on first use (a click, or openPopup/getPopup from code). With style.size_by
 * "fatalities" each marker's radius grows with its deaths (square-root scale: the area
 * grows with deaths) from style.min_radius (none, or unknown) to style.max_radius (the
 * deadliest event). Popups scroll within POPUP_MAX_HEIGHT_SHARE of the map's height.
 */
(function (ns, global) {
  "use strict";

  /* The circle's outline and fill; the radius and colour come from the payload. */
  var MARKER_STYLE = { color: "#ffffff", weight: 1.2, fillOpacity: 0.92, className: "geomap-event" };
  var POPUP_OPTIONS = { maxWidth: 380, minWidth: 240, className: "geomap-popup-wrap" };
  /* A popup taller than this share of the map's height scrolls. */
  var POPUP_MAX_HEIGHT_SHARE = 0.6;

  var EventMarker = L.CircleMarker.extend({
    initialize: function (latlng, index, group, options, radius) {
      this.options = options;
      this._latlng = latlng;
      this._radius = radius === undefined ? options.radius : radius;
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
      var map = this._map || (this._popup && this._popup._map);
      if (map) {
        this.ensurePopup()._popup.options.maxHeight =
          Math.round(map.getSize().y * POPUP_MAX_HEIGHT_SHARE);
      }
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

  /* One options object per event group; `popup(layer)` builds a marker's popup content. */
  function markerOptions(groups, style, popup) {
    return groups.map(function (group) {
      var options = Object.create(L.CircleMarker.prototype.options);
      Object.keys(MARKER_STYLE).forEach(function (key) { options[key] = MARKER_STYLE[key]; });
      options.radius = style.radius;
      options.fillColor = ns.safeColor(group.color);
      options.geomapPopup = popup;
      options.geomapPopupOptions = POPUP_OPTIONS;
      return options;
    });
  }

  /* The most deaths of one event (0 when none are known). */
  function maxFatalities(events) {
    var most = 0;
    for (var i = 0; i < events.n; i++) {
      most = Math.max(most, events.fatalities[i] || 0);
    }
    return most;
  }

  /* The radius of each event: style.radius, or by fatalities (see the top). */
  function markerRadius(events, style) {
    if (style.size_by !== "fatalities") {
      return function () { return style.radius; };
    }
    var most = maxFatalities(events);
    var span = style.max_radius - style.min_radius;
    return function (i) {
      var deaths = Math.max(0, events.fatalities[i] || 0);
      return most ? style.min_radius + span * Math.sqrt(deaths / most) : style.min_radius;
    };
  }

  /* Every event's marker, in event order. */
  function makeMarkers(events, groups, style, labels) {
    var options = markerOptions(groups, style, function (layer) {
      return ns.buildPopup(events, groups, labels, layer.geomapIndex);
    });
    var radius = markerRadius(events, style);
    var markers = new Array(events.n);
    for (var i = 0; i < events.n; i++) {
      var g = events.group[i];
      markers[i] = new EventMarker(events.latLng(i), i, g, options[g], radius(i));
    }
    return markers;
  }

  ns.EventMarker = EventMarker;
  ns.makeMarkers = makeMarkers;
  ns.maxFatalities = maxFatalities;
})(ns, global);
