/* Facility map: canvas point layers for Leaflet, built from one compact JSON block.
 * Every text value reaches the page through textContent, never innerHTML.
 * Part of the community facility mapper; no network access is needed. */
(function () {
  "use strict";

  function column(col, i) {
    if (!col) return null;
    if (col.codes) { var k = col.codes[i]; return k < 0 ? null : col.values[k]; }
    return col[i];
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function drawShape(ctx, outline, x, y, r) {
    ctx.beginPath();
    for (var k = 0; k < outline.length; k++) {
      var px = x + outline[k][0] * r, py = y + outline[k][1] * r;
      if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    }
    ctx.closePath();
  }

  /* One category (or the communities): points drawn on a canvas pane. */
  var PointLayer = L.Layer.extend({
    initialize: function (spec, rows, data, options) {
      this.spec = spec; this.rows = rows; this.data = data; this.options = options;
      this.drawn = 0;
    },
    onAdd: function (map) {
      this._map = map;
      this.canvas = L.DomUtil.create("canvas", "fm-canvas");
      this.canvas.style.position = "absolute";
      this.canvas.style.pointerEvents = "none";
      map.getPanes()[this.options.pane || "overlayPane"].appendChild(this.canvas);
      map.on("moveend zoomend resize", this.redraw, this);
      this.redraw();
    },
    onRemove: function (map) {
      map.off("moveend zoomend resize", this.redraw, this);
      L.DomUtil.remove(this.canvas);
      this.drawn = 0;
    },
    redraw: function () {
      var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(this.canvas, topLeft);
      this.canvas.width = size.x * ratio; this.canvas.height = size.y * ratio;
      this.canvas.style.width = size.x + "px"; this.canvas.style.height = size.y + "px";
      var ctx = this.canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var d = this.data, rows = this.rows, spec = this.spec, opt = this.options;
      var screen = new Float32Array(rows.length * 2);
      var visible = 0, zoom = map.getZoom();
      var dense = rows.length > 3000 && zoom < 14;
      var r = dense ? 2.5 : (opt.radius || 6);
      var metres = opt.circleMetres || 0;
      ctx.lineWidth = dense ? 0 : 1.4;
      ctx.strokeStyle = "#ffffff";
      ctx.fillStyle = spec.color;
      var rowColors = spec.rowColors || null;
      var discs = {};  /* colour -> [x, y, r, ...]: merged per colour, like a dissolve */
      var labels = [];
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var p = map.latLngToContainerPoint([d.lat[row] / 1e6, d.lon[row] / 1e6]);
        screen[2 * i] = p.x; screen[2 * i + 1] = p.y;
        var reach = r + 2;
        if (metres) {
          var mpp = 40075016.686 * Math.cos(d.lat[row] / 1e6 * Math.PI / 180) /
                    Math.pow(2, zoom + 8);
          reach = metres / mpp;
        }
        if (p.x < -reach || p.y < -reach || p.x > size.x + reach || p.y > size.y + reach) continue;
        visible++;
        if (rowColors) ctx.fillStyle = rowColors[i];
        if (metres) {
          var key = rowColors ? rowColors[i] : spec.color;
          (discs[key] = discs[key] || []).push(p.x, p.y, reach);
        } else if (dense) {
          ctx.fillRect(p.x - r, p.y - r, 2 * r, 2 * r);
        } else {
          drawShape(ctx, spec.shape, p.x, p.y, r);
          ctx.fill(); ctx.stroke();
          if (opt.labels && rows.length <= 400 && zoom >= (opt.labelZoom || 0)) {
            labels.push([p.x + r + 3, p.y, row]);
          }
        }
      }
      Object.keys(discs).forEach(function (colour) {
        var off = document.createElement("canvas");
        off.width = this.canvas.width; off.height = this.canvas.height;
        var octx = off.getContext("2d");
        octx.setTransform(ratio, 0, 0, ratio, 0, 0);
        octx.fillStyle = colour;
        var list = discs[colour];
        for (var k = 0; k < list.length; k += 3) {
          octx.beginPath(); octx.arc(list[k], list[k + 1], list[k + 2], 0, 2 * Math.PI);
          octx.fill();
        }
        ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.globalAlpha = 0.3;
        ctx.drawImage(off, 0, 0); ctx.restore();
      }, this);
      if (labels.length) {
        ctx.font = (opt.labelBold ? "bold " : "") +
          "12px 'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif";
        ctx.textBaseline = "middle";
        var placed = map._fmPlaced || [];  /* shared by all layers in one redraw */
        for (var j = 0; j < labels.length; j++) {
          var text = column(d.fields.name, labels[j][2]) || "";
          var w = ctx.measureText(text).width, box = [labels[j][0], labels[j][1] - 8, w, 16];
          var clash = placed.some(function (b) {
            return box[0] < b[0] + b[2] && b[0] < box[0] + box[2] &&
                   box[1] < b[1] + b[3] && b[1] < box[1] + box[3];
          });
          if (clash) continue;
          placed.push(box);
          ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)";
          ctx.strokeText(text, labels[j][0], labels[j][1]);
          ctx.fillStyle = "#1b1b1b"; ctx.fillText(text, labels[j][0], labels[j][1]);
        }
      }
      this.screen = screen;
      this.drawn = visible;
      this.hitRadius = metres ? 0 : r + 3;
    },
    /* The row under a container point, or -1. */
    hit: function (x, y) {
      if (!this.screen || !this.hitRadius) return -1;
      var best = -1, bestD = this.hitRadius * this.hitRadius;
      for (var i = 0; i < this.rows.length; i++) {
        var dx = this.screen[2 * i] - x, dy = this.screen[2 * i + 1] - y;
        var dd = dx * dx + dy * dy;
        if (dd <= bestD) { bestD = dd; best = this.rows[i]; }
      }
      return best;
    }
  });

  function popupContent(d, row, labels) {
    var box = el("div", "fm-popup");
    box.appendChild(el("div", "fm-title", column(d.fields.name, row)));
    var cat = column(d.fields.category_label, row);
    if (cat) box.appendChild(el("div", "fm-cat", cat));
    var table = el("table", "fm-fields");
    for (var k = 0; k < d.popupFields.length; k++) {
      var f = d.popupFields[k], v = column(d.fields[f], row);
      if (v === null || v === undefined || v === "") continue;
      var tr = el("tr");
      tr.appendChild(el("th", null, labels[f] || f));
      tr.appendChild(el("td", null, v));
      table.appendChild(tr);
    }
    box.appendChild(table);
    var quote = column(d.fields.quote, row);
    if (quote) {
      var q = el("blockquote", "fm-quote");
      String(quote).split("\n").forEach(function (part) {
        if (part) q.appendChild(el("p", null, "「" + part + "」"));
      });
      box.appendChild(q);
    }
    var source = column(d.fields.source, row);
    if (source) box.appendChild(el("div", "fm-source", "— " + source));
    return box;
  }

  function decodeRing(flat) {  /* micro-degrees: first vertex, then steps */
    var out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out.push([y / 1e6, x / 1e6]);
    }
    return out;
  }

  /* the bundled province/city/district boundaries: outlines, and names by zoom */
  var ADMIN_STYLE = {province: {color: "#6d5a6b", weight: 2, names: [0, 7]},
                     city: {color: "#857484", weight: 1.4, names: [7, 11]},
                     district: {color: "#9a8f99", weight: 1, dashArray: "5 3", names: [11, 30]}};
  function adminLayer(map, admin) {
    var layer = L.layerGroup([], {attribution: el("span", null, admin.attribution).innerHTML});
    var names = [];
    admin.areas.forEach(function (polygons, k) {
      var style = ADMIN_STYLE[admin.levels[k]];
      var latlngs = polygons.map(function (rings) { return rings.map(decodeRing); });
      L.polygon(latlngs, {interactive: false, fill: false, color: style.color,
                          weight: style.weight, dashArray: style.dashArray,
                          opacity: 0.9}).addTo(layer);
      var label = el("span", "fm-admin-name fm-admin-" + admin.levels[k], admin.names[k]);
      names.push([L.marker(admin.labels[k], {interactive: false, keyboard: false,
        icon: L.divIcon({className: "fm-admin-label", html: label.outerHTML,
                         iconSize: null})}), style.names]);
    });
    function showNames() {
      var z = map.getZoom();
      names.forEach(function (n) {
        var on = map.hasLayer(layer) && z >= n[1][0] && z < n[1][1];
        if (on && !layer.hasLayer(n[0])) layer.addLayer(n[0]);
        else if (!on && layer.hasLayer(n[0])) layer.removeLayer(n[0]);
      });
    }
    map.on("zoomend", showNames);
    layer.on("add", showNames);
    layer.addTo(map);
    layer.spec = {key: "admin", kind: "admin"};
    layer.drawn = admin.areas.length;
    var swatch = el("span", "fm-swatch");
    swatch.style.background = ADMIN_STYLE.district.color;
    var title = el("span");
    title.appendChild(swatch);
    title.appendChild(document.createTextNode("行政区划 (" + admin.areas.length + ")"));
    return [title.outerHTML, layer];
  }

  window.facilityMap = function (map, data) {
    var overlays = [], layers = {};
    var labels = data.fieldLabels;
    map._fmPlaced = [];
    map.on("movestart zoomstart moveend zoomend resize", function () { map._fmPlaced = []; });
    data.groups.forEach(function (group) {
      var layer;
      if (group.kind === "areas") {  /* walking areas along roads: polygons, not circles */
        layer = L.layerGroup();
        data.areas.areas.forEach(function (polygons, k) {
          var colour = data.areas.colors[k];
          var latlngs = polygons.map(function (rings) { return rings.map(decodeRing); });
          L.polygon(latlngs, {interactive: false, color: colour, weight: 1, opacity: 0.6,
                              fillColor: colour, fillOpacity: 0.22}).addTo(layer);
        });
        layer.spec = group;
        layer.drawn = data.areas.areas.length;
      } else {
        layer = new PointLayer(group, group.rows, data.layers[group.layer], group.options);
      }
      layer.addTo(map);
      var swatch = el("span", "fm-swatch");
      swatch.style.background = group.color;
      var title = el("span");
      title.appendChild(swatch);
      title.appendChild(document.createTextNode(group.title + " (" + group.rows.length + ")"));
      overlays.push([title.outerHTML, layer]);  /* built by textContent: escaped */
      layers[group.key] = layer;
    });
    if (data.admin) {
      var admin = adminLayer(map, data.admin);
      overlays.unshift(admin);
      layers.admin = admin[1];  /* counted by facilityMapStats; never hit-tested */
    }
    var control = L.control.layers(null, null, {collapsed: false});
    overlays.forEach(function (o) { control.addOverlay(o[1], o[0]); });
    control.addTo(map);

    var legend = L.control({position: "bottomleft"});
    legend.onAdd = function () {
      var box = el("div", "fm-legend");
      box.appendChild(el("div", "fm-legend-title", data.legendTitle));
      data.legend.forEach(function (item) {
        var line = el("div", "fm-legend-row");
        var c = el("canvas"); c.width = 16; c.height = 16;
        var ctx = c.getContext("2d"); ctx.fillStyle = item.color; ctx.strokeStyle = "#fff";
        drawShape(ctx, item.shape, 8, 8, 6); ctx.fill(); ctx.stroke();
        line.appendChild(c); line.appendChild(el("span", null, item.label));
        box.appendChild(line);
      });
      if (data.note) box.appendChild(el("div", "fm-note", data.note));
      return box;
    };
    legend.addTo(map);

    var titleBox = L.control({position: "topleft"});
    titleBox.onAdd = function () { return el("div", "fm-map-title", data.title); };
    titleBox.addTo(map);

    function hitAll(point) {
      var keys = Object.keys(layers).reverse();
      for (var i = 0; i < keys.length; i++) {
        var layer = layers[keys[i]];
        if (!map.hasLayer(layer) || typeof layer.hit !== "function") continue;
        var row = layer.hit(point.x, point.y);
        if (row >= 0) return [layer, row];
      }
      return null;
    }
    var tip = L.tooltip({direction: "top", offset: [0, -8]});
    map.on("mousemove", function (e) {
      var found = hitAll(e.containerPoint);
      if (found) {
        var d = found[0].data;
        tip.setLatLng([d.lat[found[1]] / 1e6, d.lon[found[1]] / 1e6]);
        tip.setContent(el("span", null, column(d.fields.name, found[1])));
        if (!map.hasLayer(tip)) tip.addTo(map);
        map.getContainer().style.cursor = "pointer";
      } else if (map.hasLayer(tip)) {
        map.removeLayer(tip); map.getContainer().style.cursor = "";
      }
    });
    map.on("click", function (e) {
      var found = hitAll(e.containerPoint);
      if (!found) return;
      var d = found[0].data;
      L.popup({maxWidth: 360}).setLatLng([d.lat[found[1]] / 1e6, d.lon[found[1]] / 1e6])
        .setContent(popupContent(d, found[1], labels)).openOn(map);
    });
    map.fitBounds(data.bounds, {padding: [24, 24], animate: false});
    window.facilityMapView = function (lat, lon, zoom) {
      map.setView([lat, lon], zoom, {animate: false});
    };
    window.facilityMapLayers = layers;
    window.facilityMapStats = function () {
      var out = {};
      Object.keys(layers).forEach(function (k) {
        var g = layers[k].spec.kind;
        out[g] = (out[g] || 0) + (map.hasLayer(layers[k]) ? layers[k].drawn : 0);
      });
      return out;
    };
    window.facilityMapPoint = function (layerName, id) {
      var d = data.layers[layerName];
      for (var i = 0; i < d.lon.length; i++) {
        if (column(d.fields.id, i) === id) {
          var p = map.latLngToContainerPoint([d.lat[i] / 1e6, d.lon[i] / 1e6]);
          return [p.x, p.y];
        }
      }
      return null;
    };
    return layers;
  };
})();
