/*
 * geomap runtime, popups: one event's popup, built on demand when its marker is clicked.
 * Every text from the data goes in through textContent or text nodes, never as HTML.
 */
(function (ns, global) {
  "use strict";

  var el = ns.el;
  var EN_DASH = "\u2013";
  /* Border distances come in tenths of a kilometre. */
  var DKM_PER_KM = 10;

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

  /* The place as the input names it; the gazetteer's name in brackets when it differs and
     no geocode note (see locationText) says already what the gazetteer chose. */
  function placeText(events, i) {
    var location = events.get("location", i);
    var geocoded = events.get("geocoded_name", i);
    var place = location || geocoded || "";
    if (location && geocoded && geocoded !== location && !events.get("geocode_note", i)) {
      place += " (gazetteer: " + geocoded + ")";
    }
    return joinText([place, events.get("admin1", i), events.get("country", i)], ", ");
  }

  /* What placed the event (geomap's geocode_note: given coordinates, an exact name, a
     spelling variant or fuzzy match with its score, a commune's centre), then its
     precision: "...; precision 3: an area ...". */
  function locationText(events, labels, i) {
    return joinText([events.get("geocode_note", i), labels.place(events.geoPrecision[i])], "; ");
  }

  function borderText(events, i) {
    var dkm = events.borderDkm[i];
    if (dkm === null || dkm === undefined) {
      return null;
    }
    var km = dkm / DKM_PER_KM;
    var pair = events.get("border_pair", i);
    var target = pair ? "the " + pair.replace("-", EN_DASH) + " border" : "the nearest land border";
    return ns.formatKm(km) + " km to " + target;
  }

  function sourceNode(events, i) {
    var source = events.get("source", i);
    var link = ns.webLink(events.get("source_link", i));
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

  function buildPopup(events, groups, labels, i) {
    var box = el("div", "geomap-popup");
    var head = el("div", "geomap-popup-head");
    var swatch = el("span", "geomap-swatch");
    swatch.style.background = ns.safeColor(groups[events.group[i]].color);
    head.appendChild(swatch);
    var type = events.get("event_type", i) || "Unknown event type";
    var sub = events.get("sub_event_type", i);
    head.appendChild(el("span", "geomap-popup-type", sub ? type + " " + EN_DASH + " " + sub : type));
    box.appendChild(head);

    var table = el("table", "geomap-popup-table");
    addRow(table, "Date", labels.date(events.day[i], events.tp[i]));
    addRow(table, "Actors", joinText([events.get("actor1", i), events.get("actor2", i)], " vs. "));
    addRow(table, "Place", placeText(events, i));
    addRow(table, "Location", locationText(events, labels, i));
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

  ns.buildPopup = buildPopup;
})(ns, global);
