import type { EmissionsData, TaskEmissionsData } from '../records/emissions-data.js';

/**
 * An output: any object with some of these methods, sync or async. The tracker calls `out`
 * on flush and stop, `liveOut` every `apiCallInterval` readings, `taskOut` with task records,
 * and `exit` once at stop. `total` covers the run so far; `delta` covers the time since the
 * previous output. Records are copies: changing them affects no other handler.
 */
export interface OutputHandler {
  out?(total: EmissionsData, delta: EmissionsData): void | Promise<void>;
  liveOut?(total: EmissionsData, delta: EmissionsData): void | Promise<void>;
  taskOut?(tasks: TaskEmissionsData[]): void | Promise<void>;
  exit?(): void | Promise<void>;
}
