/**
 * One emissions CSV row read back into typed values, in the CSV's own units (s, kg CO2eq,
 * kWh, W, L, GiB). Rows are cumulative: each row of a run repeats the run's totals so far.
 */

import type { CsvSchema } from './csv-schema.js';
import { parseWallClock } from './wall-clock.js';

export interface RowFacts {
  projectName: string;
  experimentId: string;
  runId: string;
  /** As written: the writer's local wall-clock time, `YYYY-MM-DDTHH:MM:SS`. */
  timestamp: string;
  /** The timestamp as milliseconds, read as if it were UTC (the files carry no zone). */
  endMs: number;
  durationS: number;
  emissionsKg: number;
  energyKwh: number;
  cpuEnergyKwh: number | undefined;
  gpuEnergyKwh: number | undefined;
  ramEnergyKwh: number | undefined;
  waterL: number | undefined;
  cpuPowerW: number | undefined;
  gpuPowerW: number | undefined;
  ramPowerW: number | undefined;
  location: {
    countryName?: string;
    countryIsoCode?: string;
    region?: string;
    cloudProvider?: string;
    cloudRegion?: string;
    onCloud?: string;
    longitude?: number;
    latitude?: number;
  };
  hardware: {
    os?: string;
    /** `python_version`: Python's version, or the JavaScript runtime for this tool's files. */
    runtime?: string;
    codecarbonVersion?: string;
    cpuCount?: number;
    cpuModel?: string;
    gpuCount?: number;
    gpuModel?: string;
    ramTotalSizeGiB?: number;
  };
  measurement: {
    trackingMode?: string;
    cpuUtilizationPercent?: number;
    gpuUtilizationPercent?: number;
    ramUtilizationPercent?: number;
    ramUsedGb?: number;
    pue?: number;
    wue?: number;
    /** Provenance columns, only when a writer adds them (CodeCarbon's 38 columns do not). */
    cpuMethod?: string;
    gpuMethod?: string;
    ramMethod?: string;
    carbonIntensityGPerKwh?: number;
    carbonIntensitySource?: string;
    carbonIntensityDetail?: string;
  };
  /** Cells of columns this reader does not know, by column name. */
  extra: Record<string, string>;
}

/** What every row is checked and grouped by; the rest is read only for a run's total row. */
export interface RowCore {
  projectName: string;
  experimentId: string;
  runId: string;
  timestamp: string;
  endMs: number;
  durationS: number;
  emissionsKg: number;
  energyKwh: number;
}

export type CoreResult = { ok: true; core: RowCore } | { ok: false; message: string };

/**
 * Checks a row and reads what groups it into a run. Fails on an empty run id, a timestamp
 * that is not a date, a required amount that is empty, a number that does not parse and a
 * negative amount; Python's `nan` counts as empty.
 */
export function readRowCore(cells: readonly string[], schema: CsvSchema): CoreResult {
  for (const { column, index, signed, required } of schema.numbers) {
    const cell = cells[index] ?? '';
    if (isEmpty(cell)) {
      if (required) return { ok: false, message: `${column} is empty` };
      continue;
    }
    const value = Number(cell);
    if (!Number.isFinite(value) || (value === 0 && cell.trim() === '')) {
      return { ok: false, message: `${column} "${cell}" is not a number` };
    }
    if (value < 0 && !signed) return { ok: false, message: `${column} is negative (${value})` };
  }

  const at = (column: string) => cells[schema.index.get(column) ?? -1] ?? '';
  const runId = at('run_id');
  const timestamp = at('timestamp');
  const endMs = parseWallClock(timestamp);
  if (runId === '') return { ok: false, message: 'run_id is empty' };
  if (endMs === undefined) return { ok: false, message: `timestamp "${timestamp}" is not a date` };
  return {
    ok: true,
    core: {
      projectName: at('project_name'),
      experimentId: at('experiment_id'),
      runId,
      timestamp,
      endMs,
      durationS: Number(at('duration')),
      emissionsKg: Number(at('emissions')),
      energyKwh: Number(at('energy_consumed')),
    },
  };
}

/** Every value of a row `readRowCore` accepted; empty optional cells are absent. */
export function rowFacts(cells: readonly string[], schema: CsvSchema, core: RowCore): RowFacts {
  const text = (column: string): string | undefined => {
    const cell = cells[schema.index.get(column) ?? -1];
    return cell === undefined || cell === '' ? undefined : cell;
  };
  const number = (column: string): number | undefined => {
    const cell = text(column);
    return cell === undefined || isEmpty(cell) ? undefined : Number(cell);
  };
  const extra: Record<string, string> = {};
  for (const { column, index } of schema.unknown) {
    if (cells[index]) extra[column] = cells[index] as string;
  }

  // Fields written out, not spread from `core`: V8 builds spread-then-extended objects through
  // a chain of hidden classes, several times slower on 100,000 runs.
  return {
    projectName: core.projectName,
    experimentId: core.experimentId,
    runId: core.runId,
    timestamp: core.timestamp,
    endMs: core.endMs,
    durationS: core.durationS,
    emissionsKg: core.emissionsKg,
    energyKwh: core.energyKwh,
    cpuEnergyKwh: number('cpu_energy'),
    gpuEnergyKwh: number('gpu_energy'),
    ramEnergyKwh: number('ram_energy'),
    waterL: number('water_consumed'),
    cpuPowerW: number('cpu_power'),
    gpuPowerW: number('gpu_power'),
    ramPowerW: number('ram_power'),
    location: {
      countryName: text('country_name'),
      countryIsoCode: text('country_iso_code'),
      region: text('region'),
      cloudProvider: text('cloud_provider'),
      cloudRegion: text('cloud_region'),
      onCloud: text('on_cloud'),
      longitude: number('longitude'),
      latitude: number('latitude'),
    },
    hardware: {
      os: text('os'),
      runtime: text('python_version'),
      codecarbonVersion: text('codecarbon_version'),
      cpuCount: number('cpu_count'),
      cpuModel: text('cpu_model'),
      gpuCount: number('gpu_count'),
      gpuModel: text('gpu_model'),
      ramTotalSizeGiB: number('ram_total_size'),
    },
    measurement: {
      trackingMode: text('tracking_mode'),
      cpuUtilizationPercent: number('cpu_utilization_percent'),
      gpuUtilizationPercent: number('gpu_utilization_percent'),
      ramUtilizationPercent: number('ram_utilization_percent'),
      ramUsedGb: number('ram_used_gb'),
      pue: number('pue'),
      wue: number('wue'),
      cpuMethod: text('cpu_method'),
      gpuMethod: text('gpu_method'),
      ramMethod: text('ram_method'),
      carbonIntensityGPerKwh: number('carbon_intensity'),
      carbonIntensitySource: text('carbon_intensity_source'),
      carbonIntensityDetail: text('carbon_intensity_detail'),
    },
    extra,
  };
}

/** Empty, or Python's `nan` (written for a missing float). */
function isEmpty(cell: string): boolean {
  return cell === '' || (cell.length <= 4 && /^[+-]?nan$/i.test(cell));
}
