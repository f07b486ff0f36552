/*
 * geomap runtime, timeline: the panel under the map that holds the date range. A histogram
 * of events (or fatalities) per day, week or month (the bin follows the data's span), a
 * brush over it (drag a handle to move one end, the middle to move the window, or drag
 * anywhere else to draw a new one), ISO text boxes for the two ends, a play button that
 * steps a window through time, and a warning for a range that cannot be applied. Every
 * date it shows is an ISO day (YYYY-MM-DD), never the browser's locale.
 *
 * One range filters the map: an event is shown when its period (start..end, from its time
 * precision) overlaps [from, to]. The timeline owns that range; start.js reads it with
 * range() and is told of changes through onChange; bars follow the legend's type toggles.
 */
(function (ns, global) {
  "use strict";

  var el = ns.el;
  var SVG = "http://www.w3.org/2000/svg";
  var EN_DASH = "\u2013";
  /* The bin from the span of the data, in days: by day up to DAY_BINS_UP_TO_DAYS, by week
     up to WEEK_BINS_UP_TO_DAYS, by month up to MONTH_BINS_UP_TO_DAYS, then by year. */
  var DAY_BINS_UP_TO_DAYS = 92;
  var WEEK_BINS_UP_TO_DAYS = 730;
  var MONTH_BINS_UP_TO_DAYS = 366 * 25;
  /* 1970-01-01 (day 0) was a Thursday: weeks start on Monday, as ISO weeks do. */
  var MONDAY_OFFSET = 3;
  var WEEK_DAYS = 7;
  var CHART_HEIGHT = 56;
  var BAR_GAP_PX = 1;
  var HANDLE_PX = 7;
  /* A drag shorter than this many pixels on the chart is a click: it selects one bin. */
  var CLICK_PX = 3;
  /* Play: one step per PLAY_STEP_MS, one bin at a time; a window of PLAY_WINDOW_BINS bins
     when the whole span is selected. */
  var PLAY_STEP_MS = 700;
  var PLAY_WINDOW_BINS = 4;
  var PLAY = "\u25B6 Play";
  var PAUSE = "\u275A\u275A Pause";
  var DAY_MS = 86400000;

  function svg(tag, className) {
    var node = document.createElementNS(SVG, tag);
    if (className) {
      node.setAttribute("class", className);
    }
    return node;
  }

  function clamp(value, lo, hi) {
    return Math.max(lo, Math.min(hi, value));
  }

  /* ---------------------------------------------------------------- bins */

  function binUnit(span) {
    if (span <= DAY_BINS_UP_TO_DAYS) {
      return "day";
    }
    if (span <= WEEK_BINS_UP_TO_DAYS) {
      return "week";
    }
    return span <= MONTH_BINS_UP_TO_DAYS ? "month" : "year";
  }

  /* The first day of the bin holding `day`, and the first day of the next bin. */
  function binStart(unit, day) {
    if (unit === "day") {
      return day;
    }
    if (unit === "week") {
      return day - (((day + MONDAY_OFFSET) % WEEK_DAYS) + WEEK_DAYS) % WEEK_DAYS;
    }
    var date = new Date(day * DAY_MS);
    var month = unit === "month" ? date.getUTCMonth() : 0;
    return Date.UTC(date.getUTCFullYear(), month, 1) / DAY_MS;
  }

  function nextBin(unit, start) {
    if (unit === "day" || unit === "week") {
      return start + (unit === "day" ? 1 : WEEK_DAYS);
    }
    var date = new Date(start * DAY_MS);
    var y = date.getUTCFullYear();
    return (unit === "month" ? Date.UTC(y, date.getUTCMonth() + 1, 1) : Date.UTC(y + 1, 0, 1)) /
      DAY_MS;
  }

  /* The bins covering [minDay, maxDay]: their first days, then one past the last. */
  function Bins(minDay, maxDay) {
    this.unit = binUnit(maxDay - minDay + 1);
    this.starts = [];
    for (var d = binStart(this.unit, minDay); d <= maxDay; d = nextBin(this.unit, d)) {
      this.starts.push(d);
    }
    this.starts.push(nextBin(this.unit, this.starts[this.starts.length - 1]));
    this.n = this.starts.length - 1;
    this.lo = this.starts[0];
    this.hi = this.starts[this.n];  // exclusive
  }

  /* The index of the bin holding `day` (binary search). */
  Bins.prototype.index = function (day) {
    var a = 0, b = this.n - 1;
    while (a < b) {
      var mid = (a + b + 1) >> 1;
      if (this.starts[mid] <= day) {
        a = mid;
      } else {
        b = mid - 1;
      }
    }
    return a;
  };

  /* Events (or fatalities) per bin of the events whose type is enabled, by coded day. */
  function tally(events, bins, enabled, fatalities) {
    var out = new Float64Array(bins.n);
    for (var i = 0; i < events.n; i++) {
      var day = events.day[i];
      if (day === null || day === undefined || !enabled[events.group[i]]) {
        continue;
      }
      out[bins.index(day)] += fatalities ? (events.fatalities[i] || 0) : 1;
    }
    return out;
  }

  /* ---------------------------------------------------------------- the panel */

  function Timeline(events, onChange) {
    this.events = events;
    this.onChange = onChange;
    this.bins = new Bins(events.minDay, events.maxDay);
    this.from = events.minDay;
    this.to = events.maxDay;
    this.fatalities = false;
    this.enabled = null;
    this.counts = null;
    this.timer = null;
    this.pending = false;
    this.node = null;
    this.fit = null;
  }

  Timeline.prototype.range = function () {
    return { from: this.from, to: this.to };
  };

  Timeline.prototype.isFull = function () {
    return this.from <= this.events.minDay && this.to >= this.events.maxDay;
  };

  /* Apply a range (days, inclusive): boxes, brush and the map follow. */
  Timeline.prototype.setRange = function (from, to) {
    this.from = Math.round(from);
    this.to = Math.round(to);
    this.warn(null);
    this.fromBox.value = ns.dayToIso(this.from);
    this.toBox.value = ns.dayToIso(this.to);
    this.drawBrush();
    this.changed();
  };

  /* Tell the map once per animation frame, however fast the brush moves. */
  Timeline.prototype.changed = function () {
    var self = this;
    if (self.pending) {
      return;
    }
    self.pending = true;
    requestAnimationFrame(function () {
      self.pending = false;
      self.onChange(self.range());
    });
  };

  Timeline.prototype.warn = function (text) {
    this.warning.textContent = text || "";
    this.warning.hidden = !text;
    this.fromBox.classList.toggle("geomap-invalid", Boolean(text));
    this.toBox.classList.toggle("geomap-invalid", Boolean(text));
    if (this.fit) {
      this.fit();  // a warning may wrap the bar onto a second line
    }
  };

  /* The boxes were edited: apply a valid range, warn about any other. */
  Timeline.prototype.typed = function (final) {
    var lo = ns.isoToDay(this.fromBox.value.trim());
    var hi = ns.isoToDay(this.toBox.value.trim());
    var valid = function (day, box) { return day !== null && ns.dayToIso(day) === box.value.trim(); };
    if (!valid(lo, this.fromBox) || !valid(hi, this.toBox)) {
      if (final) {
        this.warn("Write dates as YYYY-MM-DD; the map keeps " + ns.dayToIso(this.from) + " " +
          EN_DASH + " " + ns.dayToIso(this.to) + ".");
      }
      return;
    }
    if (lo > hi) {
      this.warn("\u201cFrom\u201d is after \u201cTo\u201d: the map keeps " +
        ns.dayToIso(this.from) + " " + EN_DASH + " " + ns.dayToIso(this.to) + ".");
      return;
    }
    this.warn(null);
    this.from = lo;
    this.to = hi;
    this.drawBrush();
    this.changed();
  };

  function dateBox(self, bar, label, className, day) {
    var wrap = el("label", "geomap-time-field", label + " ");
    var input = el("input", className);
    input.type = "text";
    input.value = ns.dayToIso(day);
    input.placeholder = "YYYY-MM-DD";
    input.maxLength = 10;
    input.size = 10;
    input.spellcheck = false;
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("aria-label", label + " (YYYY-MM-DD)");
    input.addEventListener("input", function () { self.typed(false); });
    input.addEventListener("change", function () { self.typed(true); });
    wrap.appendChild(input);
    bar.appendChild(wrap);
    return input;
  }

  function button(bar, className, text, onClick) {
    var node = el("button", className, text);
    node.type = "button";
    node.addEventListener("click", onClick);
    bar.appendChild(node);
    return node;
  }

  /* The row above the chart: play, the two dates, all dates, the series, the warning. */
  Timeline.prototype.buildBar = function () {
    var self = this;
    var bar = el("div", "geomap-timeline-bar");
    self.playButton = button(bar, "geomap-play", PLAY, function () { self.togglePlay(); });
    self.fromBox = dateBox(self, bar, "From", "geomap-time-from", self.from);
    self.toBox = dateBox(self, bar, "To", "geomap-time-to", self.to);
    button(bar, "geomap-time-reset", "All dates", function () {
      self.stop();
      self.setRange(self.events.minDay, self.events.maxDay);
    });
    self.seriesButton = button(bar, "geomap-series", "Show fatalities", function () {
      self.fatalities = !self.fatalities;
      self.seriesButton.textContent = self.fatalities ? "Show events" : "Show fatalities";
      self.counts = null;
      self.drawBars();
    });
    self.caption = el("span", "geomap-timeline-caption");
    bar.appendChild(self.caption);
    self.warning = el("span", "geomap-time-warning");
    self.warning.setAttribute("role", "alert");
    self.warning.hidden = true;
    bar.appendChild(self.warning);
    return bar;
  };

  /* Put the panel under the map's container and give the map the height it takes. */
  Timeline.prototype.mount = function (map) {
    var self = this;
    var container = map.getContainer();
    self.node = el("div", "geomap-timeline");
    self.node.appendChild(self.buildBar());
    self.chart = svg("svg", "geomap-timeline-chart");
    self.chart.setAttribute("height", CHART_HEIGHT);
    self.bars = svg("g", "geomap-timeline-bars");
    self.brush = svg("g", "geomap-brush");
    self.chart.appendChild(self.bars);
    self.chart.appendChild(self.brush);
    self.node.appendChild(self.chart);
    var axis = el("div", "geomap-timeline-axis");
    axis.appendChild(el("span", null, ns.dayToIso(self.events.minDay)));
    axis.appendChild(el("span", null, ns.dayToIso(self.events.maxDay)));
    self.node.appendChild(axis);
    container.parentNode.insertBefore(self.node, container.nextSibling);
    var height = null;
    function fit() {  // the map takes what the panel leaves (its bar may wrap)
      if (self.node.offsetHeight !== height) {
        height = self.node.offsetHeight;
        container.style.height = "calc(100% - " + height + "px)";
        map.invalidateSize({ animate: false });
      }
    }
    self.fit = fit;
    fit();
    global.addEventListener("resize", fit);
    map.on("resize", function () { self.draw(); });
    ns.attachBrush(self);
    return self;
  };

  /* Redraw for the enabled types (an array of booleans, one per group). */
  Timeline.prototype.update = function (enabled) {
    var key = enabled.join();
    if (this.enabled !== key) {
      this.enabled = key;
      this.enabledList = enabled.slice();
      this.counts = null;
      this.drawBars();
    }
  };

  Timeline.prototype.draw = function () {
    this.drawBars();
    this.drawBrush();
  };

  /* Day <-> x in the chart's own pixels. */
  Timeline.prototype.width = function () {
    return this.chart.getBoundingClientRect().width || 1;
  };

  Timeline.prototype.dayToX = function (day) {
    var bins = this.bins;
    return (clamp(day, bins.lo, bins.hi) - bins.lo) / (bins.hi - bins.lo) * this.width();
  };

  Timeline.prototype.xToDay = function (x) {
    var bins = this.bins;
    return bins.lo + clamp(x / this.width(), 0, 1) * (bins.hi - bins.lo);
  };

  Timeline.prototype.drawBars = function () {
    var bins = this.bins;
    if (!this.node || !this.enabledList) {
      return;
    }
    if (!this.counts) {
      this.counts = tally(this.events, bins, this.enabledList, this.fatalities);
    }
    var counts = this.counts;
    var top = 0;
    for (var b = 0; b < bins.n; b++) {
      top = Math.max(top, counts[b]);
    }
    while (this.bars.firstChild) {
      this.bars.removeChild(this.bars.firstChild);
    }
    for (var k = 0; k < bins.n; k++) {
      if (!counts[k]) {
        continue;
      }
      var x0 = this.dayToX(bins.starts[k]);
      var x1 = this.dayToX(bins.starts[k + 1]);
      var h = Math.max(1, counts[k] / top * (CHART_HEIGHT - 2));
      var bar = svg("rect", "geomap-timeline-bar-rect");
      bar.setAttribute("x", x0);
      bar.setAttribute("width", Math.max(1, x1 - x0 - BAR_GAP_PX));
      bar.setAttribute("y", CHART_HEIGHT - h);
      bar.setAttribute("height", h);
      bar.setAttribute("data-start", ns.dayToIso(bins.starts[k]));
      bar.setAttribute("data-value", counts[k]);
      this.bars.appendChild(bar);
    }
    this.caption.textContent = (this.fatalities ? "fatalities" : "events") + " per " +
      bins.unit + ", highest " + top.toLocaleString("en");
    this.shadeBars();
  };

  /* Bars outside the range are pale. */
  Timeline.prototype.shadeBars = function () {
    var bins = this.bins, from = this.from, to = this.to;
    var rects = this.bars.childNodes;
    for (var i = 0; i < rects.length; i++) {
      var start = ns.isoToDay(rects[i].getAttribute("data-start"));
      var end = nextBin(bins.unit, start) - 1;
      rects[i].classList.toggle("geomap-out", end < from || start > to);
    }
  };

  /* ---------------------------------------------------------------- play */

  Timeline.prototype.stop = function () {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.playButton.textContent = PLAY;
    this.playButton.setAttribute("aria-pressed", "false");
  };

  /* Start at the first bins (or where the window is) and step one bin per tick. */
  Timeline.prototype.togglePlay = function () {
    var self = this, bins = self.bins, ev = self.events;
    if (self.timer !== null) {
      self.stop();
      return;
    }
    if (self.isFull() || self.to >= ev.maxDay) {
      var width = self.isFull() ? bins.starts[Math.min(PLAY_WINDOW_BINS, bins.n)] - bins.lo :
        self.to - self.from + 1;
      self.setRange(ev.minDay, Math.min(ev.maxDay, ev.minDay + width - 1));
    }
    self.playButton.textContent = PAUSE;
    self.playButton.setAttribute("aria-pressed", "true");
    self.timer = setInterval(function () {
      if (self.to >= ev.maxDay) {
        self.stop();
        return;
      }
      var step = nextBin(bins.unit, binStart(bins.unit, self.from)) - binStart(bins.unit, self.from);
      self.setRange(self.from + step, Math.min(ev.maxDay, self.to + step));
    }, PLAY_STEP_MS);
  };

  ns.Timeline = Timeline;
  ns.timelineParts = { svg: svg, clamp: clamp, HANDLE_PX: HANDLE_PX, CLICK_PX: CLICK_PX,
    CHART_HEIGHT: CHART_HEIGHT };
})(ns, global);
