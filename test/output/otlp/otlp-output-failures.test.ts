import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTracker } from '../prometheus/tracker-setup.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/**
 * A collector that sends 200 at once and then one byte of body every 100 ms, never ending:
 * the input found by test/robustness/server-faults.test.ts ('trickle').
 */
async function tricklingCollector(): Promise<string> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    const drip = () => {
      if (response.destroyed) return;
      response.write(' ');
      const timer = setTimeout(drip, 100);
      timers.add(timer);
    };
    drip();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('OTLP metrics output when the collector misbehaves', () => {
  it('an answer that never ends fails the export after the timeout (flush() used to wait for ever)', async () => {
    const url = await tricklingCollector();
    const { tracker, clock, messages } = makeTracker(
      { outputMethods: [], otlpEndpoint: url },
      { OTEL_EXPORTER_OTLP_TIMEOUT: '300' },
    );

    tracker.start();
    clock.advance(10);
    await expect(tracker.flush()).resolves.toBeGreaterThan(0);
    clock.advance(10);
    await expect(tracker.stop()).resolves.toBeGreaterThan(0);

    const warnings = messages.filter((m) => m.startsWith('warn:'));
    expect(warnings).toEqual([
      `warn: Sending OTLP metrics to ${url}/v1/metrics failed (no complete answer within 0.3 s); ` +
        'tracking continues and the next output retries. If it persists, check otlp_endpoint ' +
        '(or OTEL_EXPORTER_OTLP_ENDPOINT) and that the collector is reachable.',
    ]);
  });
});
