import type { Agent } from 'node:http';
import type { Pushgateway, RegistryContentType } from 'prom-client';
import type { Logger } from '../../log/logger.js';
import type { EmissionsData } from '../../records/emissions-data.js';
import { answerExcerpt } from '../api/post-json.js';
import type { OutputHandler } from '../handler.js';
import { LatestStateRequests } from '../latest-state-requests.js';
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
 * output pushes the latest values again, so nothing is queued: each of `out()` and `exit()`
 * settles within one request timeout, however slow the gateway.
 */
export class PushgatewayOutput implements OutputHandler {
  private readonly metrics: PushMetrics;
  private readonly requestOptions: Record<string, unknown>;
  private readonly requests: LatestStateRequests;

  constructor(
    private readonly prom: PromClientModule,
    private readonly options: PushgatewayOutputOptions,
  ) {
    this.metrics = new PushMetrics(prom);
    const headers: Record<string, string> = {};
    if (options.authorization !== undefined) headers.Authorization = options.authorization;
    const limitMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.requestOptions = {
      timeout: limitMs,
      headers,
      ...(options.agent ? { agent: options.agent } : {}),
    };
    this.requests = new LatestStateRequests({
      limitMs,
      health: new FailureTracker(
        options.logger,
        `Pushing metrics to ${this.groupUrl}`,
        'prometheus_url and that the pushgateway is running',
      ),
      describe: describePushFailure,
    });
  }

  /** `<url>/metrics/job/<job>/<label>/<value>…`, for messages. */
  get groupUrl(): string {
    const grouping = Object.entries(this.options.grouping)
      .map(([key, value]) => `/${key}/${encodeURIComponent(value)}`)
      .join('');
    return `${this.options.url}/metrics/job/${encodeURIComponent(this.options.job)}${grouping}`;
  }

  /** A push still in flight is awaited, then the latest values go once. */
  liveOut(total: EmissionsData, delta: EmissionsData): Promise<void> {
    this.metrics.update(total, delta);
    return this.requests.periodic((signal) => this.gateway(signal).push(this.params()));
  }

  /** Pushes now, aborting a periodic push still in flight (its values are older). */
  out(total: EmissionsData, delta: EmissionsData): Promise<void> {
    this.metrics.update(total, delta);
    return this.requests.final((signal) => this.gateway(signal).push(this.params()), true);
  }

  /**
   * Deletes the group when configured. Pushes still in flight are aborted first: one landing
   * after the DELETE would bring the group back, and the gateway never expires groups.
   */
  exit(): Promise<void> {
    if (!this.options.deleteOnExit) {
      this.requests.dropFollowUp();
      return this.requests.settled().then(() => this.metrics.clear());
    }
    this.metrics.clear();
    this.options.logger.info(`Deleting metrics from Prometheus Pushgateway (${this.groupUrl}).`);
    return this.requests.final((signal) => this.gateway(signal).delete(this.params()), true);
  }

  /**
   * A client for one request. prom-client's own timeout only covers an idle socket (a
   * connection reset in the middle of the answer leaves its promise pending for ever); the
   * signal, aborted at the request's limit or when a newer request supersedes it, ends the
   * whole exchange and frees its socket.
   */
  private gateway(signal: AbortSignal): Pushgateway<RegistryContentType> {
    return new this.prom.Pushgateway(
      this.options.url,
      { ...this.requestOptions, signal },
      this.metrics.registry,
    );
  }

  private params(): { jobName: string; groupings: Record<string, string> } {
    return { jobName: this.options.job, groupings: this.options.grouping };
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
