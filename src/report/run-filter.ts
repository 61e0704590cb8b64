/**
 * Which runs a report covers. A run belongs to the moment it ended (its total row's time), so
 * a date range keeps the runs that ended inside it.
 */

import type { RunTotal } from './run-total.js';

export interface RunFilter {
  /** Project names to keep; empty keeps all. */
  projects?: readonly string[];
  /** Experiment ids to keep; empty keeps all. */
  experiments?: readonly string[];
  /** Keep runs that ended at or after this wall-clock time (ms, see wall-clock.ts). */
  sinceMs?: number | undefined;
  /** Keep runs that ended at or before this wall-clock time. */
  untilMs?: number | undefined;
}

export function filterRuns(runs: readonly RunTotal[], filter: RunFilter): RunTotal[] {
  const projects = nonEmptySet(filter.projects);
  const experiments = nonEmptySet(filter.experiments);
  return runs.filter(
    (run) =>
      (!projects || projects.has(run.projectName)) &&
      (!experiments || experiments.has(run.experimentId)) &&
      (filter.sinceMs === undefined || run.endMs >= filter.sinceMs) &&
      (filter.untilMs === undefined || run.endMs <= filter.untilMs),
  );
}

function nonEmptySet(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return values && values.length > 0 ? new Set(values) : undefined;
}
