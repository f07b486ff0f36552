/*
 * geomap runtime, brush: the draggable range over the timeline's histogram (timeline.js).
 * Two handles move one end each, the middle moves the whole window, a drag anywhere else
 * draws a new range and a click selects the bin under the pointer. Pointer events, so the
 * mouse, a pen and a finger all work; the range snaps to whole days.
 */
(function (ns, global) {
  "use strict";

  var parts = ns.timelineParts;
  var svg = parts.svg;
  var clamp = parts.clamp;

  function rect(parent, className, height) {
    var node = svg("rect", className);
    node.setAttribute("y", 0);
    node.setAttribute("height", height);
    parent.appendChild(node);
    return node;
  }

  function label(parent, className) {
    var node = svg("text", className);
    node.setAttribute("y", parts.CHART_HEIGHT - 4);
    parent.appendChild(node);
    return node;
  }

  /* Draw the selection, its handles and the ISO days at its ends. */
  ns.Timeline.prototype.drawBrush = function () {
    var b = this.brushParts;
    if (!b) {
      return;
    }
    var x0 = this.dayToX(this.from);
    var x1 = Math.max(x0 + 1, this.dayToX(this.to + 1));
    var half = parts.HANDLE_PX / 2;
    b.selection.setAttribute("x", x0);
    b.selection.setAttribute("width", x1 - x0);
    b.west.setAttribute("x", x0 - half);
    b.east.setAttribute("x", x1 - half);
    b.fromLabel.textContent = ns.dayToIso(this.from);
    b.toLabel.textContent = ns.dayToIso(this.to);
    b.fromLabel.setAttribute("x", x0 + 3);
    b.toLabel.setAttribute("x", x1 - 3);
    var full = this.isFull();
    b.fromLabel.style.display = full ? "none" : "";
    b.toLabel.style.display = full ? "none" : "";
    this.shadeBars();
  };

  /* What a drag starting at x (chart pixels) moves: "west", "east", "middle" or "new". */
  function grabbed(timeline, x) {
    var x0 = timeline.dayToX(timeline.from);
    var x1 = timeline.dayToX(timeline.to + 1);
    if (Math.abs(x - x0) <= parts.HANDLE_PX && !timeline.isFull()) {
      return "west";
    }
    if (Math.abs(x - x1) <= parts.HANDLE_PX && !timeline.isFull()) {
      return "east";
    }
    return x > x0 && x < x1 && !timeline.isFull() ? "middle" : "new";
  }

  /* The bin boundary (a bin's first day) nearest to a day: drawn ends snap to bins. */
  function snap(bins, day) {
    var k = bins.index(day);
    return day - bins.starts[k] < bins.starts[k + 1] - day ? bins.starts[k] : bins.starts[k + 1];
  }

  /* The range a drag gives, from where it started and where the pointer is now: ends
     snap to bins, the middle moves the window by whole days. */
  function dragged(timeline, drag, x) {
    var ev = timeline.events, bins = timeline.bins;
    var edge = snap(bins, timeline.xToDay(x));
    if (drag.what === "west") {
      return [Math.min(edge, drag.to), drag.to];
    }
    if (drag.what === "east") {
      return [drag.from, Math.max(edge - 1, drag.from)];
    }
    if (drag.what === "middle") {
      var width = drag.to - drag.from;
      var shift = Math.round(timeline.xToDay(x) - timeline.xToDay(drag.x));
      var from = clamp(drag.from + shift, ev.minDay, Math.max(ev.minDay, ev.maxDay - width));
      return [from, from + width];
    }
    var start = snap(bins, timeline.xToDay(drag.x));
    return edge === start ? [start, start] : [Math.min(edge, start), Math.max(edge, start) - 1];
  }

  /* A click (no drag) on the chart selects the bin under it. */
  function clicked(timeline, x) {
    var bins = timeline.bins;
    var k = bins.index(Math.floor(timeline.xToDay(x)));
    timeline.setRange(bins.starts[k], bins.starts[k + 1] - 1);
  }

  ns.attachBrush = function (timeline) {
    var chart = timeline.chart;
    var group = timeline.brush;
    var height = parts.CHART_HEIGHT;
    timeline.brushParts = {
      selection: rect(group, "geomap-brush-selection", height),
      west: rect(group, "geomap-brush-handle geomap-brush-west", height),
      east: rect(group, "geomap-brush-handle geomap-brush-east", height),
      fromLabel: label(group, "geomap-brush-label geomap-brush-from"),
      toLabel: label(group, "geomap-brush-label geomap-brush-to")
    };
    timeline.brushParts.west.setAttribute("width", parts.HANDLE_PX);
    timeline.brushParts.east.setAttribute("width", parts.HANDLE_PX);
    var drag = null;
    function at(e) {
      return e.clientX - chart.getBoundingClientRect().left;
    }
    chart.addEventListener("pointerdown", function (e) {
      timeline.stop();
      var x = at(e);
      drag = { what: grabbed(timeline, x), x: x, from: timeline.from, to: timeline.to,
        moved: false };
      chart.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    chart.addEventListener("pointermove", function (e) {
      var x = at(e);
      chart.style.cursor = drag ? chart.style.cursor : {
        west: "ew-resize", east: "ew-resize", middle: "grab", new: "crosshair"
      }[grabbed(timeline, x)];
      if (!drag || (!drag.moved && Math.abs(x - drag.x) < parts.CLICK_PX)) {
        return;
      }
      drag.moved = true;
      var range = dragged(timeline, drag, x);
      timeline.setRange(range[0], range[1]);
    });
    function end(e) {
      if (drag && !drag.moved && drag.what === "new") {
        clicked(timeline, at(e));
      }
      drag = null;
    }
    chart.addEventListener("pointerup", end);
    chart.addEventListener("pointercancel", function () { drag = null; });
    timeline.draw();
  };
})(ns, global);
