import { Worker } from 'node:worker_threads';
import type { OnceLogger } from '../log/logger.js';
import type { Component, EnergySensor, SensorReading } from '../sensors/sensor.js';
import {
  allocateShared,
  CONTROL,
  epochMs,
  type FromWorker,
  type SensorFacts,
  type SensorPlan,
  type SharedViews,
  type ToWorker,
  VALUE,
  viewsOf,
} from './sampler-protocol.js';

/** How long a fresh reading may take: the first one waits for the worker to boot. */
const FIRST_ANSWER_MS = 3000;
const ANSWER_MS = 500;

let worker: Worker | undefined;
let nextRun = 1;
const loggers = new Map<number, OnceLogger>();
/** Control words of runs whose sensors are not built yet. */
const waiting = new Set<Int32Array>();

/**
 * The main thread's side of a worker-sampled run: three proxy sensors (CPU, GPU, RAM) whose
 * readings are the worker's cumulative energies. A reading asked for by a record (stop,
 * flush, task boundaries) is taken fresh by the worker while this thread waits, briefly.
 */
export class WorkerSampler {
  readonly sensors: EnergySensor[];
  private readonly run = nextRun++;
  private readonly views: SharedViews;
  private asked = 0;
  private facts: SensorFacts | undefined;

  constructor(
    plan: SensorPlan,
    intervalS: number,
    private readonly logger: OnceLogger,
  ) {
    const shared = allocateShared();
    this.views = viewsOf(shared);
    loggers.set(this.run, logger);
    const message: ToWorker = {
      type: 'init',
      run: this.run,
      plan,
      intervalS,
      startEpochMs: epochMs(),
      shared,
    };
    waiting.add(this.views.control);
    samplingWorker().postMessage(message);
    this.sensors = (['cpu', 'gpu', 'ram'] as const).map((component) => this.proxy(component));
  }

  /** Methods, descriptions and GPU facts, once the worker has built the sensors. */
  sensorFacts(): SensorFacts | undefined {
    if (!this.facts && this.waitUntilReady()) {
      const length = Atomics.load(this.views.control, CONTROL.factsLength);
      const bytes = this.views.facts.slice(0, length);
      this.facts = JSON.parse(new TextDecoder().decode(bytes)) as SensorFacts;
    }
    return this.facts;
  }

  /** Resolves once the worker has built the sensors and taken its baseline (or failed). */
  async ready(): Promise<void> {
    // Polled on a (ref'd) timer: a pending Atomics.waitAsync would not keep the process
    // alive while the unref'd worker boots.
    const { control } = this.views;
    const deadline = Date.now() + FIRST_ANSWER_MS;
    while (Atomics.load(control, CONTROL.ready) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Readings the worker has taken so far (its schedule and fresh ones). */
  get readingCount(): number {
    return Atomics.load(this.views.control, CONTROL.readings);
  }

  /** Asks the worker for a reading now and waits for it (bounded). */
  refresh(): void {
    if (!this.waitUntilReady()) return;
    const id = ++this.asked;
    samplingWorker().postMessage({ type: 'read', run: this.run, id } satisfies ToWorker);
    const deadline = Date.now() + ANSWER_MS;
    const { control } = this.views;
    for (let seen = Atomics.load(control, CONTROL.answered); seen < id; ) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.logger.once(
          'worker-slow',
          'warn',
          'The sampling worker did not answer in time; using its last reading.',
        );
        return;
      }
      Atomics.wait(control, CONTROL.answered, seen, left);
      seen = Atomics.load(control, CONTROL.answered);
    }
  }

  close(): void {
    samplingWorker().postMessage({ type: 'stop', run: this.run } satisfies ToWorker);
    loggers.delete(this.run);
  }

  private waitUntilReady(): boolean {
    const { control } = this.views;
    const deadline = Date.now() + FIRST_ANSWER_MS;
    while (Atomics.load(control, CONTROL.ready) === 0) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(control, CONTROL.ready, 0, left);
    }
    waiting.delete(control);
    const ready = Atomics.load(control, CONTROL.ready) === 1;
    if (!ready) {
      this.logger.once(
        'worker-not-ready',
        'error',
        'The sampling worker is not ready: energy since start is not measured.',
      );
    }
    return ready;
  }

  private proxy(component: Component): EnergySensor {
    const sampler = this;
    const { values } = this.views;
    return {
      component,
      get method() {
        return sampler.sensorFacts()?.methods[component] ?? 'none';
      },
      get description() {
        return sampler.sensorFacts()?.descriptions[component] ?? 'not measured';
      },
      start: () => {},
      read(): SensorReading {
        // The worker's latest reading; the accountant asks for a fresh one (refresh) first
        // when a record needs this very moment.
        return {
          energyJ: values[VALUE.energyJ[component]] ?? 0,
          powerW: values[VALUE.powerW[component]] ?? 0,
        };
      },
      utilisationPercent: () => {
        const percent = values[VALUE.gpuPercent];
        return component === 'gpu' && percent !== undefined && Number.isFinite(percent)
          ? percent
          : undefined;
      },
      close: () => {
        if (component === 'cpu') sampler.close();
      },
    };
  }
}

/** One worker per process serves every run; it never keeps the process alive. */
function samplingWorker(): Worker {
  if (worker) return worker;
  // No inherited execArgv: flags meant for the user's entry point (--input-type, loaders…)
  // are invalid or useless in a worker that runs plain package code.
  const created = new Worker(new URL('./sampler-worker.js', import.meta.url), {
    execArgv: [],
    // A small heap: the worker holds a few sensors; the default young generation alone would
    // add megabytes of resident memory to the user's process.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 24 },
  });
  created.on('message', (message: FromWorker) => {
    if (message.type !== 'log') return;
    for (const logger of loggers.values()) logger.once(message.key, message.level, message.message);
  });
  created.on('error', (error) => {
    worker = undefined;
    // Runs still waiting for their sensors stop waiting; they report nothing measured.
    for (const control of waiting) {
      Atomics.compareExchange(control, CONTROL.ready, 0, -1);
      Atomics.notify(control, CONTROL.ready);
    }
    for (const logger of loggers.values()) {
      logger.once('worker-failed', 'error', `The sampling worker stopped: ${String(error)}`);
    }
  });
  // After the listeners: adding a 'message' listener refs the worker's port again.
  created.unref();
  worker = created;
  return created;
}
