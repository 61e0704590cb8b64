/**
 * One HTTP request with a deadline, for the location, cloud metadata and live-intensity
 * clients. Every failure becomes a value, never a rejection, so each caller decides what to
 * retry and what to log. The socket and the timer are unref'd: a lookup in flight never keeps
 * the host process alive.
 */

import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpRequest {
  url: string;
  /** Default `GET`. */
  method?: 'GET' | 'PUT';
  headers?: Record<string, string>;
  /** The whole exchange (connect, headers, body) must end within this many ms. */
  timeoutMs: number;
  /** Aborts the request early, e.g. when the tracker stops. */
  signal?: AbortSignal;
  /** Bodies above this size are an error, bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

export type HttpOutcome =
  | { ok: true; status: number; body: string; headers: IncomingHttpHeaders }
  | { ok: false; kind: 'status'; status: number; body: string; reason: string }
  | { ok: false; kind: 'timeout' | 'network' | 'aborted'; reason: string };

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Sends one request; resolves with its outcome, never rejects. */
export function httpGet(request: HttpRequest): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    const target = parseUrl(request.url);
    if (typeof target === 'string') {
      resolve({ ok: false, kind: 'network', reason: target });
      return;
    }
    if (request.signal?.aborted) {
      resolve({ ok: false, kind: 'aborted', reason: 'aborted' });
      return;
    }

    let done = false;
    const finish = (outcome: HttpOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (!outcome.ok) client.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ ok: false, kind: 'aborted', reason: 'aborted' });

    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const client = send(
      target,
      { method: request.method ?? 'GET', headers: request.headers ?? {}, agent: false },
      (response) => {
        const limit = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            finish({ ok: false, kind: 'network', reason: `response body over ${limit} bytes` });
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) => finish(networkFailure(error)));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString('utf8');
          if (status >= 200 && status < 300) {
            finish({ ok: true, status, body, headers: response.headers });
          } else {
            finish({ ok: false, kind: 'status', status, body, reason: `HTTP ${status}` });
          }
        });
      },
    );
    client.on('socket', (socket) => socket.unref());
    client.on('error', (error) => finish(networkFailure(error)));

    const timer = setTimeout(
      () =>
        finish({ ok: false, kind: 'timeout', reason: `no answer within ${request.timeoutMs} ms` }),
      request.timeoutMs,
    );
    timer.unref();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    client.end();
  });
}

/** A JSON object from a body, or a phrase saying why it is not one. */
export function parseJsonObject(body: string): Record<string, unknown> | string {
  const text = body.trim();
  if (text.startsWith('<')) return 'the answer is HTML, not JSON';
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    return 'the answer is JSON but not an object';
  } catch {
    return 'the answer is not valid JSON';
  }
}

/** Transient failures are worth one more try; a 4xx or a malformed answer is not. */
export function isTransient(outcome: HttpOutcome): boolean {
  if (outcome.ok) return false;
  if (outcome.kind === 'timeout' || outcome.kind === 'network') return true;
  return outcome.kind === 'status' && (outcome.status >= 500 || outcome.status === 429);
}

/** Resolves after `ms` (an unref'd timer), or at once when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}

function parseUrl(url: string): URL | string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed;
    return `unsupported URL scheme ${parsed.protocol}`;
  } catch {
    return 'invalid URL';
  }
}

function networkFailure(error: unknown): HttpOutcome {
  const code = (error as { code?: unknown }).code;
  const reason =
    typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return { ok: false, kind: 'network', reason };
}
