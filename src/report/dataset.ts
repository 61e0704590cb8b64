/**
 * Everything read from a set of emissions files: the runs with their totals, each run's
 * cumulative points for charts, and what was worked around while reading.
 */

import { resolve } from 'node:path';
import { type FileReading, type ReadIssue, readEmissionsFile } from './read-emissions-file.js';
import { mergeRuns } from './run-collector.js';
import { type RunTotal, toRunTotal } from './run-total.js';

export interface FileSummary {
  file: string;
  found: boolean;
  rows: number;
  skippedRows: number;
  runs: number;
}

export interface EmissionsDataset {
  files: FileSummary[];
  /** Sorted by end time, then project, experiment and run id. */
  runs: RunTotal[];
  /** By run key: `[endMs, emissionsKg, energyKwh]` of each of the run's rows, flattened. */
  points: ReadonlyMap<string, readonly number[]>;
  issues: ReadIssue[];
}

/** Reads `files` (duplicates once) and builds the data set; never throws for a bad file. */
export async function loadEmissionsFiles(files: readonly string[]): Promise<EmissionsDataset> {
  const readings: FileReading[] = [];
  for (const file of uniquePaths(files)) readings.push(await readEmissionsFile(file));
  return buildDataset(readings);
}

export function buildDataset(readings: readonly FileReading[]): EmissionsDataset {
  const merged = mergeRuns(readings.map((reading) => reading.runs));
  const runs: RunTotal[] = [];
  const points = new Map<string, readonly number[]>();
  for (const rows of merged.values()) {
    const run = toRunTotal(rows);
    // Two runs whose keys collide: the later one gets a suffix, so every key stays unique.
    for (let n = 2; points.has(run.key); n++) run.key = `${run.key.slice(0, 16)}-${n}`;
    runs.push(run);
    points.set(run.key, rows.points);
  }
  runs.sort(byEndThenIdentity);

  return {
    files: readings.map((reading) => ({
      file: reading.file,
      found: reading.found,
      rows: reading.rows,
      skippedRows: reading.skippedRows,
      runs: reading.runs.runs.size,
    })),
    runs,
    points,
    issues: readings.flatMap((reading) => reading.issues),
  };
}

/** Each file once (compared by absolute path), as first spelled, in the order given. */
export function uniquePaths(files: readonly string[]): string[] {
  const byAbsolute = new Map<string, string>();
  for (const file of files) if (!byAbsolute.has(resolve(file))) byAbsolute.set(resolve(file), file);
  return [...byAbsolute.values()];
}

function byEndThenIdentity(a: RunTotal, b: RunTotal): number {
  return (
    a.endMs - b.endMs ||
    codePointOrder(a.projectName, b.projectName) ||
    codePointOrder(a.experimentId, b.experimentId) ||
    codePointOrder(a.runId, b.runId)
  );
}

/** Plain string order: stable across machines and locales, and fast on 100,000 runs. */
function codePointOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
