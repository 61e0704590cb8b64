import { randomUUID } from 'node:crypto';
import type { TrackerOptions } from '../config/options.js';
import type { ConfigContext, TrackerConfig } from '../config/resolve-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { onlineIntensityFeedFor, validateOnlineConfig } from '../intensity/live/online-settings.js';
import { checkCountryCode } from '../intensity/offline-grid.js';
import { OnceLogger } from '../log/logger.js';
import { csvPath } from '../output/factories/csv.js';
import type { OutputHandler } from '../output/handler.js';
import type { EmissionsData, TaskEmissionsData } from '../records/emissions-data.js';
import { WorkerTracker } from '../sampling/worker-run.js';
import { registerForExit, unregisterForExit } from './exit-hooks.js';
import { acquireOrExplain, MachineLock } from './machine-lock.js';
import type { MeasurementDetails } from './measurement-details.js';
import { selectedOutputMethods } from './output-plan.js';
import { checkOutputs, makeLogger, reportIneffectiveSettings } from './outputs.js';
import { Run, type RunRecords, type TrackedRun } from './run.js';
import { prepareRun, samplingMode, sensorPlan, type TrackerEnvironment } from './setup-run.js';

export type { MeasurementDetails } from './measurement-details.js';

/**
 * Measures the energy of this machine (or of this process tree) between `start()` and
 * `stop()` and turns it into kg CO2eq. Configuration is validated here, in the constructor;
 * after that no sensor or output failure ever throws into your code.
 */
export class EmissionsTracker {
  /** kg CO2eq of the last stopped run. */
  finalEmissions: number | undefined;
  /** Total record of the last stopped run. */
  finalEmissionsData: EmissionsData | undefined;

  protected readonly config: TrackerConfig;
  private readonly logger: OnceLogger;
  /** Outputs run on this thread: all of them, or those that call user code. */
  private readonly handlers: OutputHandler[];
  /** Set when runs are hosted by the sampling worker (with the built-in outputs). */
  private readonly workerTracker: WorkerTracker | undefined;
  private readonly environment: TrackerContext;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private run: TrackedRun | undefined;
  private stopping: Promise<number | undefined> | undefined;
  private currentRunId = randomUUID();
  private lock: MachineLock | undefined;
  private lockRefused = false;

  constructor(options: TrackerOptions = {}, context: TrackerContext = {}) {
    this.config = resolveConfig(this.adjustOptions(options), context);
    this.logger = new OnceLogger(makeLogger(this.config, options.logger));
    const env = context.env ?? process.env;
    const csvLiveUpdate = context.csvLiveUpdate ?? false;
    // Every output's settings are checked here; the outputs are built once nothing can throw.
    const outputs = checkOutputs({ config: this.config, logger: this.logger, env, csvLiveUpdate });
    this.environment = context;
    this.installExitHandlers = options.installExitHandlers ?? true;
    validateOnlineConfig(this.config);
    checkCountryCode(this.config);
    reportIneffectiveSettings(this.config, this.logger);

    this.workerTracker =
      samplingMode(context) === 'worker' ? this.hostInWorker(env, csvLiveUpdate) : undefined;
    const here = this.workerTracker
      ? outputs.userThread
      : [...outputs.anyThread, ...outputs.userThread];
    this.handlers = here.map((build) => build());
  }

  private readonly installExitHandlers: boolean;

  /** The id of the current (or last) run; a new one after a restart. */
  get runId(): string {
    return this.currentRunId;
  }

  /** Absolute path of the CSV file, when the CSV output is on. */
  get csvFilePath(): string | undefined {
    return selectedOutputMethods(this.config).includes('csv') ? csvPath(this.config) : undefined;
  }

  /** Measurement methods and intensity of the current run (undefined before `start()`). */
  get measurementDetails(): MeasurementDetails | undefined {
    return this.run?.details;
  }

  /**
   * Takes the baseline reading and starts periodic readings. Synchronous and fast; never
   * waits on the network. Calling it on a stopped tracker starts a new run (new run id).
   * With `allowMultipleRuns` false (the default) and another live tracker on the machine, it
   * logs why and measures nothing.
   */
  start(): void {
    if (this.state === 'running') {
      this.logger.warn('Already started tracking; start() ignored.');
      return;
    }
    if (!this.takeMachineLock()) return;
    if (this.state === 'stopped') {
      this.currentRunId = randomUUID();
      this.stopping = undefined;
      this.logger.info(`Restarting: new run ${this.currentRunId}.`);
    }

    this.run = this.workerTracker
      ? this.workerTracker.startRun({
          runId: this.currentRunId,
          plan: sensorPlan(this.config, this.environment, this.logger),
          handlers: this.handlers,
          logger: this.logger,
          csvPath: this.csvFilePath,
        })
      : this.localRun();
    this.state = 'running';
    if (this.installExitHandlers) registerForExit(this);
    this.logger.debug(`Tracking started: run ${this.currentRunId}.`);
  }

  /**
   * Resolves once the sensors take readings. Readings run in a worker thread that boots in the
   * background (~50 ms for the first tracker of a process); what happens before its baseline is
   * counted at the power of its first reading. Await this before starting work whose first
   * moments must be measured exactly, e.g. a child process (as `codecarbon monitor` does).
   */
  async ready(): Promise<void> {
    await this.run?.ready();
  }

  /** Writes the run so far to every output; returns the total kg CO2eq so far. */
  async flush(): Promise<number | undefined> {
    if (this.state !== 'running' || !this.run) {
      this.logger.warn('flush() called on a tracker that is not running; nothing written.');
      return undefined;
    }
    const records = await this.run.flush();
    return records?.total.emissions;
  }

  /**
   * Takes the final reading, ends running tasks, writes the final record to every output and
   * returns the run's total kg CO2eq. A second call returns the same result and writes nothing.
   */
  stop(): Promise<number | undefined> {
    if (this.stopping) return this.stopping;
    if (this.state !== 'running') {
      if (!this.lockRefused) {
        this.logger.warn('stop() called on a tracker that was never started; nothing written.');
      }
      return Promise.resolve(undefined);
    }
    const run = this.halt();
    this.stopping = run.stop().then((records) => {
      this.keepFinal(records);
      return this.finalEmissions;
    });
    return this.stopping;
  }

  /**
   * Stops like `stop()` but writes the final record synchronously wherever the outputs allow
   * (the CSV file does); asynchronous outputs finish in the background. Used when the process
   * is ending and by `trackEmissions` around synchronous functions.
   */
  stopSync(reason = 'stopSync()'): number | undefined {
    return this.stopNow(reason, false);
  }

  /** For exit hooks. */
  finalizeSync(reason: string): void {
    this.stopNow(`process ending: ${reason}`, true);
  }

  private stopNow(reason: string, processEnding: boolean): number | undefined {
    if (this.stopping || this.state !== 'running') return this.finalEmissions;
    this.logger.debug(`Stopping synchronously (${reason}).`);
    const { records, done } = this.halt().stopSync(processEnding);
    this.keepFinal(records);
    this.stopping = done.then(() => this.finalEmissions);
    return this.finalEmissions;
  }

  /**
   * Starts a named task (a random name when none is given; a taken name gets a suffix) and
   * returns its name. Its record covers exactly the time until `stopTask`, from readings of
   * every sensor at both ends. Starts the tracker if it is not running.
   */
  startTask(name?: string): string | undefined {
    if (name !== undefined && typeof name !== 'string') {
      this.logger.warn(
        `startTask(): a task name is a string, not ${typeof name}; using a random one.`,
      );
      name = undefined;
    }
    if (this.state !== 'running') this.start();
    return this.state === 'running' ? this.run?.startTask(name) : undefined;
  }

  /** Ends a task (the latest running one when no name is given) and returns its record. */
  stopTask(name?: string): TaskEmissionsData | undefined {
    const record = this.state === 'running' ? this.run?.stopTask(name) : undefined;
    if (!record) {
      this.logger.warn(`stopTask(): no running task${name ? ` named '${name}'` : ''}.`);
    }
    return record;
  }

  /** Runs `block` between `start()` and `stop()`; returns what it returns (or rethrows). */
  async track<T>(block: () => T | Promise<T>): Promise<T> {
    this.start();
    try {
      return await block();
    } finally {
      await this.stop();
    }
  }

  /** `await using tracker = …` stops the tracker at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Lets a subclass fix options before resolution (the offline tracker forces `offline`). */
  protected adjustOptions(options: TrackerOptions): TrackerOptions {
    return options;
  }

  /** Takes the machine-wide lock unless several runs are allowed; false when refused. */
  private takeMachineLock(): boolean {
    if (this.config.allowMultipleRuns) return true;
    this.lock ??= new MachineLock(this.environment.lockDir);
    this.lockRefused = !acquireOrExplain(this.lock, this.logger);
    return !this.lockRefused;
  }

  /** Hands the tracker's built-in outputs to the sampling worker, or says why not. */
  private hostInWorker(
    env: Record<string, string | undefined>,
    csvLiveUpdate: boolean,
  ): WorkerTracker | undefined {
    try {
      return new WorkerTracker(this.config, env, csvLiveUpdate, this.logger);
    } catch (error) {
      this.logger.warn(
        'Measuring on the main thread: the settings could not be sent to the sampling worker ' +
          `(${error instanceof Error ? error.message : String(error)}). Readings and outputs ` +
          'pause while your code blocks the main thread.',
      );
      return undefined;
    }
  }

  /** A run measured on this thread, with every output. */
  private localRun(): Run {
    const prepared = prepareRun(this.config, this.currentRunId, this.logger, this.environment, {
      onlineFeed: onlineIntensityFeedFor,
    });
    return new Run({
      accountant: prepared.accountant,
      facts: prepared.facts,
      intensity: prepared.intensity,
      handlers: this.handlers,
      logger: this.logger,
      measurePowerSecs: this.config.measurePowerSecs,
      apiCallInterval: this.config.apiCallInterval,
      details: prepared.details,
    });
  }

  /** Marks the tracker stopped and lets go of the machine; the run does the final reading. */
  private halt(): TrackedRun {
    this.state = 'stopped';
    unregisterForExit(this);
    this.lock?.release();
    return this.run as TrackedRun;
  }

  private keepFinal(records: RunRecords | undefined): void {
    if (!records) return;
    this.finalEmissions = records.total.emissions;
    this.finalEmissionsData = records.total;
  }
}

/** Where the configuration and hardware are read from; for the CLI and tests. */
export interface TrackerContext extends ConfigContext, TrackerEnvironment {
  /** Directory of the machine lock file (default: the OS temp directory). */
  lockDir?: string;
  /** Keep the run's CSV row up to date at every periodic output (`codecarbon monitor`). */
  csvLiveUpdate?: boolean;
}
