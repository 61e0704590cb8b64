import type { EmissionsData } from '../../records/emissions-data.js';
import type { BoampsContext } from './boamps-context.js';
import { mergeEnvironment, mergeHeader, mergeInfrastructure } from './boamps-merge.js';
import { withoutEmpty } from './without-empty.js';

export const BOAMPS_FORMAT_VERSION = '0.1';
export const BOAMPS_SPECIFICATION_URI = 'https://github.com/Boavizta/BoAmps/tree/main/model';

/** Facts the record does not carry. */
export interface BoampsMachine {
  /** Physical CPU packages, BoAmps' "number of items" of the CPU component. */
  cpuSockets: number;
}

/**
 * A BoAmps report (spec 9.7) of a total record, merged with the user's context. Keys follow
 * the BoAmps schemas; values that are unknown are left out rather than written as null.
 * Departures from Python CodeCarbon, each to say more or to say it right:
 * - `software` names the language (`javascript`) and the runtime with its version
 *   (`node-20.11.1`), the record's `python_version` column;
 * - `measurementDateTime` is when the measurement began, as the schema defines it (Python
 *   writes the end);
 * - `cpuTrackingMode` / `gpuTrackingMode` carry the measurement methods;
 * - the CPU's `nbComponent` is the number of CPU packages, not logical CPUs / 2;
 * - `environment.powerSourceCarbonIntensity` is the grid intensity used, g CO2eq/kWh.
 */
export function buildBoampsReport(
  record: EmissionsData,
  context: BoampsContext,
  machine: BoampsMachine,
): Record<string, unknown> {
  const reportDatetime = record.timestamp.replace('T', ' ');
  const report = {
    header: mergeHeader(
      {
        formatVersion: BOAMPS_FORMAT_VERSION,
        formatVersionSpecificationUri: BOAMPS_SPECIFICATION_URI,
        reportId: record.runId,
        reportDatetime,
      },
      context.header,
    ),
    task: context.task,
    measures: [measure(record)],
    system: { os: record.os },
    software: { language: 'javascript', version: record.pythonVersion },
    infrastructure: mergeInfrastructure(infrastructure(record, machine), context.infrastructure),
    environment: mergeEnvironment(environment(record), context.environment),
    quality: context.quality,
  };
  return withoutEmpty(report) as Record<string, unknown>;
}

function measure(record: EmissionsData): Record<string, unknown> {
  const hasGpu = record.gpuCount > 0;
  return {
    measurementMethod: 'codecarbon',
    version: record.codecarbonVersion,
    cpuTrackingMode: record.cpuMethod,
    gpuTrackingMode: hasGpu ? record.gpuMethod : undefined,
    averageUtilizationCpu: utilisation(record.cpuUtilizationPercent),
    averageUtilizationGpu: hasGpu ? utilisation(record.gpuUtilizationPercent) : undefined,
    powerConsumption: record.energyConsumed,
    measurementDuration: record.duration,
    measurementDateTime: startOf(record.timestamp, record.duration),
  };
}

/** A fraction in [0, 1] with 4 decimals; undefined when nothing was used or known. */
function utilisation(percent: number): number | undefined {
  if (!(percent > 0)) return undefined;
  return Math.min(1, Math.round(percent * 100) / 10_000);
}

function infrastructure(record: EmissionsData, machine: BoampsMachine): Record<string, unknown> {
  const onCloud = record.onCloud === 'Y' || record.cloudProvider !== '';
  const components: Record<string, unknown>[] = [
    {
      componentType: 'cpu',
      componentName: record.cpuModel,
      nbComponent: Math.max(1, machine.cpuSockets),
    },
  ];
  if (record.gpuCount > 0) {
    components.push({
      componentType: 'gpu',
      componentName: record.gpuModel,
      nbComponent: record.gpuCount,
    });
  }
  components.push({ componentType: 'ram', nbComponent: 1, memorySize: record.ramTotalSize });
  return {
    infraType: onCloud ? 'publicCloud' : 'onPremise',
    cloudProvider: onCloud ? record.cloudProvider : undefined,
    components,
  };
}

function environment(record: EmissionsData): Record<string, unknown> {
  return {
    country: record.countryName,
    latitude: record.latitude,
    longitude: record.longitude,
    powerSourceCarbonIntensity: record.carbonIntensity,
  };
}

/** `YYYY-MM-DD HH:MM:SS` of `end` (local, as records are) minus `durationS`. */
export function startOf(end: string, durationS: number): string {
  const [date = '', time = ''] = end.split('T');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  const start = new Date(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
  start.setTime(start.getTime() - Math.round(durationS * 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())} ` +
    `${pad(start.getHours())}:${pad(start.getMinutes())}:${pad(start.getSeconds())}`
  );
}
