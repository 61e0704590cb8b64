/**
 * Emissions and energy over time, per project (or per experiment within one project), in a
 * few hundred buckets at most whatever the number of rows. A run's rows are cumulative, so
 * each row adds what grew since the previous one, spread evenly over the time between them;
 * a run written once (CSV `update` mode) is spread over its whole duration.
 */

import type { RunTotal } from '../report/run-total.js';
import { DAY_MS } from '../report/wall-clock.js';

export type BucketSize = 'minute' | 'hour' | 'day' | 'week' | 'month';

export interface SeriesLine {
  name: string;
  emissionsKg: number[];
  energyKwh: number[];
}

export interface TimeSeries {
  bucket: BucketSize;
  /** Bucket starts in Unix seconds, on the files' wall clock read as UTC. */
  x: number[];
  /** What the lines are: projects, or the experiments of the one project shown. */
  groupedBy: 'project' | 'experiment';
  lines: SeriesLine[];
}

/** Lines drawn at most; smaller groups are added up as one `other` line. */
const MAX_LINES = 8;
const HOUR_MS = 3_600_000;

export function timeSeries(
  runs: readonly RunTotal[],
  points: ReadonlyMap<string, readonly number[]>,
): TimeSeries {
  const groupedBy =
    new Set(runs.map((run) => run.projectName)).size === 1 ? 'experiment' : 'project';
  if (runs.length === 0) return { bucket: 'day', x: [], groupedBy, lines: [] };

  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const run of runs) {
    firstMs = Math.min(firstMs, run.startMs);
    lastMs = Math.max(lastMs, run.endMs);
  }
  const bucket = bucketFor(lastMs - firstMs);
  const startsMs = bucketStarts(bucket, firstMs, lastMs);
  const lineOf = lineNames(runs, groupedBy);
  const lines = new Map<string, SeriesLine>();

  for (const run of runs) {
    const name = lineOf(run);
    let line = lines.get(name);
    if (!line) {
      line = { name, emissionsKg: startsMs.map(() => 0), energyKwh: startsMs.map(() => 0) };
      lines.set(name, line);
    }
    addRun(line, startsMs, run, points.get(run.key) ?? []);
  }

  return {
    bucket,
    x: startsMs.map((ms) => ms / 1000),
    groupedBy,
    lines: [...lines.values()].sort(
      (a, b) =>
        Number(a.name === OTHER) - Number(b.name === OTHER) ||
        sum(b.emissionsKg) - sum(a.emissionsKg),
    ),
  };
}

const OTHER = 'other';

function lineNames(runs: readonly RunTotal[], groupedBy: 'project' | 'experiment') {
  const nameOf = (run: RunTotal) => (groupedBy === 'project' ? run.projectName : run.experimentId);
  const emissions = new Map<string, number>();
  for (const run of runs)
    emissions.set(nameOf(run), (emissions.get(nameOf(run)) ?? 0) + run.emissionsKg);
  const ranked = [...emissions].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const shown = new Set(ranked.length <= MAX_LINES ? ranked : ranked.slice(0, MAX_LINES - 1));
  return (run: RunTotal) => (shown.has(nameOf(run)) ? nameOf(run) : OTHER);
}

/** Adds what the run's cumulative rows grew by, bucket by bucket. */
function addRun(
  line: SeriesLine,
  startsMs: readonly number[],
  run: RunTotal,
  flat: readonly number[],
) {
  const rows: [number, number, number][] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    rows.push([flat[i] as number, flat[i + 1] as number, flat[i + 2] as number]);
  }
  rows.sort((a, b) => a[0] - b[0]);

  let [previousMs, previousKg, previousKwh] = [run.startMs, 0, 0];
  for (const [endMs, kg, kwh] of rows) {
    const fromMs = Math.min(previousMs, endMs);
    spread(
      line,
      startsMs,
      fromMs,
      endMs,
      Math.max(0, kg - previousKg),
      Math.max(0, kwh - previousKwh),
    );
    [previousMs, previousKg, previousKwh] = [
      endMs,
      Math.max(kg, previousKg),
      Math.max(kwh, previousKwh),
    ];
  }
}

function spread(
  line: SeriesLine,
  startsMs: readonly number[],
  fromMs: number,
  toMs: number,
  kg: number,
  kwh: number,
) {
  if (kg === 0 && kwh === 0) return;
  const first = Math.max(0, indexOf(startsMs, fromMs));
  const last = Math.max(0, indexOf(startsMs, toMs));
  const lengthMs = toMs - fromMs;
  for (let i = first; i <= last; i++) {
    const share =
      lengthMs <= 0 || first === last
        ? 1
        : (Math.min(toMs, startsMs[i + 1] ?? Number.POSITIVE_INFINITY) -
            Math.max(fromMs, startsMs[i] as number)) /
          lengthMs;
    line.emissionsKg[i] = (line.emissionsKg[i] as number) + kg * share;
    line.energyKwh[i] = (line.energyKwh[i] as number) + kwh * share;
  }
}

/** Index of the bucket holding `ms`: the last start ≤ ms (binary search). */
function indexOf(startsMs: readonly number[], ms: number): number {
  let low = 0;
  let high = startsMs.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((startsMs[middle] as number) <= ms) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** At most about 180 buckets: minutes up to 3 h, hours up to 3 days, days up to 4 months, weeks up to 3 years. */
export function bucketFor(spanMs: number): BucketSize {
  if (spanMs <= 3 * HOUR_MS) return 'minute';
  if (spanMs <= 3 * DAY_MS) return 'hour';
  if (spanMs <= 120 * DAY_MS) return 'day';
  if (spanMs <= 3 * 366 * DAY_MS) return 'week';
  return 'month';
}

export function bucketStarts(bucket: BucketSize, firstMs: number, lastMs: number): number[] {
  const starts: number[] = [];
  for (let ms = floorTo(bucket, firstMs); ms <= lastMs; ms = nextStart(bucket, ms)) starts.push(ms);
  return starts;
}

function floorTo(bucket: BucketSize, ms: number): number {
  const date = new Date(ms);
  switch (bucket) {
    case 'minute':
      return ms - (ms % 60_000);
    case 'hour':
      return ms - (ms % HOUR_MS);
    case 'day':
      return ms - (ms % DAY_MS);
    case 'week': {
      // Weeks start on Monday (ISO 8601); getUTCDay() is 0 on Sunday.
      const day = ms - (ms % DAY_MS);
      return day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
    }
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
}

function nextStart(bucket: BucketSize, ms: number): number {
  switch (bucket) {
    case 'minute':
      return ms + 60_000;
    case 'hour':
      return ms + HOUR_MS;
    case 'day':
      return ms + DAY_MS;
    case 'week':
      return ms + 7 * DAY_MS;
    case 'month': {
      const date = new Date(ms);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
