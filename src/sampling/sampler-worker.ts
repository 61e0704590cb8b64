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
import { processEnding } from '../output/api/queued-output.js';
import { failedCsvPaths } from '../output/factories/csv.js';
import type { OutputHandler } from '../output/handler.js';
import { planOutputs } from '../tracker/outputs.js';
import { Run, type RunRecords } from '../tracker/run.js';
import { detectHardwareCached, prepareRun } from '../tracker/setup-run.js';
import { SampledSensors } from './sampled-sensors.js';
import { type Call, epochMs, type FromWorker, POSTED, type ToWorker } from './sampler-protocol.js';

interface HostedTracker {
  config: TrackerConfig;
  env: Record<string, string | undefined>;
  csvLiveUpdate: boolean;
  logger: OnceLogger;
  /** Built at the tracker's first run, kept for its later runs (as on the user's thread). */
  handlers: OutputHandler[] | undefined;
}

const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const posted = new Int32Array(signal);
const trackers = new Map<number, HostedTracker>();
const runs = new Map<number, { run: Run; logger: OnceLogger }>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'tracker') host(message);
  else if (message.type === 'start') start(message);
  else if (message.type === 'call') answer(message.id, message.run, message.call);
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

function start(message: Extract<ToWorker, { type: 'start' }>): void {
  const hosted = trackers.get(message.tracker);
  if (!hosted) return;
  const { config, logger } = hosted;
  try {
    hosted.handlers ??= builtInOutputs(hosted);
    const { plan } = message;
    const place = {
      env: plan.env,
      root: plan.root,
      rootPid: plan.rootPid,
      excludeRootProcess: plan.excludeRootProcess,
      clock: () => ({ timeS: epochMs() / 1000, wallMs: Date.now() }),
    };
    const hardware = detectHardwareCached(plan.root, plan.env);
    const sampled = new SampledSensors(
      hardware,
      plan,
      logger,
      config.measurePowerSecs,
      message.startEpochMs,
    );
    const prepared = prepareRun(config, message.runId, logger, place, sampled.set);
    const run = message.run;
    runs.set(run, {
      logger,
      run: new Run({
        accountant: prepared.accountant,
        facts: prepared.facts,
        intensity: prepared.intensity,
        handlers: hosted.handlers,
        logger,
        measurePowerSecs: config.measurePowerSecs,
        apiCallInterval: config.apiCallInterval,
        details: prepared.details,
        startedAt: { timeS: message.startEpochMs / 1000, wallMs: message.startWallMs },
        onLiveOut: message.forwardLiveOut
          ? (total, delta) => post({ type: 'liveOut', run, total, delta })
          : undefined,
        onRecords: (records) => post({ type: 'records', run, records }),
      }),
    });
  } catch (error) {
    logger.error(`The sampling worker could not start measuring: ${describe(error)}`);
  }
}

/** The built-in outputs; their settings were checked on the user's thread already. */
function builtInOutputs(hosted: HostedTracker): OutputHandler[] {
  const context = {
    config: hosted.config,
    logger: hosted.logger,
    env: hosted.env,
    csvLiveUpdate: hosted.csvLiveUpdate,
  };
  const handlers: OutputHandler[] = [];
  for (const build of planOutputs(context).anyThread) {
    try {
      handlers.push(build());
    } catch (error) {
      hosted.logger.error(`An output could not be set up: ${describe(error)}`);
    }
  }
  return handlers;
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
        const { records } = run.stopSync();
        // Outputs that keep data for later say so now: this thread sees no 'exit' event.
        if (call.processEnding) processEnding();
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
