/** Totals over runs: for all of them, per project and per experiment. */

import type { RunTotal } from './run-total.js';

export interface Totals {
  runs: number;
  durationS: number;
  /** Sums over the runs that recorded them: `componentRuns` says how many did. */
  cpuEnergyKwh: number;
  gpuEnergyKwh: number;
  ramEnergyKwh: number;
  /**
   * How many runs recorded each component's energy. Older schemas and some writers leave
   * the cells empty; a sum over fewer than `runs` is partial, over none unknown.
   */
  componentRuns: { cpu: number; gpu: number; ram: number };
  energyKwh: number;
  emissionsKg: number;
  waterL: number;
  /** Emissions ÷ energy of the group, g CO2eq/kWh; absent without energy. */
  intensityGPerKwh: number | undefined;
  /** End time of the earliest and latest runs (wall-clock ms). */
  firstEndMs: number | undefined;
  lastEndMs: number | undefined;
}

export interface ExperimentSummary extends Totals {
  experimentId: string;
}

export interface ProjectSummary extends Totals {
  projectName: string;
  experiments: ExperimentSummary[];
}

export interface Summary {
  totals: Totals;
  /** By decreasing emissions; experiments likewise within each project. */
  projects: ProjectSummary[];
}

export function summarise(runs: readonly RunTotal[]): Summary {
  const byProject = groupBy(runs, (run) => run.projectName);
  const projects = [...byProject].map(([projectName, projectRuns]) => ({
    projectName,
    ...totalsOf(projectRuns),
    experiments: [...groupBy(projectRuns, (run) => run.experimentId)]
      .map(([experimentId, experimentRuns]) => ({ experimentId, ...totalsOf(experimentRuns) }))
      .sort(byEmissions),
  }));
  return { totals: totalsOf(runs), projects: projects.sort(byEmissions) };
}

export function totalsOf(runs: readonly RunTotal[]): Totals {
  const totals: Totals = {
    runs: runs.length,
    durationS: 0,
    cpuEnergyKwh: 0,
    gpuEnergyKwh: 0,
    ramEnergyKwh: 0,
    componentRuns: { cpu: 0, gpu: 0, ram: 0 },
    energyKwh: 0,
    emissionsKg: 0,
    waterL: 0,
    intensityGPerKwh: undefined,
    firstEndMs: undefined,
    lastEndMs: undefined,
  };
  for (const run of runs) {
    totals.durationS += run.durationS;
    if (run.cpuEnergyKwh !== undefined) {
      totals.cpuEnergyKwh += run.cpuEnergyKwh;
      totals.componentRuns.cpu++;
    }
    if (run.gpuEnergyKwh !== undefined) {
      totals.gpuEnergyKwh += run.gpuEnergyKwh;
      totals.componentRuns.gpu++;
    }
    if (run.ramEnergyKwh !== undefined) {
      totals.ramEnergyKwh += run.ramEnergyKwh;
      totals.componentRuns.ram++;
    }
    totals.energyKwh += run.energyKwh;
    totals.emissionsKg += run.emissionsKg;
    totals.waterL += run.waterL ?? 0;
    totals.firstEndMs = Math.min(totals.firstEndMs ?? run.endMs, run.endMs);
    totals.lastEndMs = Math.max(totals.lastEndMs ?? run.endMs, run.endMs);
  }
  if (totals.energyKwh > 0) {
    totals.intensityGPerKwh = (totals.emissionsKg / totals.energyKwh) * 1000;
  }
  return totals;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function byEmissions(a: Totals & object, b: Totals & object): number {
  return b.emissionsKg - a.emissionsKg;
}
