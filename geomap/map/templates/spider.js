/*
 * geomap runtime, spiderfy: fans the events of one cluster out around its point (a circle
 * up to CIRCLE_SPIRAL_SWITCHOVER events, else a spiral), with legs back to the point, as
 * Leaflet.markercluster does (its constants, under its names). Adds two methods to the
 * Clusterer of cluster.js.
 */
(function (ns, global) {
  "use strict";

  var Clusterer = ns.Clusterer;
  var TWO_PI = 2 * Math.PI;
  var CIRCLE_SPIRAL_SWITCHOVER = 9;
  /* Circle: the distance between neighbouring markers (pixels), the shortest leg and the
     angle of the first marker. */
  var CIRCLE_FOOT_SEPARATION = 25;
  var CIRCLE_MIN_LEG = 28;
  var CIRCLE_START_ANGLE = Math.PI / 6;
  /* Spiral: the distance between neighbouring markers, the first leg's length, how fast
     legs grow, and a small extra turn per marker that keeps long spirals apart. */
  var SPIRAL_FOOT_SEPARATION = 28;
  var SPIRAL_LENGTH_START = 11;
  var SPIRAL_LENGTH_FACTOR = 5;
  var SPIRAL_ANGLE_STEP = 0.0005;
  var LEG_STYLE = {
    color: "#222222", weight: 1.2, opacity: 0.6, interactive: false, className: "geomap-spider-leg"
  };

  function circlePoints(center, count) {
    var legLength = Math.max(CIRCLE_MIN_LEG,
      (CIRCLE_FOOT_SEPARATION * (2 + count)) / TWO_PI);
    var step = TWO_PI / count, points = [];
    for (var k = 0; k < count; k++) {
      var angle = CIRCLE_START_ANGLE + k * step;
      points.push(center.add(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(legLength)));
    }
    return points;
  }

  function spiralPoints(center, count) {
    var length = SPIRAL_LENGTH_START, angle = 0, points = [];
    for (var k = 0; k < count; k++) {
      angle += SPIRAL_FOOT_SEPARATION / length + k * SPIRAL_ANGLE_STEP;
      points.push(center.add(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(length)));
      length += (TWO_PI * SPIRAL_LENGTH_FACTOR) / angle;
    }
    return points;
  }

  Clusterer.prototype.spiderfy = function (level, c) {
    this.unspiderfy(false);
    var map = this.map, m = level.members[c];
    var center = map.latLngToLayerPoint(level.latlngs[c]);
    var points = m.length <= CIRCLE_SPIRAL_SWITCHOVER ?
      circlePoints(center, m.length) : spiralPoints(center, m.length);
    var spider = { level: level, id: c, layers: [], moved: [] };
    for (var k = 0; k < m.length; k++) {
      var marker = this.markers[m[k]];
      var to = map.layerPointToLatLng(points[k]);
      spider.moved.push([marker, marker.getLatLng()]);
      marker.setLatLng(to);
      spider.layers.push(L.polyline([level.latlngs[c], to], LEG_STYLE));
      spider.layers.push(marker);
    }
    this.spider = spider;
    this.render();
  };

  /* Put the fanned-out markers back; redraw the view when `redraw`. */
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
})(ns, global);
