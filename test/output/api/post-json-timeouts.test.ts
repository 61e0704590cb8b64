import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../../../src/output/api/post-json.js';

// Garbage collections on demand, as a busy process has them (vitest runs without --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: Server | undefined;
const timers = new Set<NodeJS.Timeout>();
afterEach(async () => {
  for (const timer of timers) clearTimeout(timer);
  await new Promise<void>((resolve) => {
    server?.closeAllConnections();
    server ? server.close(() => resolve()) : resolve();
  });
});

/** 200 at once, then one byte of body every 100 ms, never ending. */
async function trickling(): Promise<string> {
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    const drip = () => {
      if (response.destroyed) return;
      response.write(' ');
      timers.add(setTimeout(drip, 100));
    };
    drip();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
}

describe('postJson against an answer that never ends', () => {
  it('gives up after timeoutMs even when garbage collections run meanwhile', async () => {
    // Input found by test/robustness/server-faults.test.ts ('trickle', HTTP endpoint): the
    // timeout signal, combined with the output's long-lived one, was collected before it
    // fired, and the request waited for ever.
    const url = await trickling();
    const release = new AbortController();
    const collecting = setInterval(gc, 20);
    try {
      const results = await Promise.all(
        [1, 2, 3].map(() => postJson(url, {}, { timeoutMs: 300, signal: release.signal })),
      );
      expect(results.map((result) => result.summary)).toEqual([
        'no answer within 0.3 s',
        'no answer within 0.3 s',
        'no answer within 0.3 s',
      ]);
    } finally {
      clearInterval(collecting);
    }
  }, 5_000);

  it('ends at once, as abandoned, when the caller aborts', async () => {
    const url = await trickling();
    const release = new AbortController();
    const pending = postJson(url, {}, { timeoutMs: 60_000, signal: release.signal });
    setTimeout(() => release.abort(), 50);
    await expect(pending).resolves.toMatchObject({
      status: undefined,
      summary: 'request abandoned',
    });
  }, 5_000);
});
