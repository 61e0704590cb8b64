import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { classify, postJson, redact } from '../../../src/output/api/post-json.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A server that answers every request with `status`, `contentType` and `body`. */
async function answering(status: number, contentType: string, body: string, delayMs = 0) {
  server = createServer((request, response) => {
    request.resume();
    setTimeout(() => {
      response.writeHead(status, { 'content-type': contentType, location: '/elsewhere' });
      response.end(body);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
}

describe('classify', () => {
  it('accepts 2xx, retries network failures, 408, 425, 429 and 5xx, stops on 401, 403 and 3xx, rejects other 4xx', () => {
    const statuses = [200, 201, undefined, 408, 425, 429, 500, 503, 401, 403, 301, 400, 404, 422];
    expect(statuses.map(classify)).toEqual([
      'accepted',
      'accepted',
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
      'blocked',
      'blocked',
      'blocked',
      'rejected',
      'rejected',
      'rejected',
    ]);
  });
});

describe('postJson', () => {
  it('parses a JSON answer', async () => {
    const url = await answering(201, 'application/json', '{"id":"r1"}');
    const result = await postJson(url, { a: 1 }, { timeoutMs: 2_000 });
    expect(result).toMatchObject({ status: 201, json: { id: 'r1' } });
  });

  it('reduces an HTML error page to its status and title', async () => {
    const page =
      '<html><head><title>504 Gateway Time-out</title></head><body><h1>x</h1></body></html>';
    const url = await answering(504, 'text/html', page);
    const result = await postJson(url, {}, { timeoutMs: 2_000 });
    expect(result.summary).toBe('HTTP 504 Gateway Timeout: 504 Gateway Time-out');
  });

  it('reports a redirect instead of following it', async () => {
    const url = await answering(308, 'text/plain', '');
    const result = await postJson(url, {}, { timeoutMs: 2_000 });
    expect(result.status).toBe(308);
    expect(result.summary).toMatch(/redirected to \/elsewhere/);
  });

  it('gives up after the timeout and says so, without throwing', async () => {
    const url = await answering(201, 'application/json', '{}', 1_000);
    const result = await postJson(url, {}, { timeoutMs: 100 });
    expect(result).toMatchObject({ status: undefined, summary: 'no answer within 0.1 s' });
  });

  it('names the network error when nobody listens', async () => {
    const url = await answering(201, 'application/json', '{}');
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const result = await postJson(url, {}, { timeoutMs: 2_000 });
    expect(result.status).toBeUndefined();
    expect(result.summary).toMatch(/^ECONNREFUSED/);
  });
});

describe('redact', () => {
  it('removes every occurrence of the secret', () => {
    expect(redact('bad token abc; abc again', 'abc')).toBe(
      'bad token <redacted>; <redacted> again',
    );
    expect(redact('nothing to hide', undefined)).toBe('nothing to hide');
  });
});
