import type { TrackerConfig } from '../config/resolve-config.js';
import type { IntensityResult } from '../intensity/carbon-intensity.js';
import type { OnceLogger } from '../log/logger.js';
import { recordCsvWriteResult } from '../output/csv-write-status.js';
import type { OutputHandler } from '../output/handler.js';
import type { TaskEmissionsData } from '../records/emissions-data.js';
import type { Component } from '../sensors/sensor.js';
import { dispatch, emitRecords } from '../tracker/dispatch.js';
import type { MeasurementDetails } from '../tracker/measurement-details.js';
import { anyThreadConfig } from '../tracker/output-plan.js';
import { endOutputs, type RunRecords, type TrackedRun } from '../tracker/run.js';
import { type FromWorker, monotonicMs, type SensorPlan } from './sampler-protocol.js';
import { WorkerLink } from './worker-link.js';

let nextTracker = 1;
let nextRun = 1;

/** A tracker the program no longer holds is forgotten by the worker too (its outputs, logger). */
const forgotten = new FinalizationRegistry<{ link: WorkerLink; tracker: number }>(
  ({ link, tracker }) => link.forgetTracker(tracker),
);

interface PlainDetails {
  components: Record<Component, { method: string; description: string }>;
  intensity: IntensityResult;
}

/** What the worker answers to stop and stopSync. */
interface Ending {
  records: RunRecords | undefined;
  details: PlainDetails;
  /** CSV files whose latest write failed, once the final record was written. */
  failedCsvPaths: string[];
}

/**
 * A tracker whose runs the sampling worker hosts. The worker builds the built-in outputs from
 * a copy of the configuration; the outputs that call user code stay here.
 */
export class WorkerTracker {
  private readonly link = WorkerLink.shared();
  private readonly id = nextTracker++;

  constructor(
    config: TrackerConfig,
    env: Record<string, string | undefined>,
    csvLiveUpdate: boolean,
    logger: OnceLogger,
  ) {
    this.link.addTracker(this.id, logger);
    forgotten.register(this, { link: this.link, tracker: this.id });
    this.link.send({
      type: 'tracker',
      tracker: this.id,
      config: anyThreadConfig(config),
      env: { ...env },
      csvLiveUpdate,
    });
  }

  /** Starts a run in the worker now; `handlers` are the user thread's outputs. */
  startRun(options: Omit<WorkerRunOptions, 'link' | 'tracker'>): WorkerRun {
    return new WorkerRun({ ...options, link: this.link, tracker: this.id });
  }
}

interface WorkerRunOptions {
  link: WorkerLink;
  tracker: number;
  runId: string;
  plan: SensorPlan;
  handlers: readonly OutputHandler[];
  logger: OnceLogger;
  /** The CSV file the worker writes, if any: `codecarbon monitor` reports failed writes. */
  csvPath: string | undefined;
}

/** The user thread's side of a run hosted by the sampling worker. */
export class WorkerRun implements TrackedRun {
  readonly details: MeasurementDetails;
  private readonly run = nextRun++;
  private readonly link: WorkerLink;
  /** The user thread's outputs handling the latest flush or final records. */
  private userOutputs: Promise<void> = Promise.resolve();
  /** Methods and intensity as they were at the end of the run. */
  private ended: PlainDetails | undefined;
  private stopped = false;

  constructor(private readonly options: WorkerRunOptions) {
    this.link = options.link;
    this.link.listen(this.run, (message) => this.receive(message));
    this.link.send({
      type: 'start',
      tracker: options.tracker,
      run: this.run,
      runId: options.runId,
      plan: options.plan,
      startMonotonicMs: monotonicMs(),
      startWallMs: Date.now(),
      forwardLiveOut: options.handlers.some((handler) => typeof handler.liveOut === 'function'),
    });
    this.details = this.liveDetails();
  }

  async ready(): Promise<void> {
    await this.link.ask(this.run, { op: 'ready' });
  }

  startTask(name: string | undefined): string | undefined {
    return this.link.call(this.run, { op: 'startTask', name }, this.options.logger) as
      | string
      | undefined;
  }

  stopTask(name: string | undefined): TaskEmissionsData | undefined {
    return this.link.call(this.run, { op: 'stopTask', name }, this.options.logger) as
      | TaskEmissionsData
      | undefined;
  }

  async flush(): Promise<RunRecords | undefined> {
    const records = (await this.link.ask(this.run, { op: 'flush' })) as RunRecords | undefined;
    await this.userOutputs;
    return records;
  }

  async stop(): Promise<RunRecords | undefined> {
    this.stopped = true;
    const ending = (await this.link.ask(this.run, { op: 'stop' })) as Ending | undefined;
    this.end(ending);
    await this.userOutputs;
    await dispatch(this.options.handlers, 'exit', this.options.logger);
    this.link.forget(this.run);
    return ending?.records;
  }

  stopSync(processEnding: boolean): { records: RunRecords | undefined; done: Promise<void> } {
    // The records reach this thread's outputs (receive) before the answer does.
    this.stopped = true;
    const ending = this.link.call(
      this.run,
      { op: 'stopSync', processEnding },
      this.options.logger,
    ) as Ending | undefined;
    this.end(ending);
    this.link.forget(this.run);
    const { handlers, logger } = this.options;
    return {
      records: ending?.records,
      done: endOutputs(handlers, logger, this.userOutputs, processEnding),
    };
  }

  private receive(message: Extract<FromWorker, { type: 'liveOut' | 'records' }>): void {
    const { handlers, logger } = this.options;
    if (message.type === 'liveOut') {
      const { total, delta } = message;
      void dispatch(handlers, 'liveOut', logger, () => [{ ...total }, { ...delta }]);
      return;
    }
    this.userOutputs = emitRecords(handlers, logger, message.records);
  }

  private end(ending: Ending | undefined): void {
    this.ended = ending?.details;
    const { csvPath } = this.options;
    if (ending && csvPath !== undefined) {
      recordCsvWriteResult(csvPath, ending.failedCsvPaths.includes(csvPath));
    }
  }

  /** Methods and intensity as the worker knows them at the moment they are read. */
  private liveDetails(): MeasurementDetails {
    const now = () =>
      this.stopped
        ? this.ended
        : (this.link.call(this.run, { op: 'details' }, this.options.logger) as
            | PlainDetails
            | undefined);
    const entry = (component: Component) => ({
      get method() {
        return now()?.components[component].method ?? 'none';
      },
      get description() {
        return now()?.components[component].description ?? 'not measured';
      },
    });
    return {
      components: { cpu: entry('cpu'), gpu: entry('gpu'), ram: entry('ram') },
      get intensity() {
        return (
          now()?.intensity ?? {
            intensityGPerKwh: Number.NaN,
            source: 'world',
            detail: 'not known: the sampling worker did not answer',
            warnings: [],
          }
        );
      },
    };
  }
}
