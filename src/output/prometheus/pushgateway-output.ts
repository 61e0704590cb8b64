import type { Agent } from 'node:http';
import type { Pushgateway, RegistryContentType } from 'prom-client';
import type { Logger } from '../../log/logger.js';
import type { EmissionsData } from '../../records/emissions-data.js';
import { answerExcerpt } from '../api/post-json.js';
import type { OutputHandler } from '../handler.js';
import { FailureTracker } from './failure-tracker.js';
import type { PromClientModule } from './load-prom-client.js';
import { PushMetrics } from './push-metrics.js';

export interface PushgatewayOutputOptions {
  /** Gateway base URL without credentials, e.g. `https://gateway.example:9091`. */
  url: string;
  /** `Basic …` header value; never logged. */
  authorization: string | undefined;
  job: string;
  grouping: Record<string, string>;
  /** DELETE the group at stop, so a finished run leaves no stale values behind. */
  deleteOnExit: boolean;
  logger: Logger;
  /** Per-request limit in ms, for the whole exchange. Default 5000. */
  timeoutMs?: number;
  /** HTTP(S) agent, e.g. one trusting a private certificate authority. */
  agent?: Agent;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Pushes CodeCarbon's metrics (spec 9.5) to a Prometheus pushgateway: a PUT of the whole
 * registry on every periodic and final output, replacing the group's previous values, and a
 * DELETE of the group at stop when configured. Failures are logged and never thrown; the next
 * output pushes the latest values again, so nothing needs to be queued.
 */
export class PushgatewayOutput implements OutputHandler {
  private readonly metrics: PushMetrics;
  private readonly gateway: Pushgateway<RegistryContentType>;
  private readonly health: FailureTracker;
  /** Requests run one after another, so an older state never lands after a newer one. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    prom: PromClientModule,
    private readonly options: PushgatewayOutputOptions,
  ) {
    this.metrics = new PushMetrics(prom);
    const headers: Record<string, string> = {};
    if (options.authorization !== undefined) headers.Authorization = options.authorization;
    this.gateway = new prom.Pushgateway(
      options.url,
      {
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        headers,
        ...(options.agent ? { agent: options.agent } : {}),
      },
      this.metrics.registry,
    );
    this.health = new FailureTracker(
      options.logger,
      `Pushing metrics to ${this.groupUrl}`,
      'prometheus_url and that the pushgateway is running',
    );
  }

  /** `<url>/metrics/job/<job>/<label>/<value>…`, for messages. */
  get groupUrl(): string {
    const grouping = Object.entries(this.options.grouping)
      .map(([key, value]) => `/${key}/${encodeURIComponent(value)}`)
      .join('');
    return `${this.options.url}/metrics/job/${encodeURIComponent(this.options.job)}${grouping}`;
  }

  liveOut(total: EmissionsData, delta: EmissionsData): Promise<void> {
    return this.push(total, delta);
  }

  out(total: EmissionsData, delta: EmissionsData): Promise<void> {
    return this.push(total, delta);
  }

  exit(): Promise<void> {
    return this.enqueue(async () => {
      this.metrics.clear();
      if (!this.options.deleteOnExit) return;
      this.options.logger.info(`Deleting metrics from Prometheus Pushgateway (${this.groupUrl}).`);
      try {
        await this.bounded(this.gateway.delete(this.params()));
        this.health.succeeded();
      } catch (error) {
        this.health.failed(error);
      }
    });
  }

  private push(total: EmissionsData, delta: EmissionsData): Promise<void> {
    this.metrics.update(total, delta);
    return this.enqueue(async () => {
      try {
        await this.bounded(this.gateway.push(this.params()));
        this.health.succeeded();
      } catch (error) {
        this.health.failed(error);
      }
    });
  }

  private params(): { jobName: string; groupings: Record<string, string> } {
    return { jobName: this.options.job, groupings: this.options.grouping };
  }

  /**
   * prom-client's own timeout only covers an idle socket: a connection reset in the middle
   * of the answer leaves its promise pending for ever, and with it every later push and
   * stop(). This bounds the whole exchange and turns prom-client's error, which carries the
   * gateway's whole answer (an HTML page behind a proxy), into a short log phrase.
   */
  private async bounded(request: Promise<unknown>): Promise<void> {
    const limitMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no complete answer within ${limitMs / 1000} s`)),
        limitMs,
      );
      timer.unref();
    });
    try {
      await Promise.race([request, late]);
    } catch (error) {
      throw new Error(describePushFailure(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step);
    return this.queue;
  }
}

/** prom-client says `push failed with status 500, <the whole body>`: keep the status and gist. */
function describePushFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const answer = /^push failed with status (\d+), ([\s\S]*)$/.exec(message);
  if (!answer) return message;
  const excerpt = answerExcerpt(answer[2] ?? '', null);
  const status = `push failed with status ${answer[1]}`;
  return excerpt === '' ? status : `${status}: ${excerpt}`;
}
