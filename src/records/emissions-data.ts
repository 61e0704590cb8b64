/**
 * The record every output receives: CodeCarbon's 38 fields (camelCase, CodeCarbon units:
 * seconds, kg CO2eq, kWh, W, L, GiB) plus how each number was obtained.
 */

/** How a component's energy was obtained, e.g. `tdp-load-model`, `ram-dimm-model`, `forced`. */
export type MeasurementMethod = string;

/** Where the carbon intensity came from (`live`: Electricity Maps at the time of the slice). */
export type IntensitySource = 'forced' | 'cloud' | 'region' | 'country' | 'world' | 'live';

export interface EmissionsData {
  /** Local time of the record, `YYYY-MM-DDTHH:MM:SS` as CodeCarbon writes it. */
  timestamp: string;
  projectName: string;
  runId: string;
  experimentId: string;
  /** Seconds covered by the record. */
  duration: number;
  /** kg CO2eq. */
  emissions: number;
  /** kg CO2eq per second. */
  emissionsRate: number;
  /** Mean CPU power over the record, W (before PUE). */
  cpuPower: number;
  /** Mean GPU power over the record, W (before PUE). */
  gpuPower: number;
  /** Mean RAM power over the record, W (before PUE). */
  ramPower: number;
  /** kWh, PUE included. */
  cpuEnergy: number;
  /** kWh, PUE included. */
  gpuEnergy: number;
  /** kWh, PUE included. */
  ramEnergy: number;
  /** kWh = cpuEnergy + gpuEnergy + ramEnergy. */
  energyConsumed: number;
  /** Litres = WUE × energy. */
  waterConsumed: number;
  countryName: string | undefined;
  /** ISO 3166 alpha-3. */
  countryIsoCode: string | undefined;
  region: string | undefined;
  cloudProvider: string;
  cloudRegion: string;
  os: string;
  /** The JavaScript runtime and its version, e.g. `node-20.20.2` (column kept for CSV parity). */
  pythonVersion: string;
  codecarbonVersion: string;
  cpuCount: number;
  cpuModel: string | undefined;
  gpuCount: number;
  gpuModel: string;
  longitude: number | undefined;
  latitude: number | undefined;
  /** GiB of memory the RAM model used (a container limit when lower than the host's RAM). */
  ramTotalSize: number;
  trackingMode: 'machine' | 'process';
  cpuUtilizationPercent: number;
  gpuUtilizationPercent: number;
  ramUtilizationPercent: number;
  ramUsedGb: number;
  onCloud: 'Y' | 'N';
  pue: number;
  wue: number;

  /** How the CPU energy was obtained. */
  cpuMethod: MeasurementMethod;
  /** How the GPU energy was obtained (`none` without a tracked GPU). */
  gpuMethod: MeasurementMethod;
  /** How the RAM energy was obtained. */
  ramMethod: MeasurementMethod;
  /** Grid carbon intensity used, g CO2eq/kWh (the last one, when it changed during the run). */
  carbonIntensity: number;
  carbonIntensitySource: IntensitySource;
  /** Human-readable provenance of the intensity: table, key, year. */
  carbonIntensityDetail: string;
}

/** A task's record: an `EmissionsData` for the task's own interval, with its name. */
export interface TaskEmissionsData extends EmissionsData {
  taskName: string;
}

/** CodeCarbon 3.x CSV columns, in order. */
export const CSV_COLUMNS = [
  'timestamp',
  'project_name',
  'run_id',
  'experiment_id',
  'duration',
  'emissions',
  'emissions_rate',
  'cpu_power',
  'gpu_power',
  'ram_power',
  'cpu_energy',
  'gpu_energy',
  'ram_energy',
  'energy_consumed',
  'water_consumed',
  'country_name',
  'country_iso_code',
  'region',
  'cloud_provider',
  'cloud_region',
  'os',
  'python_version',
  'codecarbon_version',
  'cpu_count',
  'cpu_model',
  'gpu_count',
  'gpu_model',
  'longitude',
  'latitude',
  'ram_total_size',
  'tracking_mode',
  'cpu_utilization_percent',
  'gpu_utilization_percent',
  'ram_utilization_percent',
  'ram_used_gb',
  'on_cloud',
  'pue',
  'wue',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns whose values are floating point in CodeCarbon's files (written with a `.0`). */
export const FLOAT_COLUMNS: ReadonlySet<string> = new Set([
  'duration',
  'emissions',
  'emissions_rate',
  'cpu_power',
  'gpu_power',
  'ram_power',
  'cpu_energy',
  'gpu_energy',
  'ram_energy',
  'energy_consumed',
  'water_consumed',
  'longitude',
  'latitude',
  'ram_total_size',
  'cpu_utilization_percent',
  'gpu_utilization_percent',
  'ram_utilization_percent',
  'ram_used_gb',
  'pue',
  'wue',
]);

/** The record as snake_case fields in CodeCarbon's order (CSV row, JSON payloads). */
export function toSnakeCaseRecord(record: EmissionsData): Record<CsvColumn, unknown> {
  const out = {} as Record<CsvColumn, unknown>;
  const source = record as unknown as Record<string, unknown>;
  for (const column of CSV_COLUMNS) out[column] = source[snakeToCamel(column)];
  return out;
}

function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
