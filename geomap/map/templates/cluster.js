/*
 * geomap runtime, clustering: greedy grid clustering, one zoom level at a time and only
 * when that level is shown. At zoom z each shown event, in order, joins the nearest
 * cluster seed within `radius` screen pixels, else seeds a new cluster. O(n) per visited
 * zoom with typed arrays, so the first view of 100k events costs tens of milliseconds
 * (markercluster clusters every zoom level up front, seconds for 100k). Only what lies in
 * the view is drawn: single events as their circle markers, clusters as pie-chart icons.
 * A cluster whose events share one point (or any cluster at the maximum zoom) spiderfies
 * when clicked (spider.js).
 *
 * A second pass makes sure no icon hides another's count: clusters (and single markers)
 * whose boxes would overlap at that zoom merge, repeatedly, until none do (union-find,
 * O(clusters) per pass). Icons are sized by their number of events, or with style.size_by
 * "fatalities" by their deaths (square root of their share of all deaths, between
 * FATAL_ICON_MIN and FATAL_ICON_MAX pixels).
 */
(function (ns, global) {
  "use strict";

  /* Web Mercator's latitude limit: the latitude whose projection is a square world. */
  var MERCATOR_MAX_LAT = 85.05112878;
  /* The world is TILE_SIZE pixels wide at zoom 0 and doubles at each zoom. */
  var TILE_SIZE = 256;
  /* A grid cell (cx, cy) is keyed cx * GRID_ROW_KEYS + cy. 2^26 is the world's width in
     pixels at zoom 18 (TILE_SIZE * 2^18): a row of the grid has TILE_SIZE * 2^z / radius
     cells, at most that many at zoom 18 with a radius of 1 pixel or more, and at zoom 19
     (OpenStreetMap's maximum) with 2 pixels or more; and keys stay below 2^53, exact. */
  var GRID_ROW_KEYS = Math.pow(2, 26);
  /* Layers just outside the view are drawn too, so a small pan shows no gap. */
  var VIEW_PADDING = 0.3;
  /* A cluster whose events lie this close together (degrees) shares one point. */
  var SAME_POINT_DEGREES = 1e-7;
  /* Padding (pixels) when a click zooms to a cluster's events. */
  var ZOOM_PADDING = [30, 30];
  /* Cluster icon sizes (pixels) by the number of events: below `under`, `size`. */
  var ICON_SIZES = [
    { under: 10, size: 28 }, { under: 100, size: 34 }, { under: 1000, size: 40 },
    { under: Infinity, size: 46 }
  ];
  var FULL_TURN_DEG = 360;
  /* Icons closer than this many pixels (edge to edge) count as overlapping. */
  var ICON_GAP = 2;
  /* The overlap pass stops after this many rounds (each round merges every overlap it sees). */
  var MAX_MERGE_PASSES = 32;
  /* Cluster icon diameters (pixels) with size_by "fatalities": no deaths, all deaths. */
  var FATAL_ICON_MIN = 28;
  var FATAL_ICON_MAX = 64;

  function iconSize(n) {
    for (var k = 0; k < ICON_SIZES.length; k++) {
      if (n < ICON_SIZES[k].under) {
        return ICON_SIZES[k].size;
      }
    }
    return ICON_SIZES[ICON_SIZES.length - 1].size;
  }

  /* Web Mercator world units (0..1) back to a latitude. */
  function unprojectLat(y) {
    return (2 * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - Math.PI / 2) * 180 / Math.PI;
  }

  function Clusterer(map, events, markers, groups, radius, style) {
    this.map = map;
    this.events = events;
    this.markers = markers;
    this.groups = groups;
    this.radius = radius;
    this.byDeaths = Boolean(style && style.size_by === "fatalities");
    this.totalDeaths = 0;
    for (var d = 0; d < events.n; d++) {
      this.totalDeaths += Math.max(0, events.fatalities[d] || 0);
    }
    this.onRender = null;
    this.active = new Uint8Array(events.n);
    this.levels = {};
    this.drawn = new Set();
    this.spider = null;
    this.layer = L.featureGroup().addTo(map);
    /* Web Mercator positions in world units (0..1), computed once. */
    var n = events.n;
    this.mx = new Float64Array(n);
    this.my = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var lat = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, events.lat[i] / events.scale));
      var s = Math.sin(lat * Math.PI / 180);
      this.mx[i] = (events.lon[i] / events.scale + 180) / 360;
      this.my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    var self = this;
    map.on("zoomstart", function () { self.unspiderfy(false); });
    map.on("zoomend moveend", function () { self.render(); });
    map.on("click", function () { self.unspiderfy(true); });
  }

  /* Show only the events whose `active` entry is 1; every level is clustered anew. */
  Clusterer.prototype.setActive = function (active) {
    this.active = active;
    this.levels = {};
    this.unspiderfy(false);
    this.render();
  };

  /* The cluster seed nearest to (x, y) within the radius, or -1. */
  function nearestSeed(cells, seedX, seedY, x, y, r) {
    var cx = Math.floor(x / r), cy = Math.floor(y / r);
    var best = -1, bestD = r * r;
    for (var dx = -1; dx <= 1; dx++) {
      for (var dy = -1; dy <= 1; dy++) {
        var list = cells.get((cx + dx) * GRID_ROW_KEYS + (cy + dy));
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
    return best;
  }

  /* The clusters of zoom z: {zoom, members: [[event index, ...], ...], clusterOf: event ->
     cluster (-1 when not shown), latlngs: each cluster's mean position (null for one
     event), icons: cluster icons made so far}. Memoised until setActive. */
  Clusterer.prototype.level = function (z) {
    if (this.levels[z]) {
      return this.levels[z];
    }
    var n = this.events.n, r = this.radius, scale = TILE_SIZE * Math.pow(2, z);
    var cells = new Map();
    var seedX = [], seedY = [], members = [];
    var clusterOf = new Int32Array(n).fill(-1);
    for (var i = 0; i < n; i++) {
      if (!this.active[i]) {
        continue;
      }
      var x = this.mx[i] * scale, y = this.my[i] * scale;
      var best = nearestSeed(cells, seedX, seedY, x, y, r);
      if (best < 0) {
        best = seedX.length;
        seedX.push(x);
        seedY.push(y);
        members.push([i]);
        var key = Math.floor(x / r) * GRID_ROW_KEYS + Math.floor(y / r);
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
    members = this.mergeOverlaps(members, scale);
    var level = { zoom: z, members: members, clusterOf: clusterOf, latlngs: [], sizes: [],
      icons: [] };
    for (var c = 0; c < members.length; c++) {
      var m = members[c];
      for (var k = 0; k < m.length; k++) {
        clusterOf[m[k]] = c;
      }
      level.latlngs.push(m.length === 1 ? null : this.meanLatLng(m));
      level.sizes.push(m.length === 1 ? 0 : this.iconSize(m.length, this.deathsOf(m)));
    }
    this.levels[z] = level;
    return level;
  };

  Clusterer.prototype.deathsOf = function (m) {
    var sum = 0;
    for (var k = 0; k < m.length; k++) {
      sum += Math.max(0, this.events.fatalities[m[k]] || 0);
    }
    return sum;
  };

  /* An icon's diameter (pixels) for n events with `deaths` deaths. */
  Clusterer.prototype.iconSize = function (n, deaths) {
    if (!this.byDeaths) {
      return iconSize(n);
    }
    var share = this.totalDeaths ? deaths / this.totalDeaths : 0;
    return Math.round(FATAL_ICON_MIN + (FATAL_ICON_MAX - FATAL_ICON_MIN) * Math.sqrt(share));
  };

  /* Merge the clusters of `members` whose icons (or markers) would overlap at this scale
     (pixels per world unit) until none do; returns the merged member lists. */
  Clusterer.prototype.mergeOverlaps = function (members, scale) {
    var k = members.length, self = this;
    var parent = new Int32Array(k), n = new Float64Array(k), deaths = new Float64Array(k);
    var sx = new Float64Array(k), sy = new Float64Array(k), size = new Float64Array(k);
    for (var c = 0; c < k; c++) {
      var m = members[c];
      parent[c] = c;
      n[c] = m.length;
      deaths[c] = this.deathsOf(m);
      for (var j = 0; j < m.length; j++) {
        sx[c] += this.mx[m[j]];
        sy[c] += this.my[m[j]];
      }
      size[c] = m.length === 1 ? 2 * this.markers[m[0]]._radius : this.iconSize(n[c], deaths[c]);
    }
    function merge(a, b) {
      parent[b] = a;
      n[a] += n[b];
      deaths[a] += deaths[b];
      sx[a] += sx[b];
      sy[a] += sy[b];
      size[a] = self.iconSize(n[a], deaths[a]);
    }
    for (var pass = 0; pass < MAX_MERGE_PASSES && this.mergePass(parent, n, sx, sy, size, scale,
      merge); pass++) {
      /* each pass merges what overlaps; merged icons may overlap new neighbours */
    }
    var byRoot = new Map(), out = [];
    for (var r = 0; r < k; r++) {
      var root = r;
      while (parent[root] !== root) {
        root = parent[root];
      }
      var list = byRoot.get(root);
      if (!list) {
        list = [];
        byRoot.set(root, list);
        out.push(list);
      }
      Array.prototype.push.apply(list, members[r]);
    }
    return out;
  };

  /* One round over the live clusters on a grid as wide as the largest icon; true when
     anything merged. */
  Clusterer.prototype.mergePass = function (parent, n, sx, sy, size, scale, merge) {
    var cell = ICON_GAP, k = parent.length, grid = new Map(), merged = false, c;
    for (c = 0; c < k; c++) {
      cell = parent[c] === c ? Math.max(cell, size[c] + ICON_GAP) : cell;
    }
    function x(c) { return sx[c] / n[c] * scale; }
    function y(c) { return sy[c] / n[c] * scale; }
    for (c = 0; c < k; c++) {
      if (parent[c] !== c) {
        continue;
      }
      var cx = Math.floor(x(c) / cell), cy = Math.floor(y(c) / cell);
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          var list = grid.get((cx + dx) * GRID_ROW_KEYS + (cy + dy)) || [];
          for (var j = 0; j < list.length; j++) {
            var o = list[j], reach = (size[c] + size[o]) / 2 + ICON_GAP;
            if (parent[o] === o && Math.abs(x(o) - x(c)) < reach && Math.abs(y(o) - y(c)) < reach) {
              merge(o, c);
              merged = true;
              break;
            }
          }
          if (parent[c] !== c) {
            break;
          }
        }
        if (parent[c] !== c) {
          break;
        }
      }
      if (parent[c] === c) {
        var key = cx * GRID_ROW_KEYS + cy;
        grid.set(key, (grid.get(key) || []).concat([c]));
      }
    }
    return merged;
  };

  /* A cluster's position: the mean of its events in Web Mercator (where icons are laid out). */
  Clusterer.prototype.meanLatLng = function (m) {
    var sumX = 0, sumY = 0;
    for (var j = 0; j < m.length; j++) {
      sumX += this.mx[m[j]];
      sumY += this.my[m[j]];
    }
    return new L.LatLng(unprojectLat(sumY / m.length), (sumX / m.length) * 360 - 180);
  };

  /* A pie chart of the cluster's event types: the stops of a conic gradient. */
  Clusterer.prototype.pieStops = function (m) {
    var groups = this.groups, perGroup = groups.map(function () { return 0; });
    for (var k = 0; k < m.length; k++) {
      perGroup[this.events.group[m[k]]] += 1;
    }
    var stops = [], angle = 0;
    perGroup.forEach(function (count, g) {
      if (!count) {
        return;
      }
      var next = angle + (FULL_TURN_DEG * count) / m.length;
      stops.push(ns.safeColor(groups[g].color) + " " + angle.toFixed(1) + "deg " +
        next.toFixed(1) + "deg");
      angle = next;
    });
    return stops;
  };

  Clusterer.prototype.icon = function (level, c) {
    if (level.icons[c]) {
      return level.icons[c];
    }
    var n = level.members[c].length, size = level.sizes[c];
    var tip = n + " events" + (this.byDeaths ? ", " + this.deathsOf(level.members[c]) +
      " fatalities" : "");
    var html = '<div class="geomap-cluster-ring" title="' + tip +
      '" style="background:conic-gradient(' + this.pieStops(level.members[c]).join(",") +
      ')"><span>' + n + "</span></div>";
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
    var view = map.getBounds().pad(VIEW_PADDING);
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
    var group = this.layer, drawn = this.drawn;
    drawn.forEach(function (l) {
      if (!want.has(l)) {
        group.removeLayer(l);
      }
    });
    want.forEach(function (l) {
      if (!drawn.has(l)) {
        group.addLayer(l);
      }
    });
    this.drawn = want;
    if (this.onRender) {
      this.onRender();
    }
  };

  /* Zoom to the cluster's events, or fan them out when zooming cannot separate them. */
  Clusterer.prototype.clusterClick = function (level, c) {
    var map = this.map;
    var m = level.members[c];
    var bounds = L.latLngBounds(m.map(function (i) { return this.markers[i].getLatLng(); }, this));
    if (bounds.getNorthEast().equals(bounds.getSouthWest(), SAME_POINT_DEGREES) ||
        map.getZoom() >= map.getMaxZoom()) {
      this.spiderfy(level, c);
    } else {
      map.fitBounds(bounds, { padding: ZOOM_PADDING });
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

  ns.Clusterer = Clusterer;
})(ns, global);
