import type { IntensityNow } from '../intensity/intensity-feed.js';
import type { EmissionsData } from '../records/emissions-data.js';
import type { Component } from '../sensors/sensor.js';
import { JOULES_PER_KWH, type Snapshot } from './accountant.js';

/** Everything in a record that does not come from the two snapshots. */
export interface RunFacts {
  projectName: string;
  runId: string;
  experimentId: string;
  os: string;
  runtimeVersion: string;
  version: string;
  cpuCount: number;
  cpuModel: string | undefined;
  gpuCount: number;
  gpuModel: string;
  ramTotalSizeGiB: number;
  trackingMode: 'machine' | 'process';
  pue: number;
  wue: number;
  methods: Record<Component, string>;
}

/** The record of the interval between two snapshots of the same run, at `place`. */
export function buildRecord(
  from: Snapshot,
  to: Snapshot,
  facts: RunFacts,
  place: IntensityNow,
): EmissionsData {
  const durationS = Math.max(0, to.timeS - from.timeS);
  const kwh = (component: Component) =>
    (to.energyJ[component] - from.energyJ[component]) / JOULES_PER_KWH;
  const meanPowerW = (component: Component) =>
    durationS > 0 ? (to.rawEnergyJ[component] - from.rawEnergyJ[component]) / durationS : 0;
  const mean = (a: number, b: number) => (durationS > 0 ? (b - a) / durationS : 0);

  const emissions = to.emissionsKg - from.emissionsKg;
  const cpuEnergy = kwh('cpu');
  const gpuEnergy = kwh('gpu');
  const ramEnergy = kwh('ram');

  return {
    timestamp: localTimestamp(to.wallMs),
    projectName: facts.projectName,
    runId: facts.runId,
    experimentId: facts.experimentId,
    duration: durationS,
    emissions,
    emissionsRate: durationS > 0 ? emissions / durationS : 0,
    cpuPower: meanPowerW('cpu'),
    gpuPower: meanPowerW('gpu'),
    ramPower: meanPowerW('ram'),
    cpuEnergy,
    gpuEnergy,
    ramEnergy,
    energyConsumed: cpuEnergy + gpuEnergy + ramEnergy,
    waterConsumed: to.waterL - from.waterL,
    countryName: place.countryName,
    countryIsoCode: place.countryIsoCode,
    region: place.region,
    cloudProvider: place.cloudProvider ?? '',
    cloudRegion: place.cloudRegion ?? '',
    os: facts.os,
    pythonVersion: facts.runtimeVersion,
    codecarbonVersion: facts.version,
    cpuCount: facts.cpuCount,
    cpuModel: facts.cpuModel,
    gpuCount: facts.gpuCount,
    gpuModel: facts.gpuModel,
    longitude: place.longitude,
    latitude: place.latitude,
    ramTotalSize: facts.ramTotalSizeGiB,
    trackingMode: facts.trackingMode,
    cpuUtilizationPercent: cpuUtilisationPercent(from, to),
    gpuUtilizationPercent: mean(from.utilisation.gpuPercentS, to.utilisation.gpuPercentS),
    ramUtilizationPercent: mean(from.utilisation.ramPercentS, to.utilisation.ramPercentS),
    ramUsedGb: mean(from.utilisation.ramUsedGiBS, to.utilisation.ramUsedGiBS),
    onCloud: place.cloudProvider || place.cloudRegion ? 'Y' : 'N',
    pue: facts.pue,
    wue: facts.wue,
    cpuMethod: facts.methods.cpu,
    gpuMethod: facts.methods.gpu,
    ramMethod: facts.methods.ram,
    carbonIntensity: to.intensityGPerKwh,
    carbonIntensitySource: place.source,
    carbonIntensityDetail: place.detail,
  };
}

function cpuUtilisationPercent(from: Snapshot, to: Snapshot): number {
  const { cpuBusyS: busyA, cpuTotalS: totalA } = from.utilisation;
  const { cpuBusyS: busyB, cpuTotalS: totalB } = to.utilisation;
  if (busyA === undefined || totalA === undefined || busyB === undefined || totalB === undefined) {
    return 0;
  }
  const total = totalB - totalA;
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, ((busyB - busyA) / total) * 100));
}

/** Local time as CodeCarbon writes it: `YYYY-MM-DDTHH:MM:SS`, no zone, no fraction. */
export function localTimestamp(wallMs: number): string {
  const d = new Date(wallMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}
