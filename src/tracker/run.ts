import type { IntensityFeed } from '../intensity/intensity-feed.js';
import type { OnceLogger } from '../log/logger.js';
import type { OutputHandler } from '../output/handler.js';
import type { EmissionsData, TaskEmissionsData } from '../records/emissions-data.js';
import type { Accountant, Snapshot } from './accountant.js';
import { dispatch, emitRecords } from './dispatch.js';
import type { MeasurementDetails } from './measurement-details.js';
import { buildRecord, type RunFacts } from './record-builder.js';
import { TaskBook } from './task-book.js';

/** The records of one output: the run so far, the part since the previous output, the tasks. */
export interface RunRecords {
  total: EmissionsData;
  delta: EmissionsData;
  /** Every task finished so far, in the order they started. */
  tasks: TaskEmissionsData[];
}

/**
 * What a tracker drives between `start()` and `stop()`: a run measured on this thread
 * (`Run`) or in the sampling worker (`WorkerRun`). None of these methods throws.
 */
export interface TrackedRun {
  readonly details: MeasurementDetails;
  /** Resolves once the sensors take readings. */
  ready(): Promise<void>;
  /** Starts a task at a reading taken now; returns its unique name. */
  startTask(name: string | undefined): string | undefined;
  /** Ends a running task (the latest one when no name is given) at a reading taken now. */
  stopTask(name: string | undefined): TaskEmissionsData | undefined;
  /** Reads now, then hands the records to every output once lookups have settled. */
  flush(): Promise<RunRecords | undefined>;
  /** Takes the final reading now; resolves once every output has the final records. */
  stop(): Promise<RunRecords | undefined>;
  /**
   * Takes the final reading and makes the final records now, without waiting for lookups;
   * outputs that can write synchronously (the CSV file) have written when this returns.
   * `processEnding`: the process exits next (outputs say what they could not send).
   */
  stopSync(processEnding: boolean): { records: RunRecords | undefined; done: Promise<void> };
}

export interface RunOptions {
  accountant: Accountant;
  facts: RunFacts;
  intensity: IntensityFeed;
  handlers: readonly OutputHandler[];
  logger: OnceLogger;
  measurePowerSecs: number;
  /** Readings between two `liveOut` calls; -1 for none. */
  apiCallInterval: number;
  details: MeasurementDetails;
  ready?: () => Promise<void>;
  /** When the run began, if earlier than now (a run hosted by the sampling worker). */
  startedAt?: { timeS: number; wallMs: number };
  /** Told of every periodic output, just before this run's own outputs are called. */
  onLiveOut?: (total: EmissionsData, delta: EmissionsData) => void;
  /** Told of the records of every flush and of the stop, once this run's outputs were called. */
  onRecords?: (records: RunRecords) => void;
}

/**
 * One measured run: a baseline, a reading every `measurePowerSecs` on an unref'd timer (it
 * never keeps the process alive), periodic `liveOut`, and records on demand. The total record
 * spans start → now; the delta spans the previous output → now.
 */
export class Run implements TrackedRun {
  private readonly startSnapshot: Snapshot;
  private lastOutput: Snapshot;
  private readingsSinceOutput = 0;
  private readonly tasks = new TaskBook();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RunOptions) {
    this.startSnapshot = options.accountant.start(options.startedAt);
    this.lastOutput = this.startSnapshot;
    this.timer = setInterval(() => this.tick(), options.measurePowerSecs * 1000);
    this.timer.unref();
  }

  get details(): MeasurementDetails {
    return this.options.details;
  }

  async ready(): Promise<void> {
    await this.options.ready?.();
  }

  startTask(name: string | undefined): string {
    this.measure();
    return this.tasks.begin(name, this.options.accountant.settled());
  }

  stopTask(name: string | undefined): TaskEmissionsData | undefined {
    const target = name ?? this.tasks.latestActive();
    if (target === undefined || !this.tasks.isActive(target)) return undefined;
    this.measure();
    return this.endTask(target);
  }

  async flush(): Promise<RunRecords | undefined> {
    this.measure();
    await this.options.intensity.settled();
    const records = this.records();
    const outputs = emitRecords(this.options.handlers, this.options.logger, records);
    this.options.onRecords?.(records);
    await outputs;
    return records;
  }

  stop(): Promise<RunRecords | undefined> {
    this.halt();
    // Wait (bounded) for background location lookups so the final record is complete.
    return this.options.intensity.settled().then(() => {
      const { records, done } = this.finish();
      return done.then(() => records);
    });
  }

  stopSync(processEnding = false): { records: RunRecords | undefined; done: Promise<void> } {
    this.halt();
    return this.finish(processEnding);
  }

  /** Ends the reading schedule, takes the final reading and ends running tasks. */
  private halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      this.measure();
    } catch (error) {
      this.options.logger.error(
        `The final reading failed (${describe(error)}); using the last one.`,
      );
    }
    for (const name of this.tasks.activeNames()) this.endTask(name);
  }

  /** The final records to every output, then `exit`; releases the run's resources. */
  private finish(processEnding = false): { records: RunRecords | undefined; done: Promise<void> } {
    const { handlers, logger } = this.options;
    try {
      const records = this.records();
      // Synchronous outputs (the CSV file) have written before anyone else hears of the
      // records: a user's handler that ends the process cannot cost the row.
      const outputs = emitRecords(handlers, logger, records);
      this.options.onRecords?.(records);
      const done = endOutputs(handlers, logger, outputs, processEnding);
      return { records, done };
    } catch (error) {
      logger.error(`The final record could not be made (${describe(error)}).`);
      return { records: undefined, done: Promise.resolve() };
    } finally {
      this.options.intensity.close();
      this.options.accountant.close();
    }
  }

  /** Reads every sensor now. */
  private measure(): Snapshot {
    return this.options.accountant.sample();
  }

  /** Records as of the latest reading; the delta base moves to it. */
  private records(): RunRecords {
    const snapshot = this.options.accountant.settled();
    const place = this.options.intensity.current();
    const total = buildRecord(this.startSnapshot, snapshot, this.options.facts, place);
    const delta = buildRecord(this.lastOutput, snapshot, this.options.facts, place);
    this.lastOutput = snapshot;
    return { total, delta, tasks: this.tasks.finished() };
  }

  private endTask(name: string): TaskEmissionsData | undefined {
    const end = this.options.accountant.settled();
    return this.tasks.end(name, end, this.options.facts, this.options.intensity.current());
  }

  private tick(): void {
    try {
      this.options.accountant.sample();
      this.readingsSinceOutput += 1;
      const interval = this.options.apiCallInterval;
      if (interval === -1 || this.readingsSinceOutput < interval) return;

      this.readingsSinceOutput = 0;
      void this.options.intensity.settled().then(() => {
        if (!this.timer) return; // stopped meanwhile: the final output covers it
        const { total, delta } = this.records();
        this.options.onLiveOut?.(total, delta);
        return dispatch(this.options.handlers, 'liveOut', this.options.logger, () => [
          { ...total },
          { ...delta },
        ]);
      });
    } catch (error) {
      this.options.logger.once(
        'tick-failed',
        'error',
        `A periodic reading failed (${describe(error)}); ` +
          'tracking continues and the next reading covers the gap.',
      );
    }
  }
}

/**
 * `exit` to every output once `outputs` settled; when the process ends next there is no later
 * turn of the event loop, so `exit` is called now (synchronous handlers still get it).
 */
export function endOutputs(
  handlers: readonly OutputHandler[],
  logger: OnceLogger,
  outputs: Promise<void>,
  processEnding: boolean,
): Promise<void> {
  if (!processEnding) return outputs.then(() => dispatch(handlers, 'exit', logger));
  return Promise.all([outputs, dispatch(handlers, 'exit', logger)]).then(() => undefined);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
