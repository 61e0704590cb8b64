/**
 * The CodeCarbon API output (`save_to_api`, output method `api`): each delta record goes to
 * `POST /emissions` of a run created on first use, in order and once, whatever the server
 * does meanwhile (see DeliveryQueue and the spool).
 */

import type { ValueSource } from '../../config/options.js';
import type { Logger } from '../../log/logger.js';
import type { EmissionsData } from '../../records/emissions-data.js';
import type { OutputHandler } from '../handler.js';
import { toApiDelta, toRunBody } from './api-payloads.js';
import { ApiSender, RUN_META } from './api-sender.js';
import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import { parseEndpoint } from './endpoint-url.js';
import { QueuedOutput } from './queued-output.js';

export interface CodeCarbonApiOutputOptions {
  /** Base URL of the API. CodeCarbon's is `https://api.codecarbon.io`. */
  endpoint: string;
  /** Sent as `x-api-token`; never logged or written anywhere. */
  apiKey?: string | undefined;
  /** The API experiment the runs belong to. */
  experimentId: string;
  /** Directory of the spools (`.codecarbon-api-spool.*.jsonl`) and of rejected deltas. */
  outputDir: string;
  logger: Logger;
  /** Where `endpoint` came from, for the configuration error. Default: an option. */
  endpointSource?: ValueSource;
  /** Longest wait for one answer, ms. Default 10,000. */
  requestTimeoutMs?: number;
  /** Longest time flush and stop spend sending, ms. Default 5,000. */
  finalAttemptMs?: number;
  /** Waits between tries while the API fails. Default 1 s doubling up to 5 min. */
  backoff?: BackoffOptions;
  /** Resume spools left by ended processes. Default true. */
  resumeSpools?: boolean;
}

/** Default timeouts, ms. */
export const REQUEST_TIMEOUT_MS = 10_000;
export const FINAL_ATTEMPT_MS = 5_000;

/** File, in the output directory, of deltas the API rejected (with its answers). */
export const API_REJECTED_FILE = 'codecarbon-api-rejected.jsonl';

export class CodeCarbonApiOutput implements OutputHandler {
  /** The API's base URL, without credentials. */
  readonly endpoint: string;
  private readonly experimentId: string;
  private readonly queued: QueuedOutput;

  constructor(options: CodeCarbonApiOutputOptions) {
    const endpoint = parseEndpoint(
      'api_endpoint',
      options.endpoint,
      options.endpointSource ?? { kind: 'option' },
      true,
    );
    this.endpoint = endpoint.url;
    this.experimentId = options.experimentId;
    this.queued = new QueuedOutput({
      kind: 'api',
      target: endpoint.url,
      experimentId: options.experimentId,
      outputDir: options.outputDir,
      logger: options.logger,
      label: `the CodeCarbon API at ${endpoint.url}`,
      noun: 'delta',
      settings: 'api_endpoint, experiment_id',
      rejectedFile: API_REJECTED_FILE,
      requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      finalAttemptMs: options.finalAttemptMs ?? FINAL_ATTEMPT_MS,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      resume: options.resumeSpools ?? true,
      makeStrategy: (spool) =>
        new ApiSender({
          endpoint: endpoint.url,
          headers: endpoint.headers,
          apiKey: options.apiKey,
          experimentId: options.experimentId,
          spool,
          logger: options.logger,
        }),
    });
  }

  /** A periodic delta: spooled now, sent in the background. */
  liveOut(_total: EmissionsData, delta: EmissionsData): void {
    this.add(delta);
  }

  /** flush() and stop(): the delta is spooled, then sent within the final-attempt time. */
  out(_total: EmissionsData, delta: EmissionsData): Promise<void> {
    this.add(delta);
    return this.queued.sendNow();
  }

  /** stop(): short leftovers go now; what cannot be sent stays in the spool, said once. */
  exit(): Promise<void> {
    return this.queued.finish();
  }

  private add(delta: EmissionsData): void {
    this.queued.add(delta.runId, toApiDelta(delta), () => ({
      [RUN_META]: toRunBody(delta, this.experimentId),
    }));
  }
}
