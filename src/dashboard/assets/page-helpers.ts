/**
 * Browser code shared by the page (plain ES2017, no build step): number formatting that
 * matches `codecarbon report` (src/report/units.ts), DOM helpers that only ever set text
 * (never HTML, so names from the files cannot inject markup), and uPlot charts.
 */
export const PAGE_HELPERS = `
var ENERGY = [['mWh', 1e-6], ['Wh', 1e-3], ['kWh', 1], ['MWh', 1e3]];
var MASS = [['mg', 1e-6], ['g', 1e-3], ['kg', 1], ['t', 1e3]];
// Projects get these; CPU, GPU and RAM have their own colours (page-styles.ts), never among them.
var COLORS = ['#17805c', '#7b5ea7', '#d4a017', '#2aa198', '#c44e52', '#8c6d31', '#5b8c2a', '#7f7f7f'];

function scaleFor(value, scales) {
  var chosen = scales[0];
  for (var i = 0; i < scales.length; i++) if (Math.abs(value) / scales[i][1] >= 1) chosen = scales[i];
  return chosen;
}
function num(value) {
  var size = Math.abs(value);
  if (value === 0) return '0';
  if (size < 0.001) return value > 0 ? '<0.001' : '>-0.001';
  var decimals = size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
function amount(value, scales) {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '0';
  var scale = scaleFor(value, scales);
  return num(value / scale[1]) + ' ' + scale[0];
}
function energy(kwh) { return amount(kwh, ENERGY); }
function mass(kg) { return amount(kg, MASS); }
function intensity(g) { return g === null || g === undefined ? '—' : num(g) + ' g/kWh'; }
function pad2(n) { return String(n).padStart(2, '0'); }
function duration(seconds) {
  if (seconds < 60) return num(seconds) + ' s';
  var minutes = Math.floor(seconds / 60);
  if (minutes < 60) return minutes + ' min ' + pad2(Math.floor(seconds % 60)) + ' s';
  var hours = Math.floor(minutes / 60);
  if (hours < 48) return hours + ' h ' + pad2(minutes % 60) + ' min';
  return Math.floor(hours / 24) + ' d ' + (hours % 24) + ' h';
}
function wallClock(ms, withSeconds) {
  var iso = new Date(ms).toISOString();
  return iso.slice(0, 10) + ' ' + iso.slice(11, withSeconds ? 19 : 16);
}
function shortId(id) { return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? id.slice(0, 8) : id; }
function orNone(text) { return text === '' || text === null || text === undefined ? '—' : String(text); }

function $(id) { return document.getElementById(id); }
function el(tag, props, children) {
  var node = document.createElement(tag);
  Object.keys(props || {}).forEach(function (key) {
    var value = props[key];
    if (value === undefined || value === null) return;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key.indexOf('on') === 0) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  });
  (children || []).forEach(function (child) {
    if (child === null || child === undefined) return;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return node;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

/** columns: [{ label, num, sort }], rows: [{ cells, class, onclick, key }] */
function fillTable(node, columns, rows, sorting) {
  clear(node);
  var head = el('tr', {}, columns.map(function (column) {
    var th = el('th', { class: (column.num ? 'num ' : '') + (column.sort && sorting ? 'sortable' : ''), text: column.label });
    if (column.sort && sorting) {
      th.dataset.sort = column.sort;
      if (sorting.sort === column.sort) th.setAttribute('aria-sort', sorting.dir === 'asc' ? 'ascending' : 'descending');
      th.addEventListener('click', function () { sorting.onsort(column.sort); });
    }
    return th;
  }));
  node.appendChild(el('thead', {}, [head]));
  node.appendChild(el('tbody', {}, rows.map(function (row) {
    var tr = el('tr', { class: row.class, 'data-key': row.key, onclick: row.onclick }, row.cells.map(function (cell, i) {
      var column = columns[i] || {};
      return el('td', { class: column.num ? 'num' : column.nowrap ? 'nowrap' : undefined }, [cell]);
    }));
    return tr;
  })));
}

var charts = {};
var BUCKET_S = { minute: 60, hour: 3600, day: 86400, week: 604800, month: 2629800 };

/**
 * Stacked bars, one layer per line: uPlot draws series in order, so the stack's top is drawn
 * first and each lower layer over it. Legends and tooltips show each line's own value.
 */
function drawChart(id, series, field, scales, unitSuffix) {
  var node = $(id);
  if (charts[id]) { charts[id].destroy(); delete charts[id]; }
  clear(node);
  if (!series.x.length) { node.appendChild(el('div', { class: 'empty', text: 'No runs to show.' })); return; }
  var largest = 0;
  series.x.forEach(function (x, j) {
    var total = 0;
    series.lines.forEach(function (line) { total += line[field][j]; });
    if (total > largest) largest = total;
  });
  var scale = scaleFor(largest, scales);
  var own = series.lines.map(function (line) { return line[field].map(function (v) { return v / scale[1]; }); });
  var stacked = own.map(function (values, i) {
    return values.map(function (v, j) { var sum = 0; for (var k = 0; k <= i; k++) sum += own[k][j]; return sum; });
  });
  var order = own.map(function (_, i) { return own.length - 1 - i; });
  var half = (series.x.length > 1 ? series.x[1] - series.x[0] : BUCKET_S[series.bucket]) / 2;
  var bars = uPlot.paths.bars({ size: [0.8, 48], gap: 1 });
  charts[id] = new uPlot({
    width: Math.max(300, node.clientWidth), height: 260,
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
    scales: { x: { time: true, range: function (u, min, max) { return [min - half, max + half]; } }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } } },
    cursor: { drag: { x: true, y: false }, points: { show: false } },
    series: [{ label: 'Period', value: function (u, ts) { return ts === null || ts === undefined ? '–' : wallClock(ts * 1000).slice(0, series.bucket === 'minute' || series.bucket === 'hour' ? 16 : 10); } }].concat(order.map(function (i) {
      var line = series.lines[i];
      var color = COLORS[i % COLORS.length];
      return {
        label: series.groupedBy === 'experiment' ? shortId(line.name) || '—' : line.name || '(none)',
        stroke: color, fill: color, width: 0, paths: bars, points: { show: false },
        value: function (u, v, s, j) { return j === null || j === undefined ? '–' : num(own[i][j]) + ' ' + scale[0]; }
      };
    })),
    axes: [{}, {
      label: scale[0] + unitSuffix + ' per ' + series.bucket, size: 64,
      values: function (u, ticks) { return ticks.map(function (t) { return num(t); }); }
    }]
  }, [series.x].concat(order.map(function (i) { return stacked[i]; })), node);
}
function resizeCharts() {
  Object.keys(charts).forEach(function (id) {
    var node = $(id);
    if (node) charts[id].setSize({ width: Math.max(300, node.clientWidth), height: charts[id].height });
  });
}

/** A horizontal bar of parts [{ label, value, color }] with a legend of values and shares. */
function shareBar(node, parts, format) {
  clear(node);
  var total = parts.reduce(function (sum, part) { return sum + (part.value || 0); }, 0);
  var bar = el('div', { class: 'bar', role: 'img' });
  var legend = el('div', { class: 'legend' });
  parts.forEach(function (part) {
    var share = total > 0 ? (part.value || 0) / total : 0;
    var segment = el('span', { title: part.label });
    segment.style.width = (share * 100) + '%';
    segment.style.background = part.color;
    bar.appendChild(segment);
    var swatch = el('span', { class: 'swatch' });
    swatch.style.background = part.color;
    legend.appendChild(swatch);
    legend.appendChild(el('span', { text: part.label }));
    legend.appendChild(el('span', { class: 'num', 'data-testid': 'component-' + part.label.toLowerCase(), text: format(part.value) }));
    legend.appendChild(el('span', { class: 'num', text: total > 0 ? (share * 100).toFixed(1) + ' %' : '—' }));
  });
  bar.setAttribute('aria-label', parts.map(function (part) { return part.label + ' ' + format(part.value); }).join(', '));
  node.appendChild(bar);
  node.appendChild(legend);
}
`;
