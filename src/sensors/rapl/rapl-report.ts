import type { ReadTextFile } from './counter-file.js';
import { type RaplConfig, raplPlan } from './rapl-selection.js';

/** One zone as `codecarbon detect` shows it. */
export interface RaplZoneReport {
  id: string;
  provider: string;
  name: string;
  kind: string;
  path: string;
  readable: boolean;
  maxEnergyRangeUj: number | null;
  /** The component it measures, or null when it is not used. */
  used: 'cpu' | 'ram' | null;
  /** `used for CPU`, or why it is not used. */
  reason: string;
}

export interface RaplReport {
  zones: RaplZoneReport[];
  /** `rapl-package` / `rapl-psys` when RAPL measures the CPU. */
  cpuMethod: string | null;
  /** `rapl-dram` when RAPL measures the RAM. */
  ramMethod: string | null;
  notes: string[];
}

/** Every powercap zone found, which are used and why the others are not. Logs nothing. */
export function raplReport(
  config: Omit<RaplConfig, 'logger'>,
  readFile?: ReadTextFile,
): RaplReport {
  const { plan } = raplPlan(config, readFile);
  return {
    zones: plan.decisions.map(({ zone, use, reason }) => ({
      id: zone.id,
      provider: zone.provider,
      name: zone.name,
      kind: zone.kind,
      path: zone.systemPath,
      readable: zone.access.readable,
      maxEnergyRangeUj: zone.maxEnergyRangeUj ?? null,
      used: use ?? null,
      reason,
    })),
    cpuMethod: plan.cpu?.method ?? null,
    ramMethod: plan.ram?.method ?? null,
    notes: plan.notes,
  };
}

/** The report as terminal lines, zones aligned in columns. */
export function raplReportLines(report: RaplReport): string[] {
  if (report.zones.length === 0) {
    return ['RAPL zones  none found under /sys/class/powercap (no CPU energy counter)'];
  }
  const idWidth = Math.max(...report.zones.map((zone) => zone.id.length));
  const nameWidth = Math.max(...report.zones.map((zone) => zone.name.length));
  return [
    'RAPL zones:',
    ...report.zones.map(
      (zone) => `  ${zone.id.padEnd(idWidth)}  ${zone.name.padEnd(nameWidth)}  ${zone.reason}`,
    ),
    ...report.notes.map((note) => `  (${note})`),
    '  (zones mirroring a sibling, equal counters interval after interval, are found while measuring and counted once)',
  ];
}
