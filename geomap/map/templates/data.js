/*
 * geomap runtime, data: unpacking the payload, the events' columns, dates and labels, and
 * the small DOM helpers every other file uses.
 *
 * Each runtime file is one function called with (ns, global): ns is the runtime's one
 * internal namespace (the files share functions only through it) and global is window.
 * geomap.map.assets wraps the files, in a fixed order, into the page's one runtime script.
 */
(function (ns, global) {
  "use strict";

  var DAY_MS = 86400000;
  var COLOR = /^#[0-9a-fA-F]{6}$/;
  var FALLBACK_COLOR = "#777777";
  var ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
  /* Distances below this many km show one decimal, longer ones whole km. */
  var KM_DECIMALS_BELOW = 10;

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
    return COLOR.test(color) ? color : FALLBACK_COLOR;
  }

  function formatKm(km) {
    return km < KM_DECIMALS_BELOW ? km.toFixed(1) : Math.round(km).toLocaleString("en");
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

  /* ---------------------------------------------------------------- days */

  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function isoToDay(text) {
    var match = ISO_DAY.exec(text || "");
    if (!match) {
      return null;
    }
    return Date.UTC(+match[1], +match[2] - 1, +match[3]) / DAY_MS;
  }

  /* ---------------------------------------------------------------- labels */

  /* The words the page shares with Python, from the payload's "labels"
     (geomap.map.payload.labels.page_labels): month names, the period each time precision
     stands for ("day", "week", "month", "year"; any other code is a day), the week's
     wording and half-width, and the wording of each geo-precision code. */
  function Labels(spec) {
    spec = spec || {};
    var week = spec.week || {};
    this.months = spec.months || [];
    this.timeUnits = spec.time_precision || {};
    this.weekLabel = week.label || "{day}";
    this.weekHalfDays = week.half_days || 0;
    this.geoPrecision = spec.geo_precision || {};
  }

  Labels.prototype.unit = function (precision) {
    return this.timeUnits[precision] || "day";
  };

  /* The first (end false) or last (end true) day of the period a coded day and its time
     precision stand for, as geomap.incidents.dates.period_bounds: the day; the days
     [day - half, day + half] of a week; the calendar month or year of the day. */
  Labels.prototype.period = function (day, precision, end) {
    var unit = this.unit(precision);
    var date = new Date(day * DAY_MS);
    var year = date.getUTCFullYear();
    var after = end ? 1 : 0;
    if (unit === "week") {
      return end ? day + this.weekHalfDays : day - this.weekHalfDays;
    }
    if (unit === "month") {
      return Date.UTC(year, date.getUTCMonth() + after, 1) / DAY_MS - after;
    }
    if (unit === "year") {
      return Date.UTC(year + after, 0, 1) / DAY_MS - after;
    }
    return day;
  };

  /* As geomap.map.payload.labels.format_event_date: "2023-12-05", "around 14 August 2024
     (week)", "December 2023" or "2023"; null for a missing date. */
  Labels.prototype.date = function (day, precision) {
    if (day === null || day === undefined) {
      return null;
    }
    var unit = this.unit(precision);
    var date = new Date(day * DAY_MS);
    if (unit === "week") {
      return this.weekLabel.replace("{day}", date.getUTCDate() + " " +
        this.months[date.getUTCMonth()] + " " + date.getUTCFullYear());
    }
    if (unit === "month") {
      return this.months[date.getUTCMonth()] + " " + date.getUTCFullYear();
    }
    if (unit === "year") {
      return String(date.getUTCFullYear());
    }
    return dayToIso(day);
  };

  /* "precision 1: the town itself", or null for a code without wording. */
  Labels.prototype.place = function (precision) {
    var text = this.geoPrecision[precision];
    return text ? "precision " + precision + ": " + text : null;
  };

  /* ---------------------------------------------------------------- the events */

  function Events(data, labels) {
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
    this.start = new Array(this.n);
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
        this.start[i] = null;
        this.end[i] = null;
        continue;
      }
      this.start[i] = labels.period(day, this.tp[i], false);
      this.end[i] = labels.period(day, this.tp[i], true);
      if (this.minDay === null || this.start[i] < this.minDay) {
        this.minDay = this.start[i];
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

  ns.el = el;
  ns.escapeHtml = escapeHtml;
  ns.safeColor = safeColor;
  ns.formatKm = formatKm;
  ns.unpack = unpack;
  ns.webLink = webLink;
  ns.dayToIso = dayToIso;
  ns.isoToDay = isoToDay;
  ns.Labels = Labels;
  ns.Events = Events;
})(ns, global);
