/**
 * The sampling worker: it owns the sensors of every worker-sampled run in the process and
 * reads them on its own schedule, so counters are serviced (wraps seen, powers integrated)
 * even while user code blocks the main thread. Each reading is published to the run's shared
 * memory; the main thread asks for a fresh one at the moments a record needs it.
 */
import { parentPort } from 'node:worker_threads';
import type { OnceLogger } from '../log/logger.js';
import { buildSensors, detectHardware, type HardwareFacts } from '../sensors/select-sensors.js';
import type { Component, EnergySensor } from '../sensors/sensor.js';
import {
  COMPONENTS,
  CONTROL,
  epochMs,
  type FromWorker,
  type SensorFacts,
  type SharedViews,
  type ToWorker,
  VALUE,
  viewsOf,
} from './sampler-protocol.js';

interface SampledRun {
  sensors: EnergySensor[];
  views: SharedViews;
  timer: NodeJS.Timeout;
  /** Energy of the moments between the main thread's start() and the worker's baseline, J. */
  startupJ: Record<Component, number> | undefined;
  startupS: number;
  baselineMs: number;
}

const runs = new Map<number, SampledRun>();
/** Hardware is read once per root in the worker's life, as the main thread does. */
const hardware = new Map<string, HardwareFacts>();

function hardwareOf(root: string, env: Record<string, string | undefined>): HardwareFacts {
  let facts = hardware.get(root);
  if (!facts) {
    facts = detectHardware(root, env);
    hardware.set(root, facts);
  }
  return facts;
}
const said = new Set<string>();

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'init') init(message);
  else if (message.type === 'read') answer(message.run, message.id);
  else stop(message.run);
});

function init(message: Extract<ToWorker, { type: 'init' }>): void {
  const views = viewsOf(message.shared);
  try {
    const { plan } = message;
    const facts = hardwareOf(plan.root, plan.env);
    const set = buildSensors(facts, { ...plan, logger: workerLogger() });
    const baselineMs = epochMs();
    for (const sensor of set.sensors) sensor.start(baselineMs / 1000);

    const published: SensorFacts = {
      methods: set.methods,
      descriptions: describe(set.sensors),
      gpu: { count: set.gpu.count, model: set.gpu.model },
    };
    const bytes = new TextEncoder().encode(JSON.stringify(published));
    views.facts.set(bytes.subarray(0, views.facts.length));
    Atomics.store(views.control, CONTROL.factsLength, Math.min(bytes.length, views.facts.length));

    const run: SampledRun = {
      sensors: set.sensors,
      views,
      // At least one reading a second: process-mode memory and power-integrated GPUs need
      // samples within short runs too (a reading costs tens of microseconds).
      timer: setInterval(() => read(run), Math.min(message.intervalS, 1) * 1000),
      startupJ: undefined,
      startupS: Math.max(0, (baselineMs - message.startEpochMs) / 1000),
      baselineMs,
    };
    runs.set(message.run, run);
    views.values[VALUE.epochMs] = baselineMs;
    Atomics.store(views.control, CONTROL.ready, 1);
  } catch (error) {
    log('worker-init', 'error', `The sampling worker could not set up sensors: ${String(error)}`);
    Atomics.store(views.control, CONTROL.ready, -1);
  }
  Atomics.notify(views.control, CONTROL.ready);
}

/** Reads every sensor and publishes cumulative energies (startup gap included). */
function read(run: SampledRun): void {
  const nowMs = epochMs();
  const energyJ = { cpu: 0, gpu: 0, ram: 0 };
  const powerW = { cpu: 0, gpu: 0, ram: 0 };
  let gpuPercentSum = 0;
  let gpuPercentCount = 0;
  for (const sensor of run.sensors) {
    const reading = sensor.read(nowMs / 1000);
    energyJ[sensor.component] += reading.energyJ;
    powerW[sensor.component] += reading.powerW;
    const percent = sensor.component === 'gpu' ? sensor.utilisationPercent?.() : undefined;
    if (percent !== undefined && Number.isFinite(percent)) {
      gpuPercentSum += percent;
      gpuPercentCount += 1;
    }
  }
  // The worker took its baseline a little after start(): that moment is counted at the power
  // of the first interval long enough to be meaningful (10 ms), then fixed.
  if (!run.startupJ && nowMs - run.baselineMs >= 10) {
    const seconds = (nowMs - run.baselineMs) / 1000;
    run.startupJ = { cpu: 0, gpu: 0, ram: 0 };
    for (const c of COMPONENTS) run.startupJ[c] = (energyJ[c] / seconds) * run.startupS;
  }

  const { values, control } = run.views;
  values[VALUE.epochMs] = nowMs;
  for (const c of COMPONENTS) {
    values[VALUE.energyJ[c]] = energyJ[c] + (run.startupJ?.[c] ?? 0);
    values[VALUE.powerW[c]] = powerW[c];
  }
  values[VALUE.gpuPercent] = gpuPercentCount > 0 ? gpuPercentSum / gpuPercentCount : Number.NaN;
  Atomics.add(control, CONTROL.readings, 1);
}

function answer(runId: number, id: number): void {
  const run = runs.get(runId);
  if (run) read(run);
  const control = run?.views.control;
  if (!control) return;
  Atomics.store(control, CONTROL.answered, id);
  Atomics.notify(control, CONTROL.answered);
}

function stop(runId: number): void {
  const run = runs.get(runId);
  if (!run) return;
  clearInterval(run.timer);
  for (const sensor of run.sensors) {
    try {
      sensor.close?.();
    } catch {
      // Releasing one sensor's resources must not stop the others.
    }
  }
  runs.delete(runId);
}

function describe(sensors: readonly EnergySensor[]): Record<Component, string> {
  const descriptions = { cpu: 'not measured', gpu: 'no GPU tracked', ram: 'not measured' };
  for (const c of COMPONENTS) {
    const parts = sensors.filter((s) => s.component === c).map((s) => s.description);
    if (parts.length > 0) descriptions[c] = parts.join('; ');
  }
  return descriptions;
}

/** Sensor messages go to the main thread's logger (said once per key). */
function workerLogger(): OnceLogger {
  const forward = (level: 'info' | 'warn' | 'error') => (message: string) =>
    log(`${level}:${message}`, level, message);
  return {
    debug: () => {},
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    once: (key: string, level: 'info' | 'warn' | 'error', message: string) =>
      log(key, level, message),
  } as unknown as OnceLogger;
}

function log(key: string, level: 'info' | 'warn' | 'error', message: string): void {
  if (said.has(key)) return;
  said.add(key);
  const out: FromWorker = { type: 'log', key, level, message };
  parentPort?.postMessage(out);
}
