/**
 * The page's behaviour (plain ES2017 in the browser): fetch the aggregated JSON, fill the
 * cards, charts and tables, sort and page the run table on the server, open a run, and
 * reload when the server's data version changes (the files were re-read).
 */

import { PAGE_DETAIL } from './page-detail.js';
import { PAGE_HELPERS } from './page-helpers.js';

const PAGE_MAIN = String.raw`
var POLL_MS = 2000;
var state = { project: '', experiment: '', sort: 'endMs', dir: 'desc', offset: 0, limit: 25, version: null, choices: [] };

function query(extra) {
  var params = new URLSearchParams();
  if (state.project) params.set('project', state.project);
  if (state.experiment) params.set('experiment', state.experiment);
  Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
  return params.toString();
}
function getJson(path) {
  return fetch(path, { cache: 'no-store' }).then(function (response) {
    if (!response.ok) throw new Error(path + ' answered ' + response.status);
    return response.json();
  });
}

function refresh() {
  return Promise.all([getJson('/api/summary?' + query()), loadRuns()]).then(function (answers) {
    var summary = answers[0];
    state.version = summary.version;
    renderSummary(summary);
    document.body.dataset.loadedVersion = String(summary.version);
    document.body.dataset.loadedFilter = state.project + '|' + state.experiment;
  }).catch(showError);
}
function loadRuns() {
  return getJson('/api/runs?' + query({ sort: state.sort, dir: state.dir, offset: state.offset, limit: state.limit })).then(renderRuns);
}
function showError(error) { $('status').textContent = 'Could not load the data: ' + error.message; }

function renderSummary(summary) {
  var totals = summary.totals;
  state.choices = summary.choices;
  fillFilters();
  $('total-emissions').textContent = mass(totals.emissionsKg);
  $('total-energy').textContent = energy(totals.energyKwh);
  $('total-runs').textContent = String(totals.runs);
  $('total-projects').textContent = summary.projects.length + (summary.projects.length === 1 ? ' project' : ' projects');
  $('total-duration').textContent = duration(totals.durationS);
  $('total-intensity').textContent = intensity(totals.intensityGPerKwh);
  $('total-energy-note').textContent = 'water ' + num(totals.waterL) + ' L';
  renderEquivalents(summary.equivalents);
  renderStatus(summary);

  var unit = summary.series.groupedBy === 'experiment' ? 'per experiment' : 'per project';
  $('series-note').textContent = summary.series.x.length ? unit + ', per ' + summary.series.bucket + ' (drag to zoom, double-click to reset)' : '';
  drawChart('chart-emissions', summary.series, 'emissionsKg', MASS, ' CO2eq');
  drawChart('chart-energy', summary.series, 'energyKwh', ENERGY, '');
  renderComponents(totals, summary.projects);
  renderLocations(summary.locations);
  renderProjects(summary.projects, totals);
}

function componentParts(t) {
  return [
    { label: 'CPU', value: t.cpuEnergyKwh, color: 'var(--cpu)' },
    { label: 'GPU', value: t.gpuEnergyKwh, color: 'var(--gpu)' },
    { label: 'RAM', value: t.ramEnergyKwh, color: 'var(--ram)' }
  ];
}
/** The whole selection, then the largest projects (or experiments) each on a thin bar. */
function renderComponents(totals, projects) {
  var node = $('components');
  shareBar(node, componentParts(totals), energy);
  var groups = projects.length === 1 ? projects[0].experiments : projects;
  if (groups.length < 2) return;
  var list = el('div', { class: 'per-group' });
  groups.slice(0, 6).forEach(function (group) {
    var name = group.projectName !== undefined ? group.projectName || '(none)' : 'experiment ' + (shortId(group.experimentId) || '—');
    var bar = el('div', { class: 'bar thin' });
    componentParts(group).forEach(function (part) {
      var segment = el('span', { title: part.label + ' ' + energy(part.value) });
      segment.style.width = (group.energyKwh > 0 ? (part.value || 0) / group.energyKwh * 100 : 0) + '%';
      segment.style.background = part.color;
      bar.appendChild(segment);
    });
    list.appendChild(el('span', { class: 'group-name', text: name }));
    list.appendChild(bar);
    list.appendChild(el('span', { class: 'num', text: energy(group.energyKwh) }));
  });
  node.appendChild(list);
}

function renderEquivalents(equivalents) {
  clear($('equivalents'));
  equivalents.forEach(function (item) {
    var value = item.unit === 'h' && item.value < 1 ? num(item.value * 60) + ' min' : num(item.value) + ' ' + item.unit;
    $('equivalents').appendChild(el('li', { 'data-testid': 'equivalent-' + item.id }, [
      el('strong', { text: '≈ ' + value }), ' ' + item.label,
      el('small', {}, [item.factorText + ' — ', el('a', { href: item.url, target: '_blank', rel: 'noreferrer', text: item.source })])
    ]));
  });
}

function renderStatus(summary) {
  var status = clear($('status'));
  var found = summary.files.filter(function (file) { return file.found; }).length;
  status.appendChild(document.createTextNode(found + ' of ' + summary.files.length + ' file' + (summary.files.length === 1 ? '' : 's') + ' read · updated ' + new Date().toLocaleTimeString()));
  status.title = summary.files.map(function (file) { return file.file + ': ' + (file.found ? file.rows + ' rows, ' + file.runs + ' runs' : 'not readable'); }).join('\n');
  if (summary.issueCount > 0) {
    status.appendChild(el('button', { type: 'button', 'data-testid': 'issues-button', text: summary.issueCount + ' reading note' + (summary.issueCount === 1 ? '' : 's'), onclick: toggleIssues }));
  }
}

function toggleIssues() {
  var panel = $('issues-panel');
  if (!panel.hidden) { panel.hidden = true; return; }
  getJson('/api/issues').then(function (answer) {
    var list = clear($('issues'));
    answer.issues.forEach(function (issue) {
      list.appendChild(el('li', {}, [el('span', { class: 'where mono', text: issue.file + (issue.line > 0 ? ':' + issue.line : '') }), ' ' + issue.message]));
    });
    if (answer.total > answer.issues.length) list.appendChild(el('li', { text: '… and ' + (answer.total - answer.issues.length) + ' more (codecarbon report --json lists them all)' }));
    panel.hidden = false;
    panel.scrollIntoView({ behavior: 'smooth' });
  }).catch(showError);
}

function fillFilters() {
  var project = clear($('project'));
  project.appendChild(el('option', { value: '', text: 'All projects' }));
  state.choices.forEach(function (choice) {
    project.appendChild(el('option', { value: choice.projectName, text: (choice.projectName || '(none)') + ' (' + choice.runs + ')' }));
  });
  project.value = state.project;
  var experiment = clear($('experiment'));
  experiment.appendChild(el('option', { value: '', text: 'All experiments' }));
  var seen = {};
  state.choices.forEach(function (choice) {
    if (state.project && choice.projectName !== state.project) return;
    choice.experiments.forEach(function (id) {
      // Files without experiment ids (older CodeCarbon) have nothing to choose.
      if (seen[id] || id === '') return;
      seen[id] = true;
      experiment.appendChild(el('option', { value: id, text: id || '(none)' }));
    });
  });
  experiment.value = state.experiment;
}

function renderLocations(locations) {
  fillTable($('locations'), [
    { label: 'Where' }, { label: 'Runs', num: true }, { label: 'Energy', num: true },
    { label: 'Intensity', num: true }, { label: 'Intensity source' }
  ], locations.map(function (share) {
    return { cells: [share.place, String(share.runs), energy(share.energyKwh), intensity(share.intensityGPerKwh), share.intensitySource] };
  }));
}

function renderProjects(projects, totals) {
  var rows = [];
  projects.forEach(function (project) {
    var link = el('a', { class: 'project-link', text: project.projectName || '(none)', onclick: function () { setFilter(project.projectName, ''); } });
    rows.push({ cells: [link].concat(amountCells(project)) });
    if (project.experiments.length > 1) project.experiments.forEach(function (experiment) {
      rows.push({ class: 'sub', cells: ['experiment ' + (shortId(experiment.experimentId) || '—')].concat(amountCells(experiment)) });
    });
  });
  if (projects.length > 1) rows.push({ class: 'total', cells: ['Total'].concat(amountCells(totals)) });
  fillTable($('projects'), [
    { label: 'Project', nowrap: true }, { label: 'Runs', num: true }, { label: 'Duration', num: true }, { label: 'CPU', num: true },
    { label: 'GPU', num: true }, { label: 'RAM', num: true }, { label: 'Energy', num: true },
    { label: 'Emissions', num: true }, { label: 'Intensity', num: true }
  ], rows);
}
function amountCells(t) {
  return [String(t.runs), duration(t.durationS), componentTotal(t, 'cpu'), componentTotal(t, 'gpu'), componentTotal(t, 'ram'), energy(t.energyKwh), mass(t.emissionsKg), intensity(t.intensityGPerKwh)];
}
/** A component's total: '—' when no run recorded it, '≥' when only some did (as the report). */
function componentTotal(t, component) {
  var recorded = t.componentRuns ? t.componentRuns[component] : t.runs;
  if (recorded === 0) return '—';
  var text = energy(t[component + 'EnergyKwh']);
  return recorded < t.runs ? '≥ ' + text : text;
}

var RUN_COLUMNS = [
  { label: 'Ended', sort: 'endMs', nowrap: true }, { label: 'Project', sort: 'projectName', nowrap: true }, { label: 'Run', sort: 'runId' },
  { label: 'Duration', num: true, sort: 'durationS' }, { label: 'CPU', num: true, sort: 'cpuEnergyKwh' },
  { label: 'GPU', num: true, sort: 'gpuEnergyKwh' }, { label: 'RAM', num: true, sort: 'ramEnergyKwh' },
  { label: 'Energy', num: true, sort: 'energyKwh' }, { label: 'Emissions', num: true, sort: 'emissionsKg' },
  { label: 'Intensity', num: true, sort: 'intensityGPerKwh' }, { label: 'Where', sort: 'place' }
];
function renderRuns(page) {
  state.sort = page.sort; state.dir = page.dir; state.offset = page.offset;
  fillTable($('runs'), RUN_COLUMNS, page.rows.map(function (run) {
    return {
      key: run.key, onclick: function () { openRun(run.key); },
      cells: [wallClock(run.endMs), run.projectName || '(none)', el('span', { class: 'mono', title: run.runId, text: shortId(run.runId) }),
        duration(run.durationS), energy(run.cpuEnergyKwh), energy(run.gpuEnergyKwh), energy(run.ramEnergyKwh),
        energy(run.energyKwh), mass(run.emissionsKg), intensity(run.intensityGPerKwh), run.place]
    };
  }), { sort: page.sort, dir: page.dir, onsort: sortBy });
  $('runs-count').textContent = page.total + ' run' + (page.total === 1 ? '' : 's') + ', sorted on the server';
  $('page-range').textContent = page.total === 0 ? 'no runs' : (page.offset + 1) + '–' + (page.offset + page.rows.length) + ' of ' + page.total;
  $('previous-page').disabled = page.offset === 0;
  $('next-page').disabled = page.offset + page.rows.length >= page.total;
}
function sortBy(key) {
  if (state.sort === key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
  else { state.sort = key; state.dir = /Ms$|Kwh$|Kg$|S$/.test(key) ? 'desc' : 'asc'; }
  state.offset = 0;
  loadRuns().catch(showError);
}
function setFilter(project, experiment) {
  state.project = project; state.experiment = experiment; state.offset = 0;
  refresh();
}

document.addEventListener('DOMContentLoaded', function () {
  $('project').addEventListener('change', function (event) { setFilter(event.target.value, ''); });
  $('experiment').addEventListener('change', function (event) { setFilter(state.project, event.target.value); });
  $('previous-page').addEventListener('click', function () { state.offset = Math.max(0, state.offset - state.limit); loadRuns().catch(showError); });
  $('next-page').addEventListener('click', function () { state.offset += state.limit; loadRuns().catch(showError); });
  $('close-detail').addEventListener('click', closeRun);
  $('backdrop').addEventListener('click', closeRun);
  document.addEventListener('keydown', function (event) { if (event.key === 'Escape') closeRun(); });
  var resizeTimer = null;
  window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(resizeCharts, 150); });
  refresh();
  setInterval(function () {
    getJson('/api/version').then(function (answer) { if (answer.version !== state.version) refresh(); }).catch(function () {});
  }, POLL_MS);
});
`;

/** Served as `/assets/dashboard.js`: one strict-mode function, nothing global. */
export const PAGE_SCRIPT = `(function () {\n'use strict';\n${PAGE_HELPERS}\n${PAGE_DETAIL}\n${PAGE_MAIN}\n})();\n`;
