import type { SensorConfig } from './select-sensors.js';
import type { EnergySensor } from './sensor.js';

/** The GPUs a run tracks and how. */
export interface GpuSelection {
  /** One sensor per tracked GPU (or one for all), component `gpu`. */
  sensors: EnergySensor[];
  /** `none` when no GPU is tracked. */
  method: string;
  /** Tracked GPUs. */
  count: number;
  /** `2 x NVIDIA H200`, groups separated by `, `; empty without GPU. */
  model: string;
}

/** GPU measurement comes in a later version: no GPU is tracked yet. */
export function selectGpus(_config: SensorConfig): GpuSelection {
  return { sensors: [], method: 'none', count: 0, model: '' };
}
