/**
 * Delivers one run's deltas to the CodeCarbon API: creates the run on the first delivery
 * (`POST /runs`, its server id kept in the spool), then `POST /emissions` per delta group.
 * Every request carries an `Idempotency-Key` derived from the local run id and the delta's
 * sequence number, the same on every retry and in every process, so a server that honours
 * it stores a delta once even when an answer was lost and the delta was sent again.
 */

import type { Logger } from '../../log/logger.js';
import { nextGroup } from './api-delta-merge.js';
import { toEmissionBody } from './api-payloads.js';
import type { AttemptContext, Delivery, DeliveryStrategy } from './delivery-queue.js';
import { classify, type PostResult, postJson, redact } from './post-json.js';
import type { SpoolFile, SpoolItem } from './spool-file.js';

/** Spool meta keys. */
export const RUN_META = 'run';
export const SERVER_RUN_ID_META = 'serverRunId';

export interface ApiSenderOptions {
  /** Base URL without trailing slash or credentials, e.g. `https://api.codecarbon.io`. */
  endpoint: string;
  /** Extra headers (credentials that were written in the endpoint URL). Never logged. */
  headers?: Record<string, string>;
  /** Sent as `x-api-token`; never logged, never spooled. */
  apiKey: string | undefined;
  experimentId: string;
  /** The run's spool: holds the run payload and, once created, the server's run id. */
  spool: SpoolFile;
  logger: Logger;
}

export class ApiSender implements DeliveryStrategy {
  constructor(private readonly options: ApiSenderOptions) {}

  async deliver(pending: readonly SpoolItem[], attempt: AttemptContext): Promise<Delivery> {
    const group = nextGroup(pending, attempt.final);
    if (!group) return { kind: 'wait' };
    if (!group.delta) {
      this.options.logger.debug('CodeCarbon API: the last delta holds no energy; nothing to send.');
      return { kind: 'delivered', through: group.through };
    }

    const runId = await this.ensureRun(attempt);
    if (typeof runId !== 'string') return runId;

    const body = toEmissionBody(group.delta, runId);
    const result = await this.post('/emissions', body, `${group.through}`, attempt);
    switch (classify(result.status)) {
      case 'accepted':
        return { kind: 'delivered', through: group.through };
      case 'retry':
        return { kind: 'retry', reason: this.reason(result) };
      case 'blocked':
        return { kind: 'blocked', reason: `${this.reason(result)}; ${hint(result.status)}` };
      case 'rejected':
        return {
          kind: 'rejected',
          through: group.through,
          reason: this.reason(result),
          request: body,
        };
    }
  }

  /** The server's run id, creating the run first if needed; or why it cannot be had. */
  private async ensureRun(attempt: AttemptContext): Promise<string | Delivery> {
    const { spool, logger, experimentId } = this.options;
    const known = spool.getMeta(SERVER_RUN_ID_META);
    if (typeof known === 'string') return known;

    const result = await this.post('/runs', spool.getMeta(RUN_META), 'run', attempt);
    const verdict = classify(result.status);
    const id = (result.json as { id?: unknown } | undefined)?.id;
    if (verdict === 'accepted' && typeof id === 'string' && id !== '') {
      try {
        spool.setMeta(SERVER_RUN_ID_META, id);
      } catch {
        // Kept in memory; the spool gets it when it is next written.
      }
      logger.info(
        `CodeCarbon API: registered run ${spool.runId} as run ${id} of experiment ${experimentId}.`,
      );
      return id;
    }
    const reason = `creating the run: ${this.reason(result)}`;
    if (verdict === 'accepted') return { kind: 'retry', reason: `${reason}, without a run id` };
    if (verdict === 'retry') return { kind: 'retry', reason };
    // Without a run no delta can be sent: wait for the configuration to be fixed.
    return { kind: 'blocked', reason: `${reason}; ${hint(result.status, 'run')}` };
  }

  private post(
    path: string,
    body: unknown,
    key: string,
    attempt: AttemptContext,
  ): Promise<PostResult> {
    const { apiKey, endpoint, spool } = this.options;
    const headers: Record<string, string> = {
      ...this.options.headers,
      'idempotency-key': `codecarbon-${spool.runId}-${key}`,
    };
    if (apiKey) headers['x-api-token'] = apiKey;
    return postJson(`${endpoint}${path}`, body, {
      headers,
      timeoutMs: attempt.timeoutMs,
      signal: attempt.signal,
    });
  }

  private reason(result: PostResult): string {
    return redact(result.summary, this.options.apiKey);
  }
}

/** What the user can do about a refusal. */
function hint(status: number | undefined, what: 'run' | 'delta' = 'delta'): string {
  if (status === 401 || status === 403) return 'check api_key';
  if (status !== undefined && status >= 300 && status < 400) {
    return 'set api_endpoint to the address it redirects to';
  }
  return what === 'run' ? 'check experiment_id and api_endpoint' : 'check api_endpoint';
}
