import type { IntensityFeed } from '../intensity/intensity-feed.js';
import type { OnceLogger } from '../log/logger.js';
import type { OutputHandler } from '../output/handler.js';
import type { EmissionsData, TaskEmissionsData } from '../records/emissions-data.js';
import type { Accountant, Snapshot } from './accountant.js';
import { dispatch } from './dispatch.js';
import { buildRecord, type RunFacts } from './record-builder.js';
import { TaskBook } from './task-book.js';

export interface RunOptions {
  accountant: Accountant;
  facts: RunFacts;
  intensity: IntensityFeed;
  handlers: readonly OutputHandler[];
  logger: OnceLogger;
  measurePowerSecs: number;
  /** Readings between two `liveOut` calls; -1 for none. */
  apiCallInterval: number;
}

/**
 * One measured run: a baseline, a reading every `measurePowerSecs` on an unref'd timer (it
 * never keeps the process alive), periodic `liveOut`, and records on demand. The total record
 * spans start → now; the delta spans the previous output → now.
 */
export class Run {
  private readonly startSnapshot: Snapshot;
  private lastOutput: Snapshot;
  private readingsSinceOutput = 0;
  private readonly tasks = new TaskBook();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RunOptions) {
    this.startSnapshot = options.accountant.start();
    this.lastOutput = this.startSnapshot;
    this.timer = setInterval(() => this.tick(), options.measurePowerSecs * 1000);
    this.timer.unref();
  }

  get facts(): RunFacts {
    return this.options.facts;
  }

  /** Reads every sensor now. */
  measure(): Snapshot {
    return this.options.accountant.sample();
  }

  /** Total and delta records as of the latest reading; the delta base moves to it. */
  records(): { total: EmissionsData; delta: EmissionsData } {
    const snapshot = this.options.accountant.settled();
    const place = this.options.intensity.current();
    const total = buildRecord(this.startSnapshot, snapshot, this.options.facts, place);
    const delta = buildRecord(this.lastOutput, snapshot, this.options.facts, place);
    this.lastOutput = snapshot;
    return { total, delta };
  }

  /** Starts a task whose baseline is a reading of every sensor now; returns its name. */
  startTask(name: string | undefined): string {
    this.measure();
    return this.tasks.begin(name, this.options.accountant.settled());
  }

  /** Ends a running task with a reading of every sensor now. */
  stopTask(name: string): TaskEmissionsData | undefined {
    if (!this.tasks.isActive(name)) return undefined;
    this.measure();
    return this.endTask(name);
  }

  /** Ends every running task at the latest reading (the run is stopping). */
  stopAllTasks(): void {
    for (const name of this.tasks.activeNames()) this.endTask(name);
  }

  get taskBook(): TaskBook {
    return this.tasks;
  }

  /** Waits (bounded) for background intensity lookups, for records that need them. */
  settled(): Promise<void> {
    return this.options.intensity.settled();
  }

  /** Stops the reading schedule; the run can still produce records. */
  halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Releases background lookups once the final record is made. */
  close(): void {
    this.options.intensity.close();
    this.options.accountant.close();
  }

  private endTask(name: string): TaskEmissionsData | undefined {
    const end = this.options.accountant.settled();
    return this.tasks.end(name, end, this.options.facts, this.options.intensity.current());
  }

  private tick(): void {
    try {
      this.options.accountant.sample({ fresh: false });
      this.readingsSinceOutput += 1;
      const interval = this.options.apiCallInterval;
      if (interval === -1 || this.readingsSinceOutput < interval) return;

      this.readingsSinceOutput = 0;
      void this.settled().then(() => {
        if (!this.timer) return; // stopped meanwhile: the final output covers it
        const { total, delta } = this.records();
        return dispatch(this.options.handlers, 'liveOut', this.options.logger, () => [
          { ...total },
          { ...delta },
        ]);
      });
    } catch (error) {
      this.options.logger.once(
        'tick-failed',
        'error',
        `A periodic reading failed (${error instanceof Error ? error.message : String(error)}); ` +
          'tracking continues and the next reading covers the gap.',
      );
    }
  }
}
