/**
 * Delivers one run's records to a server in order, at most one request at a time. Each record
 * is written to the run's spool before it is sent and settled there once the server accepted
 * (or definitively rejected) it, so nothing is lost when the server is down, slow or refusing,
 * nor when the process ends first. Failures are retried with exponential backoff on unref'd
 * timers; nothing here throws into the caller or keeps the process alive.
 */

import type { Logger } from '../../log/logger.js';
import { type BackoffOptions, backoffDelayMs } from './backoff.js';
import { keepRejected } from './rejected-file.js';
import type { SpoolFile, SpoolItem } from './spool-file.js';

/** The outcome of one delivery attempt of the first pending item(s). */
export type Delivery =
  | { kind: 'delivered'; through: number }
  | { kind: 'wait' }
  | { kind: 'retry'; reason: string }
  | { kind: 'rejected'; through: number; reason: string; request: unknown }
  | { kind: 'blocked'; reason: string };

export interface AttemptContext {
  /** No item will be added any more: items too small to send alone must go now. */
  final: boolean;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Sends the first pending item (or the first few, merged) and says what happened. */
export interface DeliveryStrategy {
  deliver(pending: readonly SpoolItem[], attempt: AttemptContext): Promise<Delivery>;
}

export interface DeliveryQueueOptions {
  spool: SpoolFile;
  strategy: DeliveryStrategy;
  logger: Logger;
  /** Who receives the records, for messages: `the CodeCarbon API at https://…`. */
  label: string;
  /** One item, for messages: `delta`, `record`. */
  noun: string;
  /** Where rejected items are kept, with the server's answer. */
  rejectedPath: string;
  requestTimeoutMs: number;
  backoff: BackoffOptions;
  /** Items already spooled (a resumed spool), and its last sequence number. */
  pending?: SpoolItem[];
  lastSeq?: number;
  final?: boolean;
}

type PumpEnd = 'empty' | 'wait' | 'failed' | 'blocked' | 'released' | 'deadline';

export class DeliveryQueue {
  private pending: SpoolItem[];
  private lastSeq: number;
  private final: boolean;
  private failures = 0;
  private lastReason: string | undefined;
  private blockedReason: string | undefined;
  private pump: Promise<PumpEnd> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private released = false;
  private spoolBroken = false;
  private rejectedLogged = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: DeliveryQueueOptions) {
    this.pending = [...(options.pending ?? [])];
    this.lastSeq = options.lastSeq ?? 0;
    this.final = options.final ?? false;
  }

  get size(): number {
    return this.pending.length;
  }

  get spoolPath(): string {
    return this.options.spool.path;
  }

  /** Why the last attempt failed, while the server keeps failing. */
  get failure(): string | undefined {
    return this.blockedReason ?? (this.failures > 0 ? this.lastReason : undefined);
  }

  /** Spools `body` (synchronously) and sends it after everything queued before it. */
  enqueue(body: unknown): void {
    const item = { seq: ++this.lastSeq, body };
    this.pending.push(item);
    this.spoolWrite(() => this.options.spool.append(item, this.pending));
    this.kick();
  }

  /** No more items will come: whatever is pending may be sent as it is. */
  markFinal(): void {
    this.final = true;
    this.kick();
  }

  /** Starts sending now if nothing is in flight or waiting for a retry. */
  kick(): void {
    if (this.pump || this.retryTimer || this.released || this.blockedReason) return;
    if (this.pending.length > 0) this.startPump(undefined);
  }

  /**
   * Sends what is pending now, skipping any backoff wait, until the queue is empty, an
   * attempt fails, or `deadline` (performance.now() ms) passes. Never rejects.
   */
  async sendNow(deadline: number): Promise<void> {
    for (;;) {
      if (this.released || this.blockedReason || this.pending.length === 0) return;
      if (this.pump) {
        const end = await beforeDeadline(this.pump, deadline);
        if (end !== 'empty') return;
        continue;
      }
      if (performance.now() >= deadline) return;
      this.clearRetry();
      this.startPump(deadline);
    }
  }

  /** Stops all work: in-flight requests are abandoned and what is pending stays in the spool. */
  release(): void {
    this.released = true;
    this.clearRetry();
    this.abort.abort();
    this.options.spool.release();
  }

  private startPump(deadline: number | undefined): void {
    const pump = this.run(deadline).then((end) => {
      if (this.pump === pump) this.pump = undefined;
      // Out of time for a flush, or items came just after the last one: go on in the background.
      if (end === 'deadline' || end === 'empty') this.kick();
      return end;
    });
    this.pump = pump;
  }

  private async run(deadline: number | undefined): Promise<PumpEnd> {
    while (this.pending.length > 0) {
      if (this.released) return 'released';
      const leftMs = deadline === undefined ? Infinity : deadline - performance.now();
      if (leftMs <= 0) return 'deadline';
      const timeoutMs = Math.min(this.options.requestTimeoutMs, leftMs);
      const context = { final: this.final, timeoutMs, signal: this.abort.signal };
      const outcome = await this.options.strategy
        .deliver(this.pending, context)
        .catch((error: unknown): Delivery => ({ kind: 'retry', reason: describe(error) }));
      switch (outcome.kind) {
        case 'delivered':
          this.settle(outcome.through);
          this.recovered();
          continue;
        case 'rejected':
          this.keepRejected(outcome);
          this.settle(outcome.through);
          continue;
        case 'wait':
          return 'wait';
        case 'retry':
          this.failed(outcome.reason);
          return 'failed';
        case 'blocked':
          this.block(outcome.reason);
          return 'blocked';
      }
    }
    return 'empty';
  }

  private settle(through: number): void {
    this.pending = this.pending.filter((item) => item.seq > through);
    this.spoolWrite(() => this.options.spool.settle(through, this.pending.length));
  }

  private recovered(): void {
    if (this.failures === 0) return;
    this.failures = 0;
    if (!this.released) {
      this.options.logger.info(`${capitalise(this.options.label)} answers again; sending resumed.`);
    }
  }

  private failed(reason: string): void {
    if (this.released) return;
    this.failures += 1;
    this.lastReason = reason;
    const delayMs = backoffDelayMs(this.failures, this.options.backoff);
    const { logger, label, noun } = this.options;
    const message =
      `Could not send to ${label} (${reason}). ${this.pending.length} ${noun}(s) waiting, ` +
      `kept in ${this.spoolPath}; retrying in ${Math.ceil(delayMs / 1000)} s, with longer waits while it fails.`;
    // One warning per outage; the retries that follow are only debug lines.
    if (this.failures === 1) logger.warn(message);
    else logger.debug(message);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, delayMs);
    this.retryTimer.unref();
  }

  private block(reason: string): void {
    if (this.released) return;
    this.blockedReason = reason;
    this.options.logger.error(
      `${capitalise(this.options.label)} refused the request (${reason}); no more requests are sent ` +
        `for this run. ${this.pending.length} ${this.options.noun}(s) stay in ${this.spoolPath} and are ` +
        'sent by the next tracker with the same settings once the configuration is fixed.',
    );
  }

  private keepRejected(outcome: Extract<Delivery, { kind: 'rejected' }>): void {
    const { rejectedPath, logger, label, noun } = this.options;
    const kept = keepRejected(rejectedPath, label, outcome.reason, outcome.request);
    const message = `${capitalise(label)} rejected a ${noun} (${outcome.reason}); it is ${kept}. Later ${noun}s are still sent.`;
    if (this.rejectedLogged) logger.debug(message);
    else logger.error(message);
    this.rejectedLogged = true;
  }

  private spoolWrite(write: () => void): void {
    try {
      write();
      this.spoolBroken = false;
    } catch (error) {
      if (!this.spoolBroken) {
        this.options.logger.warn(
          `Could not write ${this.spoolPath} (${describe(error)}): ${this.options.noun}s not yet ` +
            'accepted are kept in memory only and are lost if the process ends before they are sent.',
        );
      }
      this.spoolBroken = true;
    }
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

/** `promise`'s value, or 'failed' once `deadline` (performance.now() ms) has passed. */
function beforeDeadline(promise: Promise<PumpEnd>, deadline: number): Promise<PumpEnd> {
  const leftMs = deadline - performance.now();
  if (leftMs <= 0) return Promise.resolve('failed');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<PumpEnd>((resolve) => {
    timer = setTimeout(() => resolve('failed'), leftMs);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
