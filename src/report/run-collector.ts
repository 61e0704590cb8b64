/**
 * Groups rows into runs. A run is a (project, experiment, run id) triple; its rows are
 * cumulative, so its total is its last row — the one with the longest duration, the later
 * row on a tie, which stays right when files are read in any order or a row is repeated.
 * Each row's cumulative amounts are also kept as a point, for charts over time. Only the
 * total row's cells are kept; its full values are read once, when the runs are built.
 */

import type { CsvSchema } from './csv-schema.js';
import type { RowCore } from './row-facts.js';

export interface RunRows {
  groupKey: string;
  /** The row taken as the run's total: its checked core, its cells and their header. */
  total: RowCore;
  cells: readonly string[];
  schema: CsvSchema;
  file: string;
  line: number;
  rowCount: number;
  /** `[endMs, emissionsKg, energyKwh]` of every row, flattened, in reading order. */
  points: number[];
}

export interface RowSource {
  cells: readonly string[];
  schema: CsvSchema;
  file: string;
  line: number;
}

export class RunCollector {
  readonly runs = new Map<string, RunRows>();

  add(core: RowCore, source: RowSource): void {
    const groupKey = runGroupKey(core);
    const run = this.runs.get(groupKey);
    if (!run) {
      this.runs.set(groupKey, {
        groupKey,
        total: core,
        cells: source.cells,
        schema: source.schema,
        file: source.file,
        line: source.line,
        rowCount: 1,
        points: [core.endMs, core.emissionsKg, core.energyKwh],
      });
      return;
    }

    run.rowCount++;
    run.points.push(core.endMs, core.emissionsKg, core.energyKwh);
    if (core.durationS >= run.total.durationS) takeTotal(run, core, source);
  }
}

/** Runs of several files (in the order given) as one map; the same run may span files. */
export function mergeRuns(collectors: readonly RunCollector[]): Map<string, RunRows> {
  const merged = new Map<string, RunRows>();
  for (const collector of collectors) {
    for (const run of collector.runs.values()) {
      const seen = merged.get(run.groupKey);
      if (!seen) {
        // A copy: the file's own runs stay as read, for the next merge.
        merged.set(run.groupKey, { ...run, points: run.points.slice() });
        continue;
      }
      seen.rowCount += run.rowCount;
      for (const value of run.points) seen.points.push(value);
      if (run.total.durationS >= seen.total.durationS) takeTotal(seen, run.total, run);
    }
  }
  return merged;
}

function takeTotal(run: RunRows, core: RowCore, source: RowSource): void {
  run.total = core;
  run.cells = source.cells;
  run.schema = source.schema;
  run.file = source.file;
  run.line = source.line;
}

/** Unit-separator-joined: no CSV cell holds U+001F in practice, and if one did it only merges names. */
export function runGroupKey(core: Pick<RowCore, 'projectName' | 'experimentId' | 'runId'>) {
  return `${core.projectName}\u001f${core.experimentId}\u001f${core.runId}`;
}
