/** The run table's order, chosen by the page and applied on the server. */

import { placeOf } from '../report/locations.js';
import type { RunTotal } from '../report/run-total.js';

const SORT_KEYS = {
  endMs: (run: RunTotal) => run.endMs,
  projectName: (run: RunTotal) => run.projectName,
  experimentId: (run: RunTotal) => run.experimentId,
  runId: (run: RunTotal) => run.runId,
  durationS: (run: RunTotal) => run.durationS,
  cpuEnergyKwh: (run: RunTotal) => run.cpuEnergyKwh ?? -1,
  gpuEnergyKwh: (run: RunTotal) => run.gpuEnergyKwh ?? -1,
  ramEnergyKwh: (run: RunTotal) => run.ramEnergyKwh ?? -1,
  energyKwh: (run: RunTotal) => run.energyKwh,
  emissionsKg: (run: RunTotal) => run.emissionsKg,
  intensityGPerKwh: (run: RunTotal) => run.intensity.gPerKwh ?? -1,
  place: (run: RunTotal) => placeOf(run),
} satisfies Record<string, (run: RunTotal) => number | string>;

export type SortKey = keyof typeof SORT_KEYS;

export interface SortedRuns {
  rows: RunTotal[];
  sortedBy: SortKey;
  direction: 'asc' | 'desc';
}

/** Unknown keys fall back to the newest runs first. Ties keep the data set's order. */
export function sortRuns(runs: RunTotal[], sort: string | null, dir: string | null): SortedRuns {
  const sortedBy: SortKey = sort !== null && sort in SORT_KEYS ? (sort as SortKey) : 'endMs';
  const direction = dir === 'asc' || dir === 'desc' ? dir : sort === null ? 'desc' : 'asc';
  const keyOf: (run: RunTotal) => number | string = SORT_KEYS[sortedBy];
  const sign = direction === 'asc' ? 1 : -1;

  const keyed = runs.map((run, index) => ({ run, index, key: keyOf(run) }));
  keyed.sort((a, b) => sign * compare(a.key, b.key) || a.index - b.index);
  return { rows: keyed.map((entry) => entry.run), sortedBy, direction };
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Code-point order: as good for ids and names, and much faster than a collator on 100,000 rows.
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
