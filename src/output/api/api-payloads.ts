/**
 * The CodeCarbon API's JSON bodies (spec §9.2), built from records. The API counts whole
 * seconds, kg CO2eq, kWh and W; timestamps are ISO 8601 with microseconds and UTC offset.
 */

import type { EmissionsData } from '../../records/emissions-data.js';

/** `POST /runs`: the run, created on the first delivery. */
export interface ApiRunBody {
  timestamp: string;
  experiment_id: string;
  os: string;
  /** The JavaScript runtime and version (`node-20.20.2`), as in the CSV's column. */
  python_version: string;
  codecarbon_version: string;
  cpu_count: number;
  cpu_model: string | null;
  gpu_count: number;
  gpu_model: string | null;
  /** Degrees, one decimal; null when the location is unknown (offline tracker). */
  longitude: number | null;
  latitude: number | null;
  /** Cloud region and provider; null outside a cloud. */
  region: string | null;
  provider: string | null;
  /** GiB. */
  ram_total_size: number;
  tracking_mode: string;
}

/** A delta as spooled: what `POST /emissions` needs, with the exact duration in seconds. */
export interface ApiDelta {
  timestamp: string;
  duration_s: number;
  emissions_sum: number;
  cpu_power: number;
  gpu_power: number;
  ram_power: number;
  cpu_energy: number;
  gpu_energy: number;
  ram_energy: number;
  energy_consumed: number;
  cpu_utilization_percent: number;
  gpu_utilization_percent: number;
  ram_utilization_percent: number;
  wue: number;
}

/** `POST /emissions`: one delta of the run. */
export type ApiEmissionBody = Omit<ApiDelta, 'duration_s'> & {
  run_id: string;
  /** Whole seconds, at least 1 (the API refuses 0). */
  duration: number;
  /** kg CO2eq per second over the exact duration. */
  emissions_rate: number;
};

/** Numeric fields of a delta that add up when deltas are merged. */
export const SUMMED_FIELDS = [
  'duration_s',
  'emissions_sum',
  'cpu_energy',
  'gpu_energy',
  'ram_energy',
  'energy_consumed',
] as const;

/** Numeric fields that are means over the delta: merged weighted by duration. */
export const MEAN_FIELDS = [
  'cpu_power',
  'gpu_power',
  'ram_power',
  'cpu_utilization_percent',
  'gpu_utilization_percent',
  'ram_utilization_percent',
] as const;

export function toRunBody(record: EmissionsData, experimentId: string): ApiRunBody {
  return {
    timestamp: isoTimestamp(record.timestamp),
    experiment_id: experimentId,
    os: record.os,
    python_version: record.pythonVersion,
    codecarbon_version: record.codecarbonVersion,
    cpu_count: record.cpuCount,
    cpu_model: record.cpuModel ?? null,
    gpu_count: record.gpuCount,
    gpu_model: record.gpuModel || null,
    longitude: oneDecimal(record.longitude),
    latitude: oneDecimal(record.latitude),
    region: record.cloudRegion || null,
    provider: record.cloudProvider || null,
    ram_total_size: finite(record.ramTotalSize),
    tracking_mode: record.trackingMode,
  };
}

export function toApiDelta(delta: EmissionsData): ApiDelta {
  return {
    timestamp: isoTimestamp(delta.timestamp),
    duration_s: finite(delta.duration),
    emissions_sum: finite(delta.emissions),
    cpu_power: finite(delta.cpuPower),
    gpu_power: finite(delta.gpuPower),
    ram_power: finite(delta.ramPower),
    cpu_energy: finite(delta.cpuEnergy),
    gpu_energy: finite(delta.gpuEnergy),
    ram_energy: finite(delta.ramEnergy),
    energy_consumed: finite(delta.energyConsumed),
    cpu_utilization_percent: finite(delta.cpuUtilizationPercent),
    gpu_utilization_percent: finite(delta.gpuUtilizationPercent),
    ram_utilization_percent: finite(delta.ramUtilizationPercent),
    wue: finite(delta.wue),
  };
}

/** A spooled body read back (possibly written by another version): missing numbers are 0. */
export function asApiDelta(body: unknown): ApiDelta {
  const source = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const number = (key: string) => finite(source[key]);
  const delta = {
    timestamp: typeof source.timestamp === 'string' ? source.timestamp : isoTimestamp(''),
    wue: number('wue'),
  } as ApiDelta;
  for (const key of [...SUMMED_FIELDS, ...MEAN_FIELDS]) delta[key] = number(key);
  return delta;
}

export function toEmissionBody(delta: ApiDelta, runId: string): ApiEmissionBody {
  return {
    timestamp: delta.timestamp,
    run_id: runId,
    duration: Math.max(1, Math.round(delta.duration_s)),
    emissions_sum: delta.emissions_sum,
    emissions_rate: delta.duration_s > 0 ? delta.emissions_sum / delta.duration_s : 0,
    cpu_power: delta.cpu_power,
    gpu_power: delta.gpu_power,
    ram_power: delta.ram_power,
    cpu_energy: delta.cpu_energy,
    gpu_energy: delta.gpu_energy,
    ram_energy: delta.ram_energy,
    energy_consumed: delta.energy_consumed,
    cpu_utilization_percent: delta.cpu_utilization_percent,
    gpu_utilization_percent: delta.gpu_utilization_percent,
    ram_utilization_percent: delta.ram_utilization_percent,
    wue: delta.wue,
  };
}

/**
 * A record's local `YYYY-MM-DDTHH:MM:SS` as the API wants it:
 * `2026-12-03T12:34:13.000000+01:00` (the offset of this machine's zone at that time).
 */
export function isoTimestamp(local: string): string {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(local);
  const [year, month, day, hours, minutes, seconds] = (parts ?? []).slice(1).map(Number);
  const date =
    parts && year !== undefined
      ? new Date(year, (month ?? 1) - 1, day, hours, minutes, seconds)
      : new Date();
  const offsetMin = -date.getTimezoneOffset();
  const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const zone = `${offsetMin < 0 ? '-' : '+'}${pad(offsetMin / 60)}:${pad(offsetMin % 60)}`;
  const text = parts
    ? local
    : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
      `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${text}.000000${zone}`;
}

function oneDecimal(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;
}

/** JSON has no NaN or Infinity; the API wants numbers. */
function finite(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
