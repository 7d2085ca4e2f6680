/* Facility map: canvas point layers for Leaflet, built from one compact JSON block.
 * Every text value reaches the page through textContent, never innerHTML.
 * Part of the community facility mapper; no network access is needed. */
(function () {
  "use strict";

  /* ---- the compact columns (see layers/export/html.py) ---- */
  function bytes64(text) {
    var bin = atob(text || ""), n = bin.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function uvarints(text) {  /* base64 LEB128 varints -> Float64Array */
    var b = bytes64(text), count = 0, i;
    for (i = 0; i < b.length; i++) if (b[i] < 128) count++;
    var out = new Float64Array(count), k = 0, v = 0, mult = 1;
    for (i = 0; i < b.length; i++) {
      v += (b[i] & 127) * mult;
      if (b[i] < 128) { out[k++] = v; v = 0; mult = 1; } else mult *= 128;
    }
    return out;
  }

  function steps(text) {  /* zigzag varint steps -> Int32Array of the running sums */
    var raw = uvarints(text), out = new Int32Array(raw.length), acc = 0;
    for (var i = 0; i < raw.length; i++) {
      var z = raw[i];
      acc += (z % 2) ? -(z + 1) / 2 : z / 2;
      out[i] = acc;
    }
    return out;
  }

  /* A column's reader, i -> text or null; decoded on first use. */
  function reader(col) {
    if (!col) return function () { return null; };
    if (col.text === undefined && !col.codes) {
      return Array.isArray(col) ? function (i) { return col[i]; } : function () { return null; };
    }
    var get = null;
    function decode() {
      if (col.codes) {
        var b = bytes64(col.codes);
        var codes = col.width === 4 ? new Uint32Array(b.buffer) :
          col.width === 2 ? new Uint16Array(b.buffer) : b;
        get = function (i) { var k = codes[i]; return k ? col.values[k - 1] : null; };
      } else {
        var lens = uvarints(col.lens), starts = new Float64Array(lens.length), at = 0;
        for (var i = 0; i < lens.length; i++) { starts[i] = at; if (lens[i]) at += lens[i] - 1; }
        get = function (i) {
          var n = lens[i];
          return n ? col.text.substr(starts[i], n - 1) : null;
        };
      }
    }
    return function (i) { if (!get) decode(); return get(i); };
  }

  function idHash(id) {  /* 32-bit FNV-1a over code points, as _id_hashes in Python */
    var h = 2166136261 >>> 0;
    for (var ch of String(id)) {
      var c = ch.codePointAt(0);
      if (c) h = Math.imul(h ^ c, 16777619) >>> 0;
    }
    return h >>> 0;
  }

  /* Decode a layer once: micro-degrees, Web Mercator in [0, 1], column readers. */
  function decodeLayer(d) {
    if (d.x) return d;
    d.x = steps(d.lon); d.y = steps(d.lat);
    var n = d.x.length;
    d.mx = new Float64Array(n); d.my = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var lat = Math.max(-85.0511287798, Math.min(85.0511287798, d.y[i] / 1e6));
      var s = Math.sin(lat * Math.PI / 180);
      d.mx[i] = (d.x[i] / 1e6 + 180) / 360;
      d.my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    d.get = {};
    Object.keys(d.fields).forEach(function (f) { d.get[f] = reader(d.fields[f]); });
    d.value = function (f, i) { return d.get[f] ? d.get[f](i) : null; };
    d.latLng = function (i) { return [d.y[i] / 1e6, d.x[i] / 1e6]; };
    return d;
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

  function rgb(hex) {
    var v = parseInt(String(hex).slice(1), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }

  /* A grid over a layer's rows in Web Mercator: the rows near a point without a scan. */
  function Grid(d, rows) {
    var n = rows.length, x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, i;
    for (i = 0; i < n; i++) {
      var x = d.mx[rows[i]], y = d.my[rows[i]];
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    var g = Math.max(1, Math.min(2048, Math.ceil(Math.sqrt(n / 4))));
    this.g = g; this.x0 = x0; this.y0 = y0;
    this.sx = g / Math.max(x1 - x0, 1e-12); this.sy = g / Math.max(y1 - y0, 1e-12);
    var cell = new Uint32Array(n), start = new Uint32Array(g * g + 1);
    for (i = 0; i < n; i++) { cell[i] = this.cellOf(d.mx[rows[i]], d.my[rows[i]]); start[cell[i] + 1]++; }
    for (i = 0; i < g * g; i++) start[i + 1] += start[i];
    var fill = start.slice(0, g * g), items = new Uint32Array(n);
    for (i = 0; i < n; i++) items[fill[cell[i]]++] = rows[i];
    this.start = start; this.items = items;
  }
  Grid.prototype.cellOf = function (x, y) {
    var g = this.g;
    var cx = Math.min(g - 1, Math.max(0, Math.floor((x - this.x0) * this.sx)));
    var cy = Math.min(g - 1, Math.max(0, Math.floor((y - this.y0) * this.sy)));
    return cy * g + cx;
  };
  /* Call fn(row) for the rows in cells touching the Mercator box (a superset). */
  Grid.prototype.each = function (x0, y0, x1, y1, fn) {
    var g = this.g;
    var cx0 = Math.max(0, Math.floor((x0 - this.x0) * this.sx));
    var cx1 = Math.min(g - 1, Math.floor((x1 - this.x0) * this.sx));
    var cy0 = Math.max(0, Math.floor((y0 - this.y0) * this.sy));
    var cy1 = Math.min(g - 1, Math.floor((y1 - this.y0) * this.sy));
    for (var cy = cy0; cy <= cy1; cy++) {
      for (var cx = cx0; cx <= cx1; cx++) {
        var c = cy * g + cx;
        for (var k = this.start[c]; k < this.start[c + 1]; k++) fn(this.items[k]);
      }
    }
  };

  /* The map's current Mercator -> container-pixel transform. */
  function viewOf(map) {
    var zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
    var off = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0]));
    return {zoom: zoom, scale: scale, ox: off.x, oy: off.y, size: map.getSize()};
  }

  var scratch = {mask: null, seen: null};
  function scratchMask(name, n) {
    if (!scratch[name] || scratch[name].length < n) scratch[name] = new Uint8Array(n);
    var m = scratch[name].subarray(0, n);
    m.fill(0);
    return m;
  }

  /* One category (or the communities, or the circles): points drawn on a canvas pane. */
  var PointLayer = L.Layer.extend({
    initialize: function (spec, data, options) {
      this.spec = spec; this.data = decodeLayer(data); this.options = options;
      this.rows = steps(spec.rows);
      this.grid = new Grid(this.data, this.rows);
      this.drawn = 0;
      if (spec.colorField) {  /* per row: its index into this.colours */
        var names = Object.keys(spec.palette), idx = {};
        this.colours = names.map(function (k, j) { idx[k] = j; return spec.palette[k]; });
        this.colours.push(spec.color);
        this.colourOf = function (row) {
          var j = idx[data.value(spec.colorField, row)];
          return j === undefined ? names.length : j;
        };
      } else {
        this.colours = [spec.color];
        this.colourOf = function () { return 0; };
      }
    },
    onAdd: function (map) {
      this._map = map;
      this.canvas = L.DomUtil.create("canvas", "fm-canvas");
      this.canvas.style.position = "absolute";
      this.canvas.style.pointerEvents = "none";
      map.getPanes()[this.options.pane || "overlayPane"].appendChild(this.canvas);
      map.on("moveend", this.redraw, this);  /* also follows every zoom and resize */
      this.redraw();
    },
    onRemove: function (map) {
      map.off("moveend", this.redraw, this);
      L.DomUtil.remove(this.canvas);
      this.drawn = 0;
    },
    redraw: function () {
      var map = this._map, ratio = window.devicePixelRatio || 1, view = viewOf(map);
      var size = view.size;
      L.DomUtil.setPosition(this.canvas, map.containerPointToLayerPoint([0, 0]));
      this.canvas.width = Math.round(size.x * ratio);
      this.canvas.height = Math.round(size.y * ratio);
      this.canvas.style.width = size.x + "px"; this.canvas.style.height = size.y + "px";
      var ctx = this.canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var d = this.data, spec = this.spec, opt = this.options, zoom = view.zoom;
      var dense = this.rows.length > 3000 && zoom < 14;
      var r = dense ? 2.5 : (opt.radius || 6);
      var metres = opt.circleMetres || 0;
      var reachMax = r + 2;
      if (metres) {  /* circles are largest where the view is nearest a pole */
        var b = map.getBounds(), far = Math.min(85, Math.max(Math.abs(b.getNorth()),
                                                            Math.abs(b.getSouth())));
        reachMax = metres / (40075016.686 * Math.cos(far * Math.PI / 180) / view.scale);
      }
      /* the visible rows, in container pixels */
      var vis = [], xs = [], ys = [], reaches = [];
      var sc = view.scale, ox = view.ox, oy = view.oy, w = size.x, h = size.y;
      this.grid.each((ox - reachMax) / sc, (oy - reachMax) / sc, (ox + w + reachMax) / sc,
                     (oy + h + reachMax) / sc, function (row) {
        var x = d.mx[row] * sc - ox, y = d.my[row] * sc - oy, reach = r + 2;
        if (metres) {
          reach = metres / (40075016.686 * Math.cos(d.y[row] / 1e6 * Math.PI / 180) / sc);
        }
        if (x < -reach || y < -reach || x > w + reach || y > h + reach) return;
        vis.push(row); xs.push(x); ys.push(y); reaches.push(reach);
      });
      if (metres) this.drawDiscs(ctx, vis, xs, ys, reaches, ratio);
      else if (dense) this.drawDense(ctx, xs, ys, r, ratio);
      else this.drawShapes(ctx, vis, xs, ys, r, map);
      this.drawn = vis.length;
      this.hitRadius = metres ? 0 : r + 3;
    },
    /* many points at a low zoom: squares stamped into pixels, once per pixel */
    drawDense: function (ctx, xs, ys, r, ratio) {
      var W = this.canvas.width, H = this.canvas.height;
      if (!W || !H) return;
      var img = ctx.createImageData(W, H), px = new Uint32Array(img.data.buffer);
      var c = rgb(this.spec.color), colour = ((255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0;
      var seen = scratchMask("seen", W * H), half = Math.max(1, Math.round(r * ratio)) - 1;
      for (var i = 0; i < xs.length; i++) {
        var cx = Math.floor(xs[i] * ratio), cy = Math.floor(ys[i] * ratio);
        if (cx >= 0 && cy >= 0 && cx < W && cy < H) {
          if (seen[cy * W + cx]) continue;  /* a point on an already-drawn pixel */
          seen[cy * W + cx] = 1;
        }
        var x0 = Math.max(0, cx - half), x1 = Math.min(W - 1, cx + half);
        var y0 = Math.max(0, cy - half), y1 = Math.min(H - 1, cy + half);
        if (x1 < x0) continue;  /* off the canvas (a negative end would count from the end) */
        for (var y = y0; y <= y1; y++) px.fill(colour, y * W + x0, y * W + x1 + 1);
      }
      ctx.putImageData(img, 0, 0);
    },
    /* few points, or zoomed in: every point with its outline, names beside them */
    drawShapes: function (ctx, vis, xs, ys, r, map) {
      var d = this.data, spec = this.spec, opt = this.options, zoom = map.getZoom();
      ctx.lineWidth = 1.4;
      ctx.strokeStyle = "#ffffff";
      ctx.fillStyle = spec.color;
      var labels = [];
      for (var i = 0; i < vis.length; i++) {
        drawShape(ctx, spec.shape, xs[i], ys[i], r);
        ctx.fill(); ctx.stroke();
        if (opt.labels && this.rows.length <= 400 && zoom >= (opt.labelZoom || 0)) {
          labels.push([xs[i] + r + 5, ys[i], vis[i]]);  // clear of the symbol and its halo
        }
      }
      if (!labels.length) return;
      ctx.font = (opt.labelBold ? "bold " : "") +
        "12px 'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif";
      ctx.textBaseline = "middle";
      var placed = map._fmPlaced || [];  /* shared by all layers in one redraw */
      for (var j = 0; j < labels.length; j++) {
        var text = d.value("name", labels[j][2]) || "";
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
    },
    /* service circles: per colour the union of the discs (like a dissolve), at 30 % */
    drawDiscs: function (ctx, vis, xs, ys, reaches, ratio) {
      var W = this.canvas.width, H = this.canvas.height;
      if (!W || !H || !vis.length) return;
      var img = ctx.createImageData(W, H), out = img.data;
      var byColour = this.colours.map(function () { return []; });
      for (var i = 0; i < vis.length; i++) byColour[this.colourOf(vis[i])].push(i);
      for (var k = 0; k < byColour.length; k++) {
        var list = byColour[k];
        if (!list.length) continue;
        var mask = scratchMask("mask", W * H), seen = scratchMask("seen", W * H);
        var lo = W * H, hi = 0;
        for (var j = 0; j < list.length; j++) {
          var q = list[j], cx = Math.round(xs[q] * ratio), cy = Math.round(ys[q] * ratio);
          var R = reaches[q] * ratio;
          if (cx >= 0 && cy >= 0 && cx < W && cy < H) {
            if (seen[cy * W + cx]) continue;  /* the same disc again */
            seen[cy * W + cx] = 1;
          }
          var ry = Math.floor(R);
          for (var dy = -ry; dy <= ry; dy++) {
            var y = cy + dy;
            if (y < 0 || y >= H) continue;
            var half = Math.floor(Math.sqrt(R * R - dy * dy));
            var x0 = Math.max(0, cx - half), x1 = Math.min(W - 1, cx + half);
            if (x1 < x0) continue;
            mask.fill(1, y * W + x0, y * W + x1 + 1);
            if (y * W + x0 < lo) lo = y * W + x0;
            if (y * W + x1 + 1 > hi) hi = y * W + x1 + 1;
          }
        }
        var c = rgb(this.colours[k]);
        for (var p = lo; p < hi; p++) {
          if (!mask[p]) continue;
          var o = 4 * p, ad = out[o + 3] / 255, ao = 0.3 + ad * 0.7;
          out[o] = (c[0] * 0.3 + out[o] * ad * 0.7) / ao;
          out[o + 1] = (c[1] * 0.3 + out[o + 1] * ad * 0.7) / ao;
          out[o + 2] = (c[2] * 0.3 + out[o + 2] * ad * 0.7) / ao;
          out[o + 3] = ao * 255;
        }
      }
      ctx.putImageData(img, 0, 0);
    },
    /* The row nearest a container point within the hit radius, or -1 (grid lookup). */
    hit: function (x, y) {
      if (!this.hitRadius || !this._map) return -1;
      var view = viewOf(this._map), sc = view.scale, d = this.data;
      var mx = (x + view.ox) / sc, my = (y + view.oy) / sc, rr = this.hitRadius / sc;
      var best = -1, bestD = this.hitRadius * this.hitRadius;
      this.grid.each(mx - rr, my - rr, mx + rr, my + rr, function (row) {
        var dx = d.mx[row] * sc - view.ox - x, dy = d.my[row] * sc - view.oy - y;
        var dd = dx * dx + dy * dy;
        if (dd <= bestD) { bestD = dd; best = row; }
      });
      return best;
    }
  });

  function popupContent(d, row, labels) {
    var box = el("div", "fm-popup");
    box.appendChild(el("div", "fm-title", d.value("name", row)));
    var cat = d.value("category_label", row);
    if (cat) box.appendChild(el("div", "fm-cat", cat));
    var table = el("table", "fm-fields");
    for (var k = 0; k < d.popupFields.length; k++) {
      var f = d.popupFields[k], v = d.value(f, row);
      if (v === null || v === undefined || v === "") continue;
      var tr = el("tr");
      tr.appendChild(el("th", null, labels[f] || f));
      tr.appendChild(el("td", null, v));
      table.appendChild(tr);
    }
    box.appendChild(table);
    var quote = d.value("quote", row);
    if (quote) {
      var q = el("blockquote", "fm-quote");
      String(quote).split("\n").forEach(function (part) {
        if (part) q.appendChild(el("p", null, "「" + part + "」"));
      });
      box.appendChild(q);
    }
    var source = d.value("source", row);
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
        layer = new PointLayer(group, data.layers[group.layer], group.options);
      }
      layer.addTo(map);
      var swatch = el("span", "fm-swatch");
      swatch.style.background = group.color;
      var title = el("span");
      title.appendChild(swatch);
      title.appendChild(document.createTextNode(group.title + " (" + group.count + ")"));
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
        tip.setLatLng(d.latLng(found[1]));
        tip.setContent(el("span", null, d.value("name", found[1])));
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
      L.popup({maxWidth: 360}).setLatLng(d.latLng(found[1]))
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
      /* ids travel as hashes (a million UUIDs would be 36 MB): the first row whose
         hash matches; a test hook, so a one-off scan is fine */
      var d = decodeLayer(data.layers[layerName]), want = idHash(id);
      var hashes = new Uint32Array(bytes64(d.idHash).buffer);
      for (var i = 0; i < hashes.length; i++) {
        if (hashes[i] === want) {
          var p = map.latLngToContainerPoint(d.latLng(i));
          return [p.x, p.y];
        }
      }
      return null;
    };
    return layers;
  };
})();
