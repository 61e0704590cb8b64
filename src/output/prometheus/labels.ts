import { hostname } from 'node:os';
import type { EmissionsData } from '../../records/emissions-data.js';

/**
 * The 14 labels Python CodeCarbon declares on every pushed metric (spec 9.5). Python fills
 * only `project_name`; here every one carries the record's value.
 */
export const CODECARBON_LABELS = [
  'project_name',
  'country_name',
  'country_iso_code',
  'region',
  'cloud_provider',
  'cloud_region',
  'os',
  'codecarbon_version',
  'cpu_model',
  'cpu_count',
  'gpu_model',
  'gpu_count',
  'tracking_mode',
  'ram_total_size',
] as const;

/** Provenance labels added to CodeCarbon's: how each number was obtained, and which run. */
export const PROVENANCE_LABELS = [
  'cpu_method',
  'gpu_method',
  'ram_method',
  'carbon_intensity_source',
  'experiment_id',
  'run_id',
] as const;

export const PUSH_LABELS = [...CODECARBON_LABELS, ...PROVENANCE_LABELS] as const;
export type PushLabel = (typeof PUSH_LABELS)[number];

/** Label values of a record; a missing value is the empty string, as Prometheus reads it. */
export function pushLabelValues(record: EmissionsData): Record<PushLabel, string> {
  return {
    project_name: record.projectName,
    country_name: text(record.countryName),
    country_iso_code: text(record.countryIsoCode),
    region: text(record.region),
    cloud_provider: record.cloudProvider,
    cloud_region: record.cloudRegion,
    os: record.os,
    codecarbon_version: record.codecarbonVersion,
    cpu_model: text(record.cpuModel),
    cpu_count: String(record.cpuCount),
    gpu_model: record.gpuModel,
    gpu_count: String(record.gpuCount),
    tracking_mode: record.trackingMode,
    ram_total_size: String(record.ramTotalSize),
    cpu_method: record.cpuMethod,
    gpu_method: record.gpuMethod,
    ram_method: record.ramMethod,
    carbon_intensity_source: record.carbonIntensitySource,
    experiment_id: record.experimentId,
    run_id: record.runId,
  };
}

/**
 * The pushgateway job: `<project>_<experiment>` with every character outside
 * `[A-Za-z0-9_-]` replaced by `_`, as CodeCarbon names it.
 */
export function pushJobName(projectName: string, experimentName: string): string {
  return `${projectName}_${experimentName}`.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/**
 * The grouping key under the job. The gateway keeps one metric group per job and grouping
 * key, and a PUT replaces the whole group: without a per-machine key every machine of a fleet
 * would overwrite the others' metrics. `instance` is the label Prometheus itself uses for
 * "which target"; scraped with `honor_labels: true` it stays on every series. The host name
 * (not the run id) keeps one group per machine, so a run that dies without deleting its group
 * is replaced by the next run instead of lingering in the gateway forever.
 */
export function pushGrouping(host: string = hostname()): { instance: string } {
  return { instance: host === '' ? 'unknown-host' : host };
}

function text(value: string | undefined): string {
  return value ?? '';
}
