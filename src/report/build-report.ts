/**
 * The report every format renders: the runs kept by the filter, their totals per project and
 * experiment, everyday equivalents and what was worked around while reading.
 */

import { VERSION } from '../version.js';
import type { EmissionsDataset, FileSummary } from './dataset.js';
import { type Equivalent, equivalentsOf } from './equivalents.js';
import { type LocationShare, locationsOf } from './locations.js';
import type { ReadIssue } from './read-emissions-file.js';
import { filterRuns, type RunFilter } from './run-filter.js';
import type { RunTotal } from './run-total.js';
import { type ProjectSummary, summarise, type Totals } from './summary.js';
import { formatWallClock } from './wall-clock.js';

export interface Report {
  generatedBy: string;
  files: FileSummary[];
  filter: {
    projects: string[];
    experiments: string[];
    since: string | undefined;
    until: string | undefined;
  };
  totals: Totals;
  projects: ProjectSummary[];
  /** Where the electricity came from, by decreasing energy. */
  locations: LocationShare[];
  equivalents: Equivalent[];
  /** Newest first. */
  runs: RunTotal[];
  issues: ReadIssue[];
}

export function buildReport(dataset: EmissionsDataset, filter: RunFilter): Report {
  const runs = filterRuns(dataset.runs, filter).reverse();
  const { totals, projects } = summarise(runs);
  return {
    generatedBy: `codecarbon ${VERSION}`,
    files: dataset.files,
    filter: {
      projects: [...(filter.projects ?? [])],
      experiments: [...(filter.experiments ?? [])],
      since: filter.sinceMs === undefined ? undefined : formatWallClock(filter.sinceMs, true),
      until: filter.untilMs === undefined ? undefined : formatWallClock(filter.untilMs, true),
    },
    totals,
    projects,
    locations: locationsOf(runs),
    equivalents: equivalentsOf(totals),
    runs,
    issues: dataset.issues,
  };
}
