import { describe, expect, it } from 'vitest';
import { httpGet, isTransient, parseJsonObject } from '../../src/location/http-get.js';
import { refusedUrl, startFakeServer } from './fake-server.js';

describe('httpGet', () => {
  it('returns the status, body and headers of a 2xx answer', async () => {
    const server = await startFakeServer({
      '/doc': { body: { a: 1 }, headers: { 'x-flavor': 'test' } },
    });
    const outcome = await httpGet({ url: `${server.url}/doc`, timeoutMs: 2000 });
    expect(outcome).toMatchObject({ ok: true, status: 200, body: '{"a":1}' });
    expect(outcome.ok && outcome.headers['x-flavor']).toBe('test');
  });

  it('sends the method and headers it is given', async () => {
    const server = await startFakeServer({ 'PUT /token': { body: 'abc' } });
    await httpGet({
      url: `${server.url}/token`,
      method: 'PUT',
      headers: { 'x-ttl': '60' },
      timeoutMs: 2000,
    });
    expect(server.requests[0]?.method).toBe('PUT');
    expect(server.requests[0]?.headers['x-ttl']).toBe('60');
  });

  it('turns a 5xx with an HTML body into a status failure that keeps the body', async () => {
    const server = await startFakeServer({ '/x': { status: 503, body: '<html>down</html>' } });
    const outcome = await httpGet({ url: `${server.url}/x`, timeoutMs: 2000 });
    expect(outcome).toEqual({
      ok: false,
      kind: 'status',
      status: 503,
      body: '<html>down</html>',
      reason: 'HTTP 503',
    });
    expect(isTransient(outcome)).toBe(true);
  });

  it('gives up on a server that never answers after timeoutMs', async () => {
    const server = await startFakeServer({ '/slow': { hang: true } });
    const outcome = await httpGet({ url: `${server.url}/slow`, timeoutMs: 50 });
    expect(outcome).toMatchObject({ ok: false, kind: 'timeout' });
    expect(isTransient(outcome)).toBe(true);
  });

  it('reports a refused connection as a network failure', async () => {
    const outcome = await httpGet({ url: `${await refusedUrl()}/x`, timeoutMs: 2000 });
    expect(outcome).toMatchObject({ ok: false, kind: 'network', reason: 'ECONNREFUSED' });
  });

  it('stops when its signal aborts', async () => {
    const server = await startFakeServer({ '/slow': { hang: true } });
    const controller = new AbortController();
    const pending = httpGet({
      url: `${server.url}/slow`,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    await server.waitForRequests(1);
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, kind: 'aborted' });
  });

  it('refuses bodies over the size limit', async () => {
    const server = await startFakeServer({ '/big': { body: 'x'.repeat(5000) } });
    const outcome = await httpGet({
      url: `${server.url}/big`,
      timeoutMs: 2000,
      maxBodyBytes: 1000,
    });
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'network',
      reason: 'response body over 1000 bytes',
    });
  });

  it('rejects URLs that are not http(s) without sending anything', async () => {
    expect(await httpGet({ url: 'ftp://example.invalid/x', timeoutMs: 100 })).toMatchObject({
      ok: false,
      reason: 'unsupported URL scheme ftp:',
    });
    expect(await httpGet({ url: 'not a url', timeoutMs: 100 })).toMatchObject({
      ok: false,
      reason: 'invalid URL',
    });
  });

  it('does not retry client errors', async () => {
    const server = await startFakeServer({ '/x': { status: 404, body: 'no' } });
    expect(isTransient(await httpGet({ url: `${server.url}/x`, timeoutMs: 2000 }))).toBe(false);
  });
});

describe('parseJsonObject', () => {
  it('names what is wrong with a body that is not a JSON object', () => {
    expect(parseJsonObject('<!DOCTYPE html><p>x</p>')).toBe('the answer is HTML, not JSON');
    expect(parseJsonObject('{"a": ')).toBe('the answer is not valid JSON');
    expect(parseJsonObject('[1]')).toBe('the answer is JSON but not an object');
    expect(parseJsonObject(' {"a": 1} ')).toEqual({ a: 1 });
  });
});
