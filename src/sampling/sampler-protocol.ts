/**
 * What the user's thread and the sampling worker say to each other. The worker hosts the runs
 * of every worker-sampled tracker in the process: sensors, bookkeeping and the built-in
 * outputs; the user's thread starts, stops and asks, and runs the outputs that call user code.
 */
import type { TrackerConfig } from '../config/resolve-config.js';
import type { EmissionsData } from '../records/emissions-data.js';
import type { SensorConfig } from '../sensors/select-sensors.js';
import type { RunRecords } from '../tracker/run.js';

/** Serializable sensor settings of a run (the logger stays on the user's thread). */
export type SensorPlan = Omit<SensorConfig, 'logger'>;

export type ToWorker =
  | {
      type: 'tracker';
      tracker: number;
      /** Without what only the user's thread can hold (see `anyThreadConfig`). */
      config: TrackerConfig;
      env: Record<string, string | undefined>;
      csvLiveUpdate: boolean;
    }
  | {
      type: 'start';
      tracker: number;
      run: number;
      runId: string;
      plan: SensorPlan;
      /** When `start()` was called on the user's thread (`monotonicMs`, `Date.now()`). */
      startMonotonicMs: number;
      startWallMs: number;
      /** The user's thread has outputs for periodic records. */
      forwardLiveOut: boolean;
    }
  | { type: 'call'; id: number; run: number; call: Call }
  | { type: 'forget'; tracker: number };

/** Requests about a run; each gets one `reply` with the same id. */
export type Call =
  | { op: 'ready' }
  | { op: 'details' }
  | { op: 'startTask'; name: string | undefined }
  | { op: 'stopTask'; name: string | undefined }
  | { op: 'flush' }
  | { op: 'stop' }
  | { op: 'stopSync'; processEnding: boolean };

export type FromWorker =
  | { type: 'log'; tracker: number; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'liveOut'; run: number; total: EmissionsData; delta: EmissionsData }
  /** Records of a flush or stop, sent before the worker's own outputs have finished. */
  | { type: 'records'; run: number; records: RunRecords }
  | { type: 'reply'; id: number; value: unknown };

/** Int32 slot the worker bumps after every message it posts, for synchronous waits. */
export const POSTED = 0;

/**
 * Milliseconds on the system's monotonic clock, the same in every thread of the process (each
 * thread's `performance.timeOrigin` is taken separately and may differ by milliseconds).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
