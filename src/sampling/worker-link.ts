import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import type { OnceLogger } from '../log/logger.js';
import { type Call, type FromWorker, POSTED, type ToWorker } from './sampler-protocol.js';

/** How long a synchronous answer may take: the first one may wait for the worker to boot. */
const FIRST_ANSWER_MS = 5000;
const ANSWER_MS = 2000;

type RunMessage = Extract<FromWorker, { type: 'liveOut' | 'records' }>;

/**
 * The user's thread's end of the sampling worker: one worker per process, started by the
 * first tracker that needs it, never keeping the process alive on its own. Requests are
 * asynchronous (`ask`) or, where the API is synchronous (tasks, the stop at process exit),
 * answered while this thread waits (`call`): the worker posts its answer and bumps a shared
 * counter this thread sleeps on.
 */
export class WorkerLink {
  private static current: WorkerLink | undefined;

  /** The process's worker, started now if there is none (or the last one failed). */
  static shared(): WorkerLink {
    if (!WorkerLink.current || WorkerLink.current.failed) WorkerLink.current = new WorkerLink();
    return WorkerLink.current;
  }

  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly posted: Int32Array;
  private nextId = 1;
  private answered = false;
  private failed = false;
  private readonly waiting = new Map<number, (value: unknown) => void>();
  /** Ids of synchronous calls in progress, and their replies once drained from the port. */
  private readonly calling = new Set<number>();
  private readonly replies = new Map<number, unknown>();
  private readonly loggers = new Map<number, OnceLogger>();
  private readonly runListeners = new Map<number, (message: RunMessage) => void>();

  private constructor() {
    const channel = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    this.posted = new Int32Array(signal);
    this.port = channel.port1;
    this.worker = new Worker(new URL('./sampler-worker.js', import.meta.url), {
      // No inherited execArgv: flags meant for the user's entry point (--input-type,
      // loaders…) are invalid or useless in a worker that runs plain package code.
      execArgv: [],
      // A small young generation: the default alone would add megabytes of resident memory
      // to the user's process. The old generation's limit (a ceiling, not a reservation)
      // leaves room for output libraries and runs with tens of thousands of tasks.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 1024 },
      workerData: { port: channel.port2, signal },
      transferList: [channel.port2],
    });
    this.port.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => this.fail(`The sampling worker stopped: ${String(error)}`));
    this.worker.on('exit', () => this.fail('The sampling worker exited.'));
    // After the listeners, which ref them again: only a pending request holds the process.
    this.port.unref();
    this.worker.unref();
  }

  private newId(): number {
    return this.nextId++;
  }

  /** Messages of tracker `tracker` go to `logger`; runs' records to their listeners. */
  addTracker(tracker: number, logger: OnceLogger): void {
    this.loggers.set(tracker, logger);
  }

  forgetTracker(tracker: number): void {
    this.loggers.delete(tracker);
    this.send({ type: 'forget', tracker });
  }

  listen(run: number, listener: (message: RunMessage) => void): void {
    this.runListeners.set(run, listener);
  }

  forget(run: number): void {
    this.runListeners.delete(run);
  }

  send(message: ToWorker): void {
    if (!this.failed) this.port.postMessage(message);
  }

  /** Asks and resolves with the answer (undefined if the worker failed); holds the process. */
  ask(run: number, call: Call): Promise<unknown> {
    if (this.failed) return Promise.resolve(undefined);
    const id = this.newId();
    const answer = new Promise<unknown>((resolve) => this.waiting.set(id, resolve));
    this.port.ref();
    this.send({ type: 'call', id, run, call });
    return answer;
  }

  /** Asks and waits here, bounded, for the answer; undefined when none came in time. */
  call(run: number, call: Call, logger: OnceLogger): unknown {
    if (this.failed) return undefined;
    const id = this.newId();
    this.calling.add(id);
    try {
      return this.waitFor(id, run, call, logger);
    } finally {
      this.calling.delete(id);
      this.replies.delete(id);
    }
  }

  private waitFor(id: number, run: number, call: Call, logger: OnceLogger): unknown {
    this.send({ type: 'call', id, run, call });
    const deadline = Date.now() + (this.answered ? ANSWER_MS : FIRST_ANSWER_MS);
    for (;;) {
      const seen = Atomics.load(this.posted, POSTED);
      for (
        let next = receiveMessageOnPort(this.port);
        next;
        next = receiveMessageOnPort(this.port)
      ) {
        this.receive(next.message as FromWorker);
      }
      if (this.replies.has(id)) return this.replies.get(id);
      const left = deadline - Date.now();
      if (left <= 0 || this.failed) {
        logger.once(
          'worker-slow',
          'warn',
          `The sampling worker did not answer ${call.op} in time; that answer is missing.`,
        );
        return undefined;
      }
      Atomics.wait(this.posted, POSTED, seen, left);
    }
  }

  private receive(message: FromWorker): void {
    if (message.type === 'log') {
      this.loggers.get(message.tracker)?.[message.level](message.message);
    } else if (message.type === 'reply') {
      this.answered = true;
      const resolve = this.waiting.get(message.id);
      if (resolve) {
        this.waiting.delete(message.id);
        if (this.waiting.size === 0) this.port.unref();
        resolve(message.value);
      } else if (this.calling.has(message.id)) {
        this.replies.set(message.id, message.value);
      }
    } else {
      this.runListeners.get(message.run)?.(message);
    }
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    for (const logger of this.loggers.values()) {
      logger.once('worker-failed', 'error', `${reason} Energy after this moment is not measured.`);
    }
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
    this.port.unref();
  }
}
