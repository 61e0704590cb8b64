import { randomUUID } from 'node:crypto';
import type { TrackerOptions } from '../config/options.js';
import type { ConfigContext, TrackerConfig } from '../config/resolve-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { validateOnlineConfig } from '../intensity/live/online-settings.js';
import { checkCountryCode } from '../intensity/offline-grid.js';
import { OnceLogger } from '../log/logger.js';
import { csvPath } from '../output/factories/csv.js';
import type { OutputHandler } from '../output/handler.js';
import type { EmissionsData, TaskEmissionsData } from '../records/emissions-data.js';
import { dispatch } from './dispatch.js';
import { registerForExit, unregisterForExit } from './exit-hooks.js';
import { acquireOrExplain, MachineLock } from './machine-lock.js';
import { componentDetails, type MeasurementDetails } from './measurement-details.js';
import {
  buildOutputs,
  makeLogger,
  reportIneffectiveSettings,
  selectedOutputMethods,
} from './outputs.js';
import { Run } from './run.js';
import { prepareRun, type TrackerEnvironment } from './setup-run.js';

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
  private readonly handlers: OutputHandler[];
  private readonly environment: TrackerContext;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private run: Run | undefined;
  private details: MeasurementDetails | undefined;
  private stopping: Promise<number | undefined> | undefined;
  private currentRunId = randomUUID();
  private lock: MachineLock | undefined;
  private lockRefused = false;
  private sensorsReady: (() => Promise<void>) | undefined;

  constructor(options: TrackerOptions = {}, context: TrackerContext = {}) {
    this.config = resolveConfig(this.adjustOptions(options), context);
    this.logger = new OnceLogger(makeLogger(this.config, options.logger));
    this.handlers = buildOutputs({
      config: this.config,
      logger: this.logger,
      env: context.env ?? process.env,
      csvLiveUpdate: context.csvLiveUpdate ?? false,
    });
    this.environment = context;
    this.installExitHandlers = options.installExitHandlers ?? true;
    validateOnlineConfig(this.config);
    checkCountryCode(this.config);
    reportIneffectiveSettings(this.config, this.logger);
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
    return this.details;
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

    const prepared = prepareRun(this.config, this.currentRunId, this.logger, this.environment);
    this.sensorsReady = prepared.sensorSet.ready;
    this.details = {
      components: componentDetails(prepared.sensorSet.sensors),
      get intensity() {
        return prepared.intensity.current();
      },
    };
    this.run = new Run({
      accountant: prepared.accountant,
      facts: prepared.facts,
      intensity: prepared.intensity,
      handlers: this.handlers,
      logger: this.logger,
      measurePowerSecs: this.config.measurePowerSecs,
      apiCallInterval: this.config.apiCallInterval,
    });
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
    await this.sensorsReady?.();
  }

  /** Writes the run so far to every output; returns the total kg CO2eq so far. */
  async flush(): Promise<number | undefined> {
    if (this.state !== 'running' || !this.run) {
      this.logger.warn('flush() called on a tracker that is not running; nothing written.');
      return undefined;
    }
    const run = this.run;
    run.measure();
    await run.settled();
    const { total, delta } = run.records();
    await this.emit(run, total, delta);
    return total.emissions;
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
    // Wait (bounded) for background location lookups so the final record is complete.
    this.stopping = run
      .settled()
      .then(() => this.emitFinal(run))
      .then(() => this.finalEmissions);
    return this.stopping;
  }

  /**
   * Stops like `stop()` but writes the final record synchronously wherever the outputs allow
   * (the CSV file does); asynchronous outputs finish in the background. Used when the process
   * is ending and by `trackEmissions` around synchronous functions.
   */
  stopSync(reason = 'stopSync()'): number | undefined {
    if (this.stopping || this.state !== 'running') return this.finalEmissions;
    this.logger.debug(`Stopping synchronously (${reason}).`);
    const run = this.halt();
    this.stopping = this.emitFinal(run).then(() => this.finalEmissions);
    return this.finalEmissions;
  }

  /** For exit hooks. */
  finalizeSync(reason: string): void {
    this.stopSync(`process ending: ${reason}`);
  }

  /**
   * Starts a named task (a random name when none is given; a taken name gets a suffix) and
   * returns its name. Its record covers exactly the time until `stopTask`, from readings of
   * every sensor at both ends. Starts the tracker if it is not running.
   */
  startTask(name?: string): string | undefined {
    if (this.state !== 'running') this.start();
    if (this.state !== 'running' || !this.run) return undefined;
    return this.run.startTask(name);
  }

  /** Ends a task (the latest running one when no name is given) and returns its record. */
  stopTask(name?: string): TaskEmissionsData | undefined {
    const run = this.state === 'running' ? this.run : undefined;
    const target = name ?? run?.taskBook.latestActive();
    const record = run && target !== undefined ? run.stopTask(target) : undefined;
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

  /** Ends the run's schedule and takes the final reading, synchronously. */
  private halt(): Run {
    const run = this.run as Run;
    this.state = 'stopped';
    unregisterForExit(this);
    run.halt();
    this.lock?.release();
    try {
      run.measure();
    } catch (error) {
      this.logger.error(`The final reading failed (${describe(error)}); using the last one.`);
    }
    run.stopAllTasks();
    return run;
  }

  /** Builds the final record and hands it to every output; synchronous up to the first await. */
  private emitFinal(run: Run): Promise<void> {
    try {
      const { total, delta } = run.records();
      this.finalEmissions = total.emissions;
      this.finalEmissionsData = total;
      return this.emit(run, total, delta).then(() => dispatch(this.handlers, 'exit', this.logger));
    } catch (error) {
      this.logger.error(`The final record could not be made (${describe(error)}).`);
      return Promise.resolve();
    } finally {
      run.close();
    }
  }

  /** `out` to every handler, then `taskOut` with every finished task when there are tasks. */
  private emit(run: Run, total: EmissionsData, delta: EmissionsData): Promise<void> {
    const outs = dispatch(this.handlers, 'out', this.logger, () => [{ ...total }, { ...delta }]);
    const tasks = run.taskBook.finished();
    if (tasks.length === 0) return outs;
    const taskOuts = dispatch(this.handlers, 'taskOut', this.logger, () => [
      tasks.map((task) => ({ ...task })),
    ]);
    return Promise.all([outs, taskOuts]).then(() => undefined);
  }
}

/** Where the configuration and hardware are read from; for the CLI and tests. */
export interface TrackerContext extends ConfigContext, TrackerEnvironment {
  /** Directory of the machine lock file (default: the OS temp directory). */
  lockDir?: string;
  /** Keep the run's CSV row up to date at every periodic output (`codecarbon monitor`). */
  csvLiveUpdate?: boolean;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
