/**
 * The sampling worker: it hosts the runs of every worker-sampled tracker in the process —
 * sensors, bookkeeping, records and the built-in outputs — so readings, counter servicing and
 * periodic outputs keep their schedule while user code blocks the user's thread. That thread
 * starts and stops runs, asks for task and final records, and runs the outputs that call user
 * code with the records this worker sends it.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import type { TrackerConfig } from '../config/resolve-config.js';
import { type Logger, OnceLogger } from '../log/logger.js';
import { failedCsvPaths } from '../output/csv-write-status.js';
import type { OutputHandler } from '../output/handler.js';
import { announceProcessEnding } from '../output/process-ending.js';
import { outputKinds, planOutputs } from '../tracker/output-plan.js';
import { Run, type RunRecords } from '../tracker/run.js';
import { detectHardwareCached, prepareRun } from '../tracker/setup-run.js';
import { loadFactories } from './load-outputs.js';
import { SampledSensors } from './sampled-sensors.js';
import { type Call, type FromWorker, POSTED, type ToWorker } from './sampler-protocol.js';

interface HostedTracker {
  config: TrackerConfig;
  env: Record<string, string | undefined>;
  csvLiveUpdate: boolean;
  logger: OnceLogger;
  /** Built at the tracker's first run, kept for its later runs (as on the user's thread). */
  handlers: Promise<OutputHandler[]> | undefined;
}

const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const posted = new Int32Array(signal);
const trackers = new Map<number, HostedTracker>();
const runs = new Map<number, { run: Run; logger: OnceLogger }>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'tracker') host(message);
  else if (message.type === 'start') start(message);
  else if (message.type === 'call')
    whenStarted(message.run, () => answer(message.id, message.run, message.call));
  else trackers.delete(message.tracker);
});

function post(message: FromWorker): void {
  port.postMessage(message);
  // A user's thread waiting synchronously (stopSync, tasks) wakes on this count.
  Atomics.add(posted, POSTED, 1);
  Atomics.notify(posted, POSTED);
}

function host(message: Extract<ToWorker, { type: 'tracker' }>): void {
  const { tracker, config, env, csvLiveUpdate } = message;
  const forward = (level: 'debug' | 'info' | 'warn' | 'error') => (text: string) =>
    post({ type: 'log', tracker, level, message: text });
  const inner: Logger = {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
  };
  trackers.set(tracker, {
    config,
    env,
    csvLiveUpdate,
    logger: new OnceLogger(inner),
    handlers: undefined,
  });
}

/** Runs whose outputs or online modules are still loading: their calls wait for them. */
const starting = new Map<number, Promise<void>>();

function start(message: Extract<ToWorker, { type: 'start' }>): void {
  const hosted = trackers.get(message.tracker);
  if (!hosted) return;
  const { config, logger } = hosted;
  const { plan } = message;
  const place = {
    env: plan.env,
    root: plan.root,
    rootPid: plan.rootPid,
    excludeRootProcess: plan.excludeRootProcess,
    // Every reading of the bookkeeping reads the sensors first: its time is theirs.
    clock: () => sampled.readAt,
  };
  let sampled: SampledSensors;
  try {
    // The sensors take their baseline first, before anything is loaded.
    const hardware = detectHardwareCached(plan.root, plan.env);
    sampled = new SampledSensors(
      hardware,
      plan,
      logger,
      config.measurePowerSecs,
      message.startMonotonicMs,
    );
  } catch (error) {
    logger.error(`The sampling worker could not start measuring: ${describe(error)}`);
    return;
  }
  const run = message.run;
  const ready = Promise.all([builtInOutputs(hosted), onlineModule(config)])
    .then(([handlers, onlineFeed]) => {
      const prepared = prepareRun(config, message.runId, logger, place, {
        sensorSet: sampled.set,
        onlineFeed,
      });
      runs.set(run, {
        logger,
        run: new Run({
          accountant: prepared.accountant,
          facts: prepared.facts,
          intensity: prepared.intensity,
          handlers,
          logger,
          measurePowerSecs: config.measurePowerSecs,
          apiCallInterval: config.apiCallInterval,
          details: prepared.details,
          startedAt: { timeS: message.startMonotonicMs / 1000, wallMs: message.startWallMs },
          onLiveOut: message.forwardLiveOut
            ? (total, delta) => post({ type: 'liveOut', run, total, delta })
            : undefined,
          onRecords: (records) => post({ type: 'records', run, records }),
        }),
      });
      sampled.runTicks();
    })
    .catch((error) => {
      sampled.close();
      logger.error(`The sampling worker could not start measuring: ${describe(error)}`);
    })
    .finally(() => starting.delete(run));
  starting.set(run, ready);
}

/** The built-in outputs, built at the tracker's first run; settings were checked already. */
async function builtInOutputs(hosted: HostedTracker): Promise<OutputHandler[]> {
  hosted.handlers ??= (async () => {
    const context = {
      config: hosted.config,
      logger: hosted.logger,
      env: hosted.env,
      csvLiveUpdate: hosted.csvLiveUpdate,
    };
    const factories = await loadFactories(outputKinds(hosted.config));
    const handlers: OutputHandler[] = [];
    for (const build of planOutputs(context, factories).anyThread) {
      try {
        handlers.push(build());
      } catch (error) {
        hosted.logger.error(`An output could not be set up: ${describe(error)}`);
      }
    }
    return handlers;
  })();
  return hosted.handlers;
}

/** Location lookups and live intensity, loaded only when the configuration may use them. */
async function onlineModule(config: TrackerConfig) {
  const mayGoOnline = !config.offline || config.electricitymapsApiToken !== undefined;
  if (!mayGoOnline) return undefined;
  return (await import('../intensity/live/online-settings.js')).onlineIntensityFeedFor;
}

/** Calls about a run that is still starting wait for it, in the order they came. */
function whenStarted(run: number, then: () => void): void {
  const pending = starting.get(run);
  if (pending) void pending.then(then);
  else then();
}

function answer(id: number, runKey: number, call: Call): void {
  const reply = (value: unknown) => post({ type: 'reply', id, value });
  const hosted = runs.get(runKey);
  if (!hosted) {
    reply(undefined);
    return;
  }
  const { run, logger } = hosted;
  try {
    switch (call.op) {
      case 'ready':
        reply(true);
        return;
      case 'details':
        reply(plainDetails(run));
        return;
      case 'startTask':
        reply(run.startTask(call.name));
        return;
      case 'stopTask':
        reply(run.stopTask(call.name));
        return;
      case 'flush':
        run.flush().then(reply, () => reply(undefined));
        return;
      case 'stop':
        runs.delete(runKey);
        run.stop().then(
          (records) => reply(ending(run, records)),
          () => reply(ending(run, undefined)),
        );
        return;
      case 'stopSync': {
        runs.delete(runKey);
        const { records } = run.stopSync(call.processEnding);
        // Outputs that keep data for later say so now: this thread sees no 'exit' event.
        if (call.processEnding) announceProcessEnding();
        reply(ending(run, records));
        return;
      }
    }
  } catch (error) {
    logger.error(`The sampling worker could not answer ${call.op}: ${describe(error)}`);
    reply(undefined);
  }
}

/** The answer to a stop: the final records, how they were obtained, CSV files not written. */
function ending(run: Run, records: RunRecords | undefined) {
  return { records, details: plainDetails(run), failedCsvPaths: failedCsvPaths() };
}

/** Methods, descriptions and intensity as plain values (getters do not cross threads). */
function plainDetails(run: Run) {
  const { components, intensity } = run.details;
  const plain = (c: keyof typeof components) => ({
    method: components[c].method,
    description: components[c].description,
  });
  return {
    components: { cpu: plain('cpu'), gpu: plain('gpu'), ram: plain('ram') },
    intensity: { ...intensity },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
