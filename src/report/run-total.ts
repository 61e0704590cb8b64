/**
 * A run as reports show it: its total row, where it was read, and the numbers CodeCarbon's
 * columns do not hold directly — the carbon intensity and where it came from, and which tool
 * wrote the file — each saying how it was obtained.
 */

import { type RowFacts, rowFacts } from './row-facts.js';
import type { RunRows } from './run-collector.js';

export interface RunTotal extends RowFacts {
  /** Short id of the run, stable across reloads: a hash of project, experiment and run id. */
  key: string;
  /** File and 1-based line of the row taken as the total. */
  file: string;
  line: number;
  rowCount: number;
  /** `endMs − duration`: when the run started, on the same wall clock. */
  startMs: number;
  intensity: IntensityInfo;
  /** Which tool wrote the run, e.g. `Python CodeCarbon 3.3.0 (Python 3.11.7)`. */
  writer: string;
}

export interface IntensityInfo {
  /** g CO2eq/kWh; absent when the run used no energy. */
  gPerKwh: number | undefined;
  /** How `gPerKwh` was obtained. */
  method: 'recorded' | 'emissions ÷ energy';
  /** Where the grid intensity came from: recorded by the writer, or read from the location columns. */
  source: string;
  sourceMethod: 'recorded' | 'location columns';
}

export function toRunTotal(run: RunRows): RunTotal {
  const total = rowFacts(run.cells, run.schema, run.total);
  // Every field written out, not spread: objects built one way share one hidden class, which
  // keeps loops over 100,000 runs an order of magnitude faster than spread copies do.
  return {
    projectName: total.projectName,
    experimentId: total.experimentId,
    runId: total.runId,
    timestamp: total.timestamp,
    endMs: total.endMs,
    durationS: total.durationS,
    emissionsKg: total.emissionsKg,
    energyKwh: total.energyKwh,
    cpuEnergyKwh: total.cpuEnergyKwh,
    gpuEnergyKwh: total.gpuEnergyKwh,
    ramEnergyKwh: total.ramEnergyKwh,
    waterL: total.waterL,
    cpuPowerW: total.cpuPowerW,
    gpuPowerW: total.gpuPowerW,
    ramPowerW: total.ramPowerW,
    location: total.location,
    hardware: total.hardware,
    measurement: total.measurement,
    extra: total.extra,
    key: runKeyOf(run.groupKey),
    file: run.file,
    line: run.line,
    rowCount: run.rowCount,
    startMs: total.endMs - total.durationS * 1000,
    intensity: intensityOf(total),
    writer: writerOf(total),
  };
}

/**
 * 16 hex digits: two 32-bit FNV-1a hashes, over the text and over it backwards. Far cheaper
 * than a cryptographic hash on 100,000 runs; the data set resolves the rare collision.
 */
export function runKeyOf(groupKey: string): string {
  let forward = 0x811c9dc5;
  let backward = 0x811c9dc5;
  for (let i = 0; i < groupKey.length; i++) {
    forward = Math.imul(forward ^ groupKey.charCodeAt(i), 0x01000193);
    backward = Math.imul(backward ^ groupKey.charCodeAt(groupKey.length - 1 - i), 0x01000193);
  }
  return hex8(forward) + hex8(backward);
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

function intensityOf(facts: RowFacts): IntensityInfo {
  const recorded = facts.measurement.carbonIntensityGPerKwh;
  const gPerKwh =
    recorded ?? (facts.energyKwh > 0 ? (facts.emissionsKg / facts.energyKwh) * 1000 : undefined);
  const method = recorded === undefined ? 'emissions ÷ energy' : 'recorded';

  const { carbonIntensitySource, carbonIntensityDetail } = facts.measurement;
  if (carbonIntensitySource) {
    const source = [carbonIntensitySource, carbonIntensityDetail].filter(Boolean).join(': ');
    return { gPerKwh, method, source, sourceMethod: 'recorded' };
  }
  return { gPerKwh, method, source: sourceFromLocation(facts), sourceMethod: 'location columns' };
}

/** CodeCarbon picks the intensity from the most precise location it has (spec 7.2). */
function sourceFromLocation({ location }: RowFacts): string {
  const country = location.countryName ?? location.countryIsoCode;
  if (location.onCloud === 'Y' && location.cloudProvider) {
    return `cloud region ${location.cloudProvider} ${location.cloudRegion ?? ''}`.trim();
  }
  if (location.region) return `grid region ${location.region}${country ? `, ${country}` : ''}`;
  if (country) return `country grid, ${country}`;
  return 'unknown: no location recorded (world average or a forced value)';
}

function writerOf({ hardware }: RowFacts): string {
  const { runtime, codecarbonVersion } = hardware;
  if (runtime && /^(node|bun|deno)-/.test(runtime)) {
    return `codecarbon for Node.js ${codecarbonVersion ?? ''} (${runtime})`.replace('  ', ' ');
  }
  if (runtime && /^\d+\.\d+/.test(runtime)) {
    return `Python CodeCarbon ${codecarbonVersion ?? ''} (Python ${runtime})`.replace('  ', ' ');
  }
  return codecarbonVersion ? `CodeCarbon ${codecarbonVersion}` : 'unknown';
}
