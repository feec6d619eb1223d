/**
 * The script inside report.html, as plain ES2019 source (not compiled TypeScript: bundlers
 * may inject helpers into a function's toString, and this must run as is from file://).
 * It reads the inlined JSON, draws each chart with uPlot, and makes tables sortable.
 */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('ujibeban-data').textContent);
  var ctx = report.ctx;
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function hhmm(s) { var m = Math.floor(s / 60 + 1e-9); return pad(Math.floor(m / 60)) + ':' + pad(m % 60); }
  function secs(t) {
    if (Math.abs(t) < 120) return t.toFixed(1) + 's';
    var m = Math.floor(t / 60), s = Math.round(t - m * 60);
    return m + 'm' + pad(s) + 's';
  }
  // x = 1/(1-q): 10 -> "90%", 100 -> "99%", 1000 -> "99.9%"; the legend gets one more digit.
  function nines(x, extra) {
    var q = 100 * (1 - 1 / x);
    var d = Math.max(0, Math.round(Math.log10(x)) - 2) + (extra ? 1 : 0);
    return q.toFixed(d) + '%';
  }
  function xLegend(kind, v) {
    if (v == null) return '-';
    if (kind === 'sim') return hhmm(v) + ' WIB (real t=' + secs((v - ctx.simOrigin) / ctx.timeScale) + ')';
    if (kind === 'real') return 't=' + secs(v);
    return 'p' + nines(v, true);
  }
  function xTick(kind, v) {
    if (kind === 'sim') return hhmm(v);
    if (kind === 'real') return secs(v);
    return nines(v);
  }
  function num(v) {
    var a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString('en-US');
    if (a >= 10) return v.toFixed(1).replace(/\.0$/, '');
    if (a >= 1) return v.toFixed(2).replace(/\.?0+$/, '');
    return String(+v.toPrecision(2));
  }
  function yText(unit, v) {
    if (v == null) return '-';
    if (unit === 'pct') return v.toFixed(1) + '%';
    if (unit === 'ms') return Math.abs(v) >= 1000 ? num(v / 1000) + ' s' : num(v) + ' ms';
    return num(v) + '/s';
  }
  function markersPlugin(markers) {
    return { hooks: { draw: [function (u) {
      var c = u.ctx, r = 6 * devicePixelRatio;
      c.save();
      c.font = (11 * devicePixelRatio) + 'px system-ui, sans-serif';
      markers.forEach(function (m) {
        var x = u.valToPos(m.x, 'x', true), y = u.valToPos(m.y, 'y', true);
        if (!isFinite(x) || !isFinite(y)) return;
        c.fillStyle = m.color; c.strokeStyle = '#fff'; c.lineWidth = 1.5 * devicePixelRatio;
        c.beginPath();
        if (m.shape === 'diamond') { c.moveTo(x, y - r); c.lineTo(x + r, y); c.lineTo(x, y + r); c.lineTo(x - r, y); c.closePath(); }
        else c.arc(x, y, r * 0.85, 0, 2 * Math.PI);
        c.fill(); c.stroke();
        if (m.short) {
          c.fillStyle = '#495057';
          var w = c.measureText(m.short).width;
          var tx = x + r + 4 * devicePixelRatio;
          if (tx + w > u.bbox.left + u.bbox.width) tx = x - r - 4 * devicePixelRatio - w;
          c.fillText(m.short, tx, y - 4 * devicePixelRatio);
        }
      });
      c.restore();
    }] } };
  }
  function ninesSplits(u, axisIdx, min, max) {
    var out = [];
    for (var v = 1; v <= max * 1.0001; v *= 10) if (v >= min * 0.9999) out.push(v);
    if (min <= 2 && max >= 2) out.splice(1, 0, 2);
    return out;
  }
  var plots = [];
  function widthOf(el) { return Math.max(320, Math.floor(el.getBoundingClientRect().width)); }
  report.charts.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) return;
    var xScale = { time: false };
    if (spec.x === 'nines') { xScale.distr = 3; xScale.log = 10; }
    if (spec.xRange) xScale.range = function () { return spec.xRange; };
    var yScale = {};
    if (spec.yLog) { yScale.distr = 3; yScale.log = 10; }
    if (spec.yRange) yScale.range = function () { return spec.yRange; };
    // Rates start at zero, and an all-zero chart (no errors: good news) still gets a sane axis.
    else if (spec.unit === 'per_s') yScale.range = function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; };
    var xAxis = { stroke: '#495057', grid: { stroke: '#e9ecef' }, ticks: { stroke: '#ced4da' },
      values: function (u, vals) { return vals.map(function (v) { return v == null ? '' : xTick(spec.x, v); }); } };
    if (spec.x === 'sim') { xAxis.incrs = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600]; xAxis.space = 60; }
    // uPlot labels only powers of ten on log axes by default; every nine deserves its label.
    if (spec.x === 'nines') { xAxis.splits = ninesSplits; xAxis.filter = function (u, splits) { return splits; }; }
    var opts = {
      width: widthOf(el), height: 280,
      cursor: { drag: { x: true, y: false } },
      scales: { x: xScale, y: yScale },
      axes: [xAxis, { stroke: '#495057', grid: { stroke: '#e9ecef' }, ticks: { stroke: '#ced4da' }, size: 64,
        values: function (u, vals) { return vals.map(function (v) { return v == null ? '' : yText(spec.unit, v); }); } }],
      series: [{ label: spec.x === 'sim' ? 'time' : spec.x === 'real' ? 'elapsed' : 'percentile',
        value: function (u, v) { return xLegend(spec.x, v); } }].concat(spec.lines.map(function (l) {
        return { label: l.label, stroke: l.color, width: l.width || 1.5, dash: l.dash, spanGaps: !!l.spanGaps,
          points: { show: false }, value: function (u, v) { return yText(spec.unit, v); } };
      })),
      plugins: spec.markers && spec.markers.length ? [markersPlugin(spec.markers)] : []
    };
    plots.push({ el: el, plot: new uPlot(opts, spec.data, el) });
  });
  function resizeAll() { plots.forEach(function (p) { p.plot.setSize({ width: widthOf(p.el), height: 280 }); }); }
  var pending = 0;
  window.addEventListener('resize', function () { clearTimeout(pending); pending = setTimeout(resizeAll, 100); });
  window.addEventListener('beforeprint', function () { plots.forEach(function (p) { p.plot.setSize({ width: 680, height: 240 }); }); });
  window.addEventListener('afterprint', resizeAll);

  // Sortable tables: click a header; numbers sort numerically (data-value), text alphabetically.
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute('data-value'), y = b.cells[col].getAttribute('data-value');
          var d = (x !== null && y !== null) ? (+x - +y) : a.cells[col].textContent.localeCompare(b.cells[col].textContent);
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
`;
