/**
 * The run drawer (browser code): everything the files say about one run — energy per
 * component, intensity and where it came from, location, hardware, how it was measured,
 * which tool wrote it and where — with its cumulative emissions curve.
 */
export const PAGE_DETAIL = String.raw`
var openKey = null;
var detailChart = null;

function openRun(key) {
  openKey = key;
  getJson('/api/runs/' + encodeURIComponent(key)).then(renderDetail).catch(showError);
}
function closeRun() {
  openKey = null;
  $('run-detail').hidden = true;
  $('backdrop').hidden = true;
  if (detailChart) { detailChart.destroy(); detailChart = null; }
}

function section(title, pairs) {
  var list = el('dl', {});
  pairs.forEach(function (pair) {
    if (pair === null) return;
    list.appendChild(el('dt', { text: pair[0] }));
    list.appendChild(el('dd', { 'data-testid': 'detail-' + pair[0].toLowerCase().replace(/[^a-z0-9]+/g, '-') }, [pair[1]]));
  });
  return [el('h3', { text: title }), list];
}
function withPower(kwh, watts) { return energy(kwh) + (watts === null || watts === undefined ? '' : ' · mean ' + num(watts) + ' W'); }
function percent(value) { return value === null || value === undefined ? '—' : num(value) + ' %'; }

function renderDetail(run) {
  if (openKey !== run.key) return;
  var loc = run.location, hw = run.hardware, m = run.measurement;
  $('detail-title').textContent = 'Run ' + shortId(run.runId) + ' · ' + (run.projectName || '(none)');
  var body = clear($('detail-body'));
  var parts = [].concat(
    section('Run', [
      ['Project', orNone(run.projectName)], ['Experiment', orNone(run.experimentId)],
      ['Run id', el('span', { class: 'mono', text: run.runId })],
      ['Started', wallClock(run.startMs, true)], ['Ended', wallClock(run.endMs, true)],
      ['Duration', duration(run.durationS)], ['Rows', String(run.rowCount)]
    ]),
    section('Energy and emissions', [
      ['CPU', withPower(run.cpuEnergyKwh, run.cpuPowerW)], ['GPU', withPower(run.gpuEnergyKwh, run.gpuPowerW)],
      ['RAM', withPower(run.ramEnergyKwh, run.ramPowerW)], ['Energy', energy(run.energyKwh)],
      ['Emissions', mass(run.emissionsKg) + ' CO2eq'],
      ['Intensity', intensity(run.intensity.gPerKwh) + ' (' + run.intensity.method + ')'],
      ['Intensity source', run.intensity.source + ' (' + run.intensity.sourceMethod + ')'],
      ['Water', run.waterL === undefined ? '—' : num(run.waterL) + ' L']
    ]),
    section('Location', [
      ['Where', run.place],
      ['Country', orNone([loc.countryName, loc.countryIsoCode].filter(Boolean).join(' · '))],
      ['Region', orNone(loc.region)],
      ['Cloud', loc.onCloud === 'Y' ? [loc.cloudProvider, loc.cloudRegion].filter(Boolean).join(' ') : 'no'],
      loc.latitude !== undefined ? ['Coordinates', loc.latitude + ', ' + loc.longitude] : null
    ]),
    section('Hardware', [
      ['Processor', orNone(hw.cpuModel) + (hw.cpuCount ? ' · ' + hw.cpuCount + ' threads' : '')],
      ['Graphics', hw.gpuCount ? orNone(hw.gpuModel) + ' · ' + hw.gpuCount + ' device' + (hw.gpuCount === 1 ? '' : 's') : 'none'],
      ['Memory', hw.ramTotalSizeGiB === undefined ? '—' : num(hw.ramTotalSizeGiB) + ' GiB'],
      ['OS', orNone(hw.os)]
    ]),
    section('Measurement', [
      ['Tracking mode', orNone(m.trackingMode)],
    ].concat(m.cpuMethod || m.gpuMethod || m.ramMethod
      ? [['CPU method', orNone(m.cpuMethod)], ['GPU method', orNone(m.gpuMethod)], ['RAM method', orNone(m.ramMethod)]]
      : [['Methods', 'not recorded: CodeCarbon\'s 38 CSV columns have no method columns']]).concat([
      ['CPU utilisation', percent(m.cpuUtilizationPercent)], ['GPU utilisation', percent(m.gpuUtilizationPercent)],
      ['RAM utilisation', percent(m.ramUtilizationPercent)],
      ['PUE', m.pue === undefined ? '—' : String(m.pue)], ['WUE', m.wue === undefined ? '—' : m.wue + ' L/kWh']
    ])),
    section('Source', [['Written by', run.writer], ['File', el('span', { class: 'mono', text: run.file + ':' + run.line })]])
  );
  var extra = Object.keys(run.extra);
  if (extra.length) parts = parts.concat(section('Other columns', extra.map(function (key) { return [key, run.extra[key]]; })));
  parts.forEach(function (node) { body.appendChild(node); });

  $('run-detail').hidden = false;
  $('backdrop').hidden = false;
  drawCurve(body, run.curve);
}

function drawCurve(body, curve) {
  if (detailChart) { detailChart.destroy(); detailChart = null; }
  if (curve.length < 2) return;
  var holder = el('div', { class: 'chart', 'data-testid': 'detail-chart' });
  body.appendChild(el('h3', { text: 'Cumulative emissions' }));
  body.appendChild(holder);
  var scale = scaleFor(curve[curve.length - 1][1], MASS);
  detailChart = new uPlot({
    width: Math.max(280, holder.clientWidth), height: 200,
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
    series: [{}, { label: 'Emissions', stroke: COLORS[0], width: 2, value: function (u, v) { return v === null || v === undefined ? '–' : num(v) + ' ' + scale[0]; } }],
    axes: [{}, { size: 60, values: function (u, ticks) { return ticks.map(function (t) { return num(t); }); } }]
  }, [curve.map(function (p) { return p[0]; }), curve.map(function (p) { return p[1] / scale[1]; })], holder);
}
`;
