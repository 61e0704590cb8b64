/**
 * The dashboard's JSON answers. Everything is aggregated here, so the page receives a few
 * kilobytes whatever the size of the files: totals, a bucketed time series, and one page of
 * the run table, sorted on the server.
 */

import type { EmissionsDataset } from '../report/dataset.js';
import { equivalentsOf } from '../report/equivalents.js';
import { locationsOf, placeOf } from '../report/locations.js';
import { filterRuns, type RunFilter } from '../report/run-filter.js';
import type { RunTotal } from '../report/run-total.js';
import { summarise } from '../report/summary.js';
import { parseDateBound } from '../report/wall-clock.js';
import { VERSION } from '../version.js';
import { sortRuns } from './run-order.js';
import { timeSeries } from './time-series.js';

/** Runs per page of the run table, at most. */
export const MAX_PAGE_SIZE = 200;
/** Reading notes sent to the page, at most. */
const MAX_ISSUES = 200;
/** Points of a run's own chart, at most. */
const MAX_RUN_POINTS = 300;

export function filterFromQuery(query: URLSearchParams): RunFilter {
  const bound = (key: 'since' | 'until') => {
    const text = query.get(key);
    return text ? parseDateBound(text, key) : undefined;
  };
  return {
    projects: query.getAll('project').filter(Boolean),
    experiments: query.getAll('experiment').filter(Boolean),
    sinceMs: bound('since'),
    untilMs: bound('until'),
  };
}

export function summaryPayload(dataset: EmissionsDataset, version: number, filter: RunFilter) {
  const runs = filterRuns(dataset.runs, filter);
  const { totals, projects } = summarise(runs);
  return {
    generatedBy: `codecarbon ${VERSION}`,
    version,
    files: dataset.files,
    issueCount: dataset.issues.length,
    choices: choicesOf(dataset.runs),
    totals,
    equivalents: equivalentsOf(totals),
    projects,
    locations: locationsOf(runs),
    series: timeSeries(runs, dataset.points),
  };
}

export function runsPayload(dataset: EmissionsDataset, filter: RunFilter, query: URLSearchParams) {
  const sorted = sortRuns(filterRuns(dataset.runs, filter), query.get('sort'), query.get('dir'));
  const offset = clampInteger(query.get('offset'), 0, Math.max(0, sorted.rows.length - 1), 0);
  const limit = clampInteger(query.get('limit'), 1, MAX_PAGE_SIZE, 50);
  return {
    total: sorted.rows.length,
    offset,
    limit,
    sort: sorted.sortedBy,
    dir: sorted.direction,
    rows: sorted.rows.slice(offset, offset + limit).map(runRow),
  };
}

/** Everything known about one run, with its cumulative curve thinned to a few hundred points. */
export function runPayload(dataset: EmissionsDataset, key: string) {
  const run = dataset.runs.find((candidate) => candidate.key === key);
  if (!run) return undefined;
  return { ...run, place: placeOf(run), curve: curveOf(dataset.points.get(key) ?? []) };
}

export function issuesPayload(dataset: EmissionsDataset) {
  return { total: dataset.issues.length, issues: dataset.issues.slice(0, MAX_ISSUES) };
}

/** One row of the run table: what the columns show, nothing more. */
function runRow(run: RunTotal) {
  return {
    key: run.key,
    projectName: run.projectName,
    experimentId: run.experimentId,
    runId: run.runId,
    endMs: run.endMs,
    durationS: run.durationS,
    cpuEnergyKwh: run.cpuEnergyKwh ?? null,
    gpuEnergyKwh: run.gpuEnergyKwh ?? null,
    ramEnergyKwh: run.ramEnergyKwh ?? null,
    energyKwh: run.energyKwh,
    emissionsKg: run.emissionsKg,
    intensityGPerKwh: run.intensity.gPerKwh ?? null,
    place: placeOf(run),
  };
}

/** The filter menus: every project with its experiments, largest emitters first. */
function choicesOf(runs: readonly RunTotal[]) {
  return summarise(runs).projects.map((project) => ({
    projectName: project.projectName,
    runs: project.runs,
    experiments: project.experiments.map((experiment) => experiment.experimentId),
  }));
}

/** `[seconds, kg, kWh]` rows in time order, every n-th kept (and the last). */
function curveOf(flat: readonly number[]): [number, number, number][] {
  const rows: [number, number, number][] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    rows.push([(flat[i] as number) / 1000, flat[i + 1] as number, flat[i + 2] as number]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const step = Math.ceil(rows.length / MAX_RUN_POINTS);
  return rows.filter((_, i) => i % step === 0 || i === rows.length - 1);
}

function clampInteger(text: string | null, min: number, max: number, fallback: number): number {
  const value = Number(text);
  if (text === null || text === '' || !Number.isInteger(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}
