/**
 * What the main thread and the sampling worker share: the plan of a run's sensors, the
 * messages, and the layout of the shared memory a run's readings are published in.
 */
import type { SensorConfig } from '../sensors/select-sensors.js';
import type { Component } from '../sensors/sensor.js';

/** Serializable sensor settings of a run (the logger stays on the main thread). */
export type SensorPlan = Omit<SensorConfig, 'logger'>;

export type ToWorker =
  | {
      type: 'init';
      run: number;
      plan: SensorPlan;
      intervalS: number;
      startEpochMs: number;
      shared: SharedArrayBuffer;
    }
  | { type: 'read'; run: number; id: number }
  | { type: 'stop'; run: number };

export type FromWorker = {
  type: 'log';
  key: string;
  level: 'info' | 'warn' | 'error';
  message: string;
};

/** What the worker publishes once a run's sensors exist (as JSON in the shared memory). */
export interface SensorFacts {
  methods: Record<Component, string>;
  descriptions: Record<Component, string>;
  gpu: { count: number; model: string };
}

export const COMPONENTS: readonly Component[] = ['cpu', 'gpu', 'ram'];

/** Int32 control words. */
export const CONTROL = {
  /** Id of the last read request answered. */
  answered: 0,
  /** 1 once the sensors exist and SensorFacts were written; -1 if building them failed. */
  ready: 1,
  /** Byte length of the SensorFacts JSON. */
  factsLength: 2,
  /** Readings taken by the worker's own schedule and on request. */
  readings: 3,
} as const;
const CONTROL_WORDS = 8;

/** Float64 values of the latest reading: time, then energy J and power W per component. */
export const VALUE = {
  epochMs: 0,
  energyJ: { cpu: 1, gpu: 2, ram: 3 },
  powerW: { cpu: 4, gpu: 5, ram: 6 },
  gpuPercent: 7,
} as const;
const VALUE_SLOTS = 8;
const FACTS_BYTES = 16 * 1024;

export interface SharedViews {
  control: Int32Array;
  values: Float64Array;
  facts: Uint8Array;
}

export function allocateShared(): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_WORDS * 4 + VALUE_SLOTS * 8 + FACTS_BYTES);
}

export function viewsOf(shared: SharedArrayBuffer): SharedViews {
  return {
    control: new Int32Array(shared, 0, CONTROL_WORDS),
    values: new Float64Array(shared, CONTROL_WORDS * 4, VALUE_SLOTS),
    facts: new Uint8Array(shared, CONTROL_WORDS * 4 + VALUE_SLOTS * 8, FACTS_BYTES),
  };
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across threads. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
