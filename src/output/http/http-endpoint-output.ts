/**
 * The `emissions_endpoint` output: on flush and stop, the run's total record is POSTed as
 * JSON (snake_case fields, null for missing values, plus `user`, CodeCarbon's OS login
 * name). Same guarantees as the API output: spooled first, retried with backoff, sent in
 * order and once, bounded at stop, never thrown into the caller.
 */

import { userInfo } from 'node:os';
import type { ValueSource } from '../../config/options.js';
import type { Logger } from '../../log/logger.js';
import type { EmissionsData } from '../../records/emissions-data.js';
import { FINAL_ATTEMPT_MS, REQUEST_TIMEOUT_MS } from '../api/api-output.js';
import { type BackoffOptions, DEFAULT_BACKOFF } from '../api/backoff.js';
import type { AttemptContext, Delivery, DeliveryStrategy } from '../api/delivery-queue.js';
import { parseEndpoint } from '../api/endpoint-url.js';
import { classify, postJson } from '../api/post-json.js';
import { QueuedOutput } from '../api/queued-output.js';
import type { SpoolFile, SpoolItem } from '../api/spool-file.js';
import type { OutputHandler } from '../handler.js';
import { type JsonField, toJsonRecord } from './json-record.js';

export interface HttpEndpointOutputOptions {
  /** The URL that receives each record (`emissions_endpoint`). */
  url: string;
  /** Directory of the spools (`.codecarbon-http-spool.*.jsonl`) and of rejected records. */
  outputDir: string;
  logger: Logger;
  /** Where `url` came from, for the configuration error. Default: an option. */
  urlSource?: ValueSource;
  /** Longest wait for one answer, ms. Default 10,000. */
  requestTimeoutMs?: number;
  /** Longest time flush and stop spend sending, ms. Default 5,000. */
  finalAttemptMs?: number;
  backoff?: BackoffOptions;
  /** Resume spools left by ended processes. Default true. */
  resumeSpools?: boolean;
}

/** File, in the output directory, of records the endpoint rejected (with its answers). */
export const HTTP_REJECTED_FILE = 'codecarbon-http-rejected.jsonl';

export class HttpEndpointOutput implements OutputHandler {
  /** The endpoint, without credentials. */
  readonly url: string;
  private readonly queued: QueuedOutput;

  constructor(options: HttpEndpointOutputOptions) {
    const endpoint = parseEndpoint(
      'emissions_endpoint',
      options.url,
      options.urlSource ?? { kind: 'option' },
      false,
    );
    this.url = endpoint.url;
    this.queued = new QueuedOutput({
      kind: 'http',
      target: endpoint.url,
      experimentId: '',
      outputDir: options.outputDir,
      logger: options.logger,
      label: `the emissions endpoint ${endpoint.url}`,
      noun: 'record',
      settings: 'emissions_endpoint',
      rejectedFile: HTTP_REJECTED_FILE,
      requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      finalAttemptMs: options.finalAttemptMs ?? FINAL_ATTEMPT_MS,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      resume: options.resumeSpools ?? true,
      makeStrategy: (spool) => new HttpPostSender(endpoint.url, endpoint.headers, spool),
    });
  }

  /** flush() and stop(): the total record is spooled, then sent within the final-attempt time. */
  out(total: EmissionsData, _delta?: EmissionsData): Promise<void> {
    this.queued.add(total.runId, httpBody(total), () => ({}));
    return this.queued.sendNow();
  }

  /** stop(): what cannot be sent stays in the spool, said once. */
  exit(): Promise<void> {
    return this.queued.finish();
  }
}

/** The JSON record plus `user`, as CodeCarbon's HTTP output sends it. */
export function httpBody(total: EmissionsData): Record<string, JsonField> {
  return { ...toJsonRecord(total), user: loginName() };
}

class HttpPostSender implements DeliveryStrategy {
  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly spool: SpoolFile,
  ) {}

  async deliver(pending: readonly SpoolItem[], attempt: AttemptContext): Promise<Delivery> {
    const head = pending[0];
    if (!head) return { kind: 'wait' };
    const result = await postJson(this.url, head.body, {
      headers: { ...this.headers, 'idempotency-key': `codecarbon-${this.spool.runId}-${head.seq}` },
      timeoutMs: attempt.timeoutMs,
      signal: attempt.signal,
    });
    switch (classify(result.status)) {
      case 'accepted':
        return { kind: 'delivered', through: head.seq };
      case 'retry':
        return { kind: 'retry', reason: result.summary };
      case 'blocked':
        return { kind: 'blocked', reason: `${result.summary}; check emissions_endpoint` };
      case 'rejected':
        return { kind: 'rejected', through: head.seq, reason: result.summary, request: head.body };
    }
  }
}

function loginName(): string | null {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the environment.
    return process.env.USER ?? process.env.USERNAME ?? null;
  }
}
