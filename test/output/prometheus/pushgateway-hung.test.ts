/**
 * A pushgateway that accepts connections and never answers. Found by a fresh-user trial on the
 * built package: periodic pushes queued up behind each other, so flush() waited 9.6 s and
 * stop() 30 s (twice the 15 s limit on an output event) with the 5 s request timeout.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/log/logger.js';
import { loadPromClient } from '../../../src/output/prometheus/load-prom-client.js';
import { PushgatewayOutput } from '../../../src/output/prometheus/pushgateway-output.js';
import { makeRecord } from '../record-fixture.js';
import { type HungServer, startHungServer } from './hung-server.js';
import { failures, failuresAroundFlushAndStop } from './tracker-setup.js';

/** The tracker has no option for the pushgateway's 5 s timeout: the factory's call gets one. */
const TIMEOUT_MS = 300;
vi.mock('../../../src/output/prometheus/pushgateway-output.js', async (importOriginal) => {
  const real =
    await importOriginal<typeof import('../../../src/output/prometheus/pushgateway-output.js')>();
  class ShortTimeoutPushgatewayOutput extends real.PushgatewayOutput {
    constructor(...[prom, options]: ConstructorParameters<typeof real.PushgatewayOutput>) {
      super(prom, { timeoutMs: 300, ...options });
    }
  }
  return { ...real, PushgatewayOutput: ShortTimeoutPushgatewayOutput };
});

const servers: HungServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function hungGateway(): Promise<HungServer> {
  const server = await startHungServer();
  servers.push(server);
  return server;
}

function output(url: string, deleteOnExit = true) {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  const pushgateway = new PushgatewayOutput(loadPromClient(), {
    url,
    authorization: undefined,
    job: 'codecarbon_base',
    grouping: { instance: 'test-host' },
    deleteOnExit,
    logger,
    timeoutMs: TIMEOUT_MS,
  });
  return { pushgateway, lines };
}

describe('PushgatewayOutput against a gateway that never answers', () => {
  it('periodic pushes that come while one hangs make one push after it, not a queue', async () => {
    const gateway = await hungGateway();
    const { pushgateway, lines } = output(gateway.url);
    const record = makeRecord();

    const periodic = Array.from({ length: 5 }, () => pushgateway.liveOut(record, record));
    await Promise.all(periodic);

    // The first push timed out; the four later calls became one push, now in flight.
    expect(failures(lines)).toEqual([
      expect.stringMatching(/^warn: .* failed \(no complete answer within 0\.3 s\)/),
    ]);
    await vi.waitFor(() => expect(gateway.connections()).toBe(2));
    await pushgateway.exit();
  });

  it('out() pushes at once, superseding a periodic push in flight, and settles at its own timeout', async () => {
    const gateway = await hungGateway();
    const { pushgateway, lines } = output(gateway.url);
    const record = makeRecord();
    for (let i = 0; i < 5; i += 1) void pushgateway.liveOut(record, record);
    await vi.waitFor(() => expect(gateway.connections()).toBe(1)); // the first is in flight

    await pushgateway.out(record, record);

    // The superseded periodic push is not reported; the final one is, once. Before the fix
    // out() waited for five queued pushes first (five more failures).
    expect(failures(lines)).toEqual([
      expect.stringMatching(/^warn: .* failed \(no complete answer within 0\.3 s\)/),
    ]);
    expect(gateway.connections()).toBe(2);

    await pushgateway.exit();

    expect(failures(lines)).toHaveLength(2);
    expect(failures(lines)[1]).toMatch(/^debug: .* failed again \(no complete answer/);
    expect(lines).toContain(
      `info: Deleting metrics from Prometheus Pushgateway (${gateway.url}/metrics/job/codecarbon_base/instance/test-host).`,
    );
    expect(gateway.connections()).toBe(3); // periodic PUT, final PUT, DELETE: nothing queued
  });

  it('exit() aborts a push still in flight, so it cannot bring the group back after the DELETE', async () => {
    const gateway = await hungGateway();
    const { pushgateway, lines } = output(gateway.url);
    const record = makeRecord();
    const pushing = pushgateway.out(record, record);
    await vi.waitFor(() => expect(gateway.connections()).toBe(1)); // the push is in flight

    await Promise.all([pushing, pushgateway.exit()]); // as at a process exit: both at once

    // Only the DELETE is reported: the push it aborted says nothing.
    expect(failures(lines)).toEqual([
      expect.stringMatching(/^warn: .* failed \(no complete answer within 0\.3 s\)/),
    ]);
    expect(gateway.connections()).toBe(2);
  });

  it('without delete on exit, exit() waits for the push in flight (bounded) and sends nothing', async () => {
    const gateway = await hungGateway();
    const { pushgateway, lines } = output(gateway.url, false);
    const record = makeRecord();
    void pushgateway.liveOut(record, record);
    void pushgateway.liveOut(record, record); // waits for the first: dropped at exit

    await pushgateway.exit();

    expect(failures(lines)).toHaveLength(1);
    expect(lines.some((line) => line.includes('Deleting'))).toBe(false);
    expect(gateway.connections()).toBe(1);
  });
});

describe('a tracker pushing to a gateway that never answers', () => {
  it('flush() and stop() each wait for one push (and the DELETE), however many periodic pushes came before', async () => {
    const gateway = await hungGateway();
    const { duringFlush, duringStop, messages } = await failuresAroundFlushAndStop({
      outputMethods: ['prometheus'],
      prometheusUrl: gateway.url,
    });

    // Before the fix every queued periodic push failed before flush() returned. One more
    // than the final push is allowed: a periodic push may time out just as flush() starts.
    expect(duringFlush).toBeLessThanOrEqual(2);
    expect(duringStop).toBeLessThanOrEqual(3); // the final push, then the DELETE
    expect(messages.filter((m) => m.includes('has not finished'))).toEqual([]);
    const atStop = gateway.connections();
    await new Promise((resolve) => setTimeout(resolve, 2 * TIMEOUT_MS));
    expect(gateway.connections(), 'nothing is pushed after stop()').toBe(atStop);
  });
});
