/**
 * One HTTP POST of a JSON body through Node's global `fetch`, always bounded in time, never
 * throwing, and described in a form fit for a log line (an HTML error page becomes its title).
 */

import { VERSION } from '../../version.js';

export interface PostOptions {
  /** Extra request headers (API token, idempotency key). Never logged. */
  headers?: Record<string, string>;
  /** The request is abandoned after this many milliseconds. */
  timeoutMs: number;
  /** Aborts the request early (the output is being released). */
  signal?: AbortSignal;
}

export interface PostResult {
  /** HTTP status, or undefined when no answer came (connection refused, timeout, abort). */
  status: number | undefined;
  /** The answer parsed as JSON, when it was JSON. */
  json: unknown;
  /** The status and a short excerpt of the answer, or why there was none; for logs. */
  summary: string;
}

/** What to do after an answer: keep it, try again later, stop trying, or drop this request. */
export type Verdict = 'accepted' | 'retry' | 'blocked' | 'rejected';

/** Longest answer excerpt put in a log line. */
const EXCERPT_CHARS = 200;

export async function postJson(
  url: string,
  body: unknown,
  options: PostOptions,
): Promise<PostResult> {
  const timeoutMs = Math.max(1, Math.ceil(options.timeoutMs));
  const external = options.signal;
  // A timer of our own rather than AbortSignal.timeout(): combined with the caller's signal
  // through AbortSignal.any(), a timeout signal is only weakly held and a garbage collection
  // can drop it before it fires (Node 20), leaving the request waiting on a server that never
  // ends its answer. The race below also ends the wait if fetch ignores the abort mid-body.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  timer.unref();
  const onExternalAbort = () => controller.abort();
  external?.addEventListener('abort', onExternalAbort, { once: true });
  if (external?.aborted) controller.abort();

  const abandoned = new Promise<PostResult>((resolve) => {
    const reason = () =>
      timedOut ? `no answer within ${seconds(options.timeoutMs)} s` : 'request abandoned';
    const settle = () => resolve({ status: undefined, json: undefined, summary: reason() });
    if (controller.signal.aborted) settle();
    else controller.signal.addEventListener('abort', settle, { once: true });
  });
  try {
    return await Promise.race([exchange(url, body, options, controller.signal), abandoned]);
  } finally {
    clearTimeout(timer);
    external?.removeEventListener('abort', onExternalAbort);
  }
}

async function exchange(
  url: string,
  body: unknown,
  options: PostOptions,
  signal: AbortSignal,
): Promise<PostResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `codecarbon-node/${VERSION}`,
        ...options.headers,
      },
      body: JSON.stringify(body),
      // A redirected POST may silently become a GET: report the redirect instead.
      redirect: 'manual',
      signal,
    });
    const text = await response.text();
    const json = parseJson(text, response.headers.get('content-type'));
    return { status: response.status, json, summary: summarise(response, text) };
  } catch (error) {
    return { status: undefined, json: undefined, summary: describeFailure(error, options) };
  }
}

/**
 * Network failures, timeouts, 408, 425, 429 and 5xx are worth retrying; 401, 403 and
 * redirects need the user to change the configuration; any other 4xx rejects this payload.
 */
export function classify(status: number | undefined): Verdict {
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 401 || status === 403 || (status >= 300 && status < 400)) return 'blocked';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  if (status >= 400) return 'rejected';
  return 'retry';
}

/** Replaces every occurrence of `secret` in `text` (a server may echo the token back). */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('<redacted>') : text;
}

function parseJson(text: string, contentType: string | null): unknown {
  if (!contentType?.includes('json') && !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function summarise(response: Response, text: string): string {
  const head = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const location = response.headers.get('location');
  if (location && response.status >= 300 && response.status < 400) {
    return `${head}, redirected to ${location}`;
  }
  const excerpt = answerExcerpt(text, response.headers.get('content-type'));
  return excerpt ? `${head}: ${excerpt}` : head;
}

/**
 * A server's answer fit for a log line: an HTML page is reduced to its title (or its text),
 * anything else to its first line(s), at most 200 characters.
 */
export function answerExcerpt(text: string, contentType: string | null): string {
  let plain = text;
  if (contentType?.includes('html') || /^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
    plain = title ?? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  }
  const flat = plain.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

function describeFailure(error: unknown, options: PostOptions): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${seconds(options.timeoutMs)} s`;
  if (err.name === 'AbortError') {
    return options.signal?.aborted
      ? 'request abandoned'
      : `no answer within ${seconds(options.timeoutMs)} s`;
  }
  const code = err.cause?.code;
  return code ? `${code} (${err.message ?? 'network error'})` : (err.message ?? String(error));
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
