/*
 * geomap runtime, markers: one circle marker per event, cheap enough for 100k. The style
 * options are one shared object per event type (never written per marker), and the popup
 * is bound on first use (a click, or openPopup/getPopup from code).
 */
(function (ns, global) {
  "use strict";

  /* The circle's outline and fill; the radius and colour come from the payload. */
  var MARKER_STYLE = { color: "#ffffff", weight: 1.2, fillOpacity: 0.92, className: "geomap-event" };
  var POPUP_OPTIONS = { maxWidth: 380, minWidth: 240, className: "geomap-popup-wrap" };

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

  /* Every event's marker, in event order. */
  function makeMarkers(events, groups, style, labels) {
    var options = markerOptions(groups, style, function (layer) {
      return ns.buildPopup(events, groups, labels, layer.geomapIndex);
    });
    var markers = new Array(events.n);
    for (var i = 0; i < events.n; i++) {
      var g = events.group[i];
      markers[i] = new EventMarker(events.latLng(i), i, g, options[g]);
    }
    return markers;
  }

  ns.EventMarker = EventMarker;
  ns.makeMarkers = makeMarkers;
})(ns, global);
