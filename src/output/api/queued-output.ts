/**
 * The part shared by the network outputs (CodeCarbon API, HTTP endpoint): one delivery queue
 * per run of the tracker, queues resumed from spools that ended processes left behind,
 * bounded attempts on flush and stop, and one clear message for whatever stays spooled.
 */

import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { onProcessEnding } from '../process-ending.js';
import type { BackoffOptions } from './backoff.js';
import { DeliveryQueue, type DeliveryStrategy, describe } from './delivery-queue.js';
import { SpoolFile, type SpoolItem, type SpoolKind } from './spool-file.js';
import { claimAbandonedSpools } from './spool-recovery.js';

export interface QueuedOutputOptions {
  kind: SpoolKind;
  /** Destination URL without credentials: spools are resumed only for the same one. */
  target: string;
  experimentId: string;
  /** Absolute directory of the spools and of the rejected-records file. */
  outputDir: string;
  logger: Logger;
  /** `the CodeCarbon API at https://…`. */
  label: string;
  /** One item: `delta`, `record`. */
  noun: string;
  /** The settings a later tracker must share to resume a spool: `api_endpoint and experiment_id`. */
  settings: string;
  /** File name, in outputDir, of records the server rejected. */
  rejectedFile: string;
  requestTimeoutMs: number;
  /** Longest time flush and stop spend sending, ms. */
  finalAttemptMs: number;
  backoff: BackoffOptions;
  /** Look for abandoned spools right after construction. */
  resume: boolean;
  makeStrategy(spool: SpoolFile): DeliveryStrategy;
}

export class QueuedOutput {
  private current: DeliveryQueue | undefined;
  private currentRunId: string | undefined;
  private resumed: DeliveryQueue[] = [];
  private deadline: number | undefined;
  private addFailed = false;
  private toldAtExit = false;

  constructor(private readonly options: QueuedOutputOptions) {
    watchProcessExit();
    if (options.resume) setTimeout(() => this.resume(), 0).unref();
  }

  /** Spools `body` for the run `runId` and sends it in the background. Never throws. */
  add(runId: string, body: unknown, runMeta: () => Record<string, unknown>): void {
    try {
      if (!this.current || this.currentRunId !== runId) this.begin(runId, runMeta());
      this.current?.enqueue(body);
      this.addFailed = false;
      if (exiting) this.tellAtExit();
    } catch (error) {
      if (!this.addFailed) {
        this.options.logger.error(
          `Could not queue a ${this.options.noun} for ${this.options.label} (${describe(error)}); tracking goes on.`,
        );
      }
      this.addFailed = true;
    }
  }

  /** Sends what is queued, for at most `finalAttemptMs` (flush and stop). */
  async sendNow(): Promise<void> {
    this.deadline = performance.now() + this.options.finalAttemptMs;
    await Promise.all(this.queues().map((queue) => queue.sendNow(this.deadline as number)));
  }

  /**
   * End of the run: what is pending may go as it is, within what is left of the stop's
   * attempt; then one message for what stays in the spool, and every queue is released.
   */
  async finish(): Promise<void> {
    const now = performance.now();
    const deadline = this.deadline ?? now + this.options.finalAttemptMs;
    this.current?.markFinal();
    const queues = this.queues();
    await Promise.all(queues.map((queue) => queue.sendNow(deadline)));

    this.reportLeftovers(queues);
    for (const queue of queues) queue.release();
    live.delete(this);
    this.current = undefined;
    this.currentRunId = undefined;
    this.resumed = [];
    this.deadline = undefined;
  }

  private begin(runId: string, meta: Record<string, unknown>): void {
    // A new run without finish() for the previous one: its queue goes on as a resumed one.
    if (this.current) {
      this.current.markFinal();
      this.resumed.push(this.current);
    }
    const { kind, target, experimentId, outputDir } = this.options;
    const spool = SpoolFile.create(outputDir, { kind, target, experimentId, runId }, meta);
    this.current = this.makeQueue(spool, {});
    this.currentRunId = runId;
    live.add(this);
    this.resume();
  }

  /** Takes over spools nobody works on and sends them in the background. */
  private resume(): void {
    const { kind, target, experimentId, outputDir, logger, noun } = this.options;
    for (const { spool, contents, previousOwner } of claimAbandonedSpools(outputDir, {
      kind,
      target,
      experimentId,
    })) {
      const { pending, lastSeq } = contents;
      const queue = this.makeQueue(spool, { pending, lastSeq, final: true });
      if (pending.length === 0) {
        queue.release();
        continue;
      }
      logger.info(
        `Resending ${pending.length} ${noun}(s) of run ${spool.runId} to ${this.options.label}, ` +
          `left in ${spool.path} by process ${previousOwner.pid} on ${previousOwner.host}.`,
      );
      this.resumed.push(queue);
      live.add(this);
      queue.kick();
    }
  }

  private makeQueue(
    spool: SpoolFile,
    state: { pending?: SpoolItem[]; lastSeq?: number; final?: boolean },
  ): DeliveryQueue {
    const { logger, label, noun, outputDir, rejectedFile, requestTimeoutMs, backoff } =
      this.options;
    return new DeliveryQueue({
      spool,
      strategy: this.options.makeStrategy(spool),
      logger,
      label,
      noun,
      rejectedPath: join(outputDir, rejectedFile),
      requestTimeoutMs,
      backoff,
      ...state,
    });
  }

  /** The current queue and the resumed ones still holding items (empty ones are let go). */
  private queues(): DeliveryQueue[] {
    for (const queue of this.resumed) if (queue.size === 0) queue.release();
    this.resumed = this.resumed.filter((queue) => queue.size > 0);
    return this.current ? [this.current, ...this.resumed] : [...this.resumed];
  }

  private reportLeftovers(queues: readonly DeliveryQueue[]): void {
    const left = queues.filter((queue) => queue.size > 0);
    if (left.length === 0) return;
    const count = left.reduce((total, queue) => total + queue.size, 0);
    const reason = left.find((queue) => queue.failure)?.failure ?? 'no answer in time';
    this.options.logger.warn(
      `${count} ${this.options.noun}(s) could not be sent to ${this.options.label} (${reason}). ` +
        `They stay in ${left.map((queue) => queue.spoolPath).join(', ')} and are sent by the next ` +
        `tracker with the same ${this.options.settings} and output_dir ${this.options.outputDir}.`,
    );
  }

  /** The process is ending with items not sent: say once where they are. */
  tellAtExit(): void {
    const left = this.queues().filter((queue) => queue.size > 0);
    if (this.toldAtExit || left.length === 0) return;
    this.toldAtExit = true;
    const count = left.reduce((total, queue) => total + queue.size, 0);
    this.options.logger.warn(
      `Process ending: ${count} ${this.options.noun}(s) not yet accepted by ${this.options.label} ` +
        `stay in ${left.map((queue) => queue.spoolPath).join(', ')}; the next tracker with the ` +
        `same ${this.options.settings} and output_dir ${this.options.outputDir} sends them.`,
    );
  }
}

// The process 'exit' event cannot wait for a request: at that point only say what is left.
const live = new Set<QueuedOutput>();
let exiting = false;
let watching = false;

function watchProcessExit(): void {
  if (watching) return;
  watching = true;
  onProcessEnding(processEnding);
}

/** The process is ending: every output says what it leaves in its spool. */
function processEnding(): void {
  exiting = true;
  for (const output of live) output.tellAtExit();
}
