/**
 * The report's tables as cells, shared by the terminal and Markdown renderings: totals per
 * project and experiment, and the latest runs.
 */

import type { Report } from './build-report.js';
import { placeOf } from './locations.js';
import type { RunTotal } from './run-total.js';
import type { Totals } from './summary.js';
import type { Column } from './text-table.js';
import {
  ENERGY_SCALES,
  formatAmount,
  formatDurationS,
  formatIntensity,
  MASS_SCALES,
  type Scale,
} from './units.js';
import { formatWallClock } from './wall-clock.js';

export interface Table {
  columns: Column[];
  rows: string[][];
}

const AMOUNT_COLUMNS: Column[] = [
  { header: 'Runs', align: 'right' },
  { header: 'Duration', align: 'right' },
  { header: 'CPU', align: 'right' },
  { header: 'GPU', align: 'right' },
  { header: 'RAM', align: 'right' },
  { header: 'Energy', align: 'right' },
  { header: 'Emissions', align: 'right' },
  { header: 'Intensity', align: 'right' },
];

/** One row per project and experiment, a project total when it has several, and a total. */
export function projectTable(report: Report): Table {
  const groups: { project: string; experiment: string; totals: Totals }[] = [];
  for (const project of report.projects) {
    for (const experiment of project.experiments) {
      groups.push({
        project: project.projectName,
        experiment: shortId(experiment.experimentId) || '—',
        totals: experiment,
      });
    }
    if (project.experiments.length > 1) {
      groups.push({ project: project.projectName, experiment: '(all)', totals: project });
    }
  }
  groups.push({ project: 'Total', experiment: '', totals: report.totals });

  const cells = amountCells(groups.map((group) => group.totals));
  return {
    columns: [
      { header: 'Project', align: 'left' },
      { header: 'Experiment', align: 'left' },
      ...AMOUNT_COLUMNS,
    ],
    rows: groups.map((group, i) => [
      group.project || '(none)',
      group.experiment,
      ...cellsAt(cells, i),
    ]),
  };
}

/** The `limit` latest runs, newest first. */
export function runTable(runs: readonly RunTotal[], limit: number): Table {
  const shown = runs.slice(0, limit);
  const cells = amountCells(shown.map((run) => ({ ...run, runs: 1 })));
  return {
    columns: [
      { header: 'Ended', align: 'left' },
      { header: 'Project', align: 'left' },
      { header: 'Run', align: 'left' },
      ...AMOUNT_COLUMNS.slice(1),
      { header: 'Where', align: 'left' },
    ],
    rows: shown.map((run, i) => [
      formatWallClock(run.endMs),
      run.projectName || '(none)',
      shortId(run.runId),
      ...(cellsAt(cells, i).slice(1) as string[]),
      placeOf(run),
    ]),
  };
}

/** Energy and emissions per place and intensity source. */
export function locationTable(report: Report): Table {
  return {
    columns: [
      { header: 'Where', align: 'left' },
      { header: 'Runs', align: 'right' },
      { header: 'Energy', align: 'right' },
      { header: 'Emissions', align: 'right' },
      { header: 'Intensity', align: 'right' },
      { header: 'Intensity source', align: 'left' },
    ],
    rows: report.locations.map((share) => [
      share.place,
      String(share.runs),
      amount(share.energyKwh, ENERGY_SCALES),
      amount(share.emissionsKg, MASS_SCALES),
      formatIntensity(share.intensityGPerKwh),
      share.intensitySource,
    ]),
  };
}

/** UUIDs are cut to their first 8 characters, enough to tell runs apart in a table. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? id.slice(0, 8) : id;
}

interface AmountRow {
  runs: number;
  durationS: number;
  cpuEnergyKwh: number | undefined;
  gpuEnergyKwh: number | undefined;
  ramEnergyKwh: number | undefined;
  energyKwh: number;
  emissionsKg: number;
  /** For totals: how many of `runs` recorded each component (see Totals). */
  componentRuns?: { cpu: number; gpu: number; ram: number };
  intensityGPerKwh?: number | undefined;
  intensity?: { gPerKwh: number | undefined };
}

/** Marks a total over runs of which only some recorded the component: `≥ 1.20 kWh`. */
export const PARTIAL_MARK = '≥ ';

/**
 * Cells of the amount columns. Each cell has its own unit: a report often mixes hour-long
 * training runs with second-long tests, and one unit per column would flatten the small ones.
 */
function amountCells(rows: readonly AmountRow[]): string[][] {
  const energy = (value: number | undefined) => amount(value, ENERGY_SCALES);
  return rows.map((row) => [
    String(row.runs),
    formatDurationS(row.durationS),
    componentEnergy(row.cpuEnergyKwh, row.componentRuns?.cpu, row.runs),
    componentEnergy(row.gpuEnergyKwh, row.componentRuns?.gpu, row.runs),
    componentEnergy(row.ramEnergyKwh, row.componentRuns?.ram, row.runs),
    energy(row.energyKwh),
    amount(row.emissionsKg, MASS_SCALES),
    formatIntensity(row.intensityGPerKwh ?? row.intensity?.gPerKwh),
  ]);
}

/**
 * A run's component energy, or a total's: `—` when no run recorded it, as a run's own cell
 * says, and marked as a lower bound when only some did.
 */
function componentEnergy(value: number | undefined, known: number | undefined, runs: number) {
  if (known === undefined || known === runs) return amount(value, ENERGY_SCALES);
  if (known === 0) return '—';
  return `${PARTIAL_MARK}${amount(value, ENERGY_SCALES)}`;
}

function amount(value: number | undefined, scales: readonly Scale[]): string {
  if (value === undefined) return '—';
  return value === 0 ? '0' : formatAmount(value, scales);
}

function cellsAt(cells: readonly string[][], i: number): string[] {
  return cells[i] ?? [];
}
