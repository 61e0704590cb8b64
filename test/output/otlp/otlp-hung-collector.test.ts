/**
 * An OTLP collector that accepts connections and never answers. Found by a fresh-user trial on
 * the built package: periodic exports queued up behind each other, so flush() waited 15 s (the
 * limit on an output event) and stop() 30 s, where the README promises the request timeout
 * plus one second.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/log/logger.js';
import { OtlpMetricsOutput } from '../../../src/output/otlp/otlp-output.js';
import { type HungServer, startHungServer } from '../prometheus/hung-server.js';
import { failures, failuresAroundFlushAndStop } from '../prometheus/tracker-setup.js';
import { makeRecord } from '../record-fixture.js';

const TIMEOUT_MS = 300;

const servers: HungServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function hungCollector(): Promise<HungServer> {
  const server = await startHungServer();
  servers.push(server);
  return server;
}

function output(url: string) {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  const otlp = new OtlpMetricsOutput({
    name: 'OTLP',
    url: `${url}/v1/metrics`,
    headers: {},
    timeoutMs: TIMEOUT_MS,
    temporality: 'cumulative',
    resource: { 'service.name': 'codecarbon' },
    experimentName: 'base',
    logger,
  });
  return { otlp, lines };
}

describe('OtlpMetricsOutput against a collector that never answers', () => {
  it('out() exports at once beside a periodic export in flight and settles at its own timeout', async () => {
    const collector = await hungCollector();
    const { otlp, lines } = output(collector.url);
    const record = makeRecord();
    for (let i = 0; i < 5; i += 1) void otlp.liveOut(record, record);
    await vi.waitFor(() => expect(collector.connections()).toBe(1)); // the first is in flight

    await otlp.out(record, record);

    // The periodic export and the final one each failed once; before the fix out() waited
    // for five queued exports first (five more failures).
    expect(failures(lines)).toEqual([
      expect.stringMatching(/^warn: .* failed \(no complete answer within 0\.3 s\)/),
      expect.stringMatching(/^debug: .* failed again \(no complete answer within 0\.3 s\)/),
    ]);
    expect(collector.connections()).toBe(2);

    await otlp.exit();

    // The periodic calls that waited behind the first export are dropped at exit: the final
    // export carried their values. Before the fix they went on after exit() (and failed with
    // "MetricReader is shutdown").
    expect(failures(lines)).toHaveLength(2);
    expect(collector.connections()).toBe(2);
  });

  it('exit() waits for the export in flight, bounded by its timeout, at a process exit', async () => {
    const collector = await hungCollector();
    const { otlp, lines } = output(collector.url);
    const record = makeRecord();

    await Promise.all([otlp.out(record, record), otlp.exit()]);

    expect(failures(lines)).toEqual([
      expect.stringMatching(/^warn: .* failed \(no complete answer within 0\.3 s\)/),
    ]);
    expect(collector.connections()).toBe(1);
  });
});

describe('a tracker sending OTLP metrics to a collector that never answers', () => {
  it('flush() and stop() each wait for one export, however many periodic exports came before', async () => {
    const collector = await hungCollector();
    const { duringFlush, duringStop, messages } = await failuresAroundFlushAndStop(
      { outputMethods: [], otlpEndpoint: collector.url },
      { OTEL_EXPORTER_OTLP_TIMEOUT: String(TIMEOUT_MS) },
    );

    // Before the fix every queued periodic export failed before flush() returned. The final
    // export and the periodic one in flight beside it may both fail meanwhile.
    expect(duringFlush).toBeLessThanOrEqual(2);
    expect(duringStop).toBeLessThanOrEqual(2);
    expect(messages.filter((m) => /has not finished|still being sent|shutdown/.test(m))).toEqual(
      [],
    );
    const atStop = collector.connections();
    await new Promise((resolve) => setTimeout(resolve, 2 * TIMEOUT_MS));
    expect(collector.connections(), 'nothing is exported after stop()').toBe(atStop);
  });
});
