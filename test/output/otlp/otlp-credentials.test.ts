import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { makeTracker } from '../prometheus/tracker-setup.js';
import { type Receiver, startReceiver } from './otlp-receiver.js';

const PASSWORD = 'SECRETPW';
const BASIC = `Basic ${Buffer.from(`u:${PASSWORD}`).toString('base64')}`;

describe('OTLP endpoint credentials', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('otlp_endpoint credentials arrive as a Basic header and never appear in a log line', async () => {
    const withCredentials = receiver.url.replace('//', `//u:${PASSWORD}@`);
    const { tracker, clock, messages } = makeTracker({
      outputMethods: [],
      otlpEndpoint: withCredentials,
    });
    tracker.start();
    receiver.status = 400;
    clock.advance(10);
    await tracker.flush();
    receiver.status = 200;
    clock.advance(10);
    await tracker.stop();

    const [received] = receiver.received;
    expect(received?.path).toBe('/v1/metrics');
    expect(received?.headers.authorization).toBe(BASIC);
    const log = messages.join('\n');
    expect(log).toContain(`to ${receiver.url}/v1/metrics (from otlp_endpoint)`);
    expect(log).toContain(`Sending OTLP metrics to ${receiver.url}/v1/metrics failed`);
    expect(log).not.toContain(PASSWORD);
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT credentials are used unless OTEL_EXPORTER_OTLP_HEADERS sets authorization', async () => {
    const withCredentials = receiver.url.replace('//', `//u:${PASSWORD}@`);
    const first = makeTracker(
      { outputMethods: [], saveToOtlp: true },
      { OTEL_EXPORTER_OTLP_ENDPOINT: withCredentials },
    );
    first.tracker.start();
    first.clock.advance(10);
    await first.tracker.stop();
    const second = makeTracker(
      { outputMethods: [], saveToOtlp: true },
      {
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${withCredentials}/custom`,
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20tok',
      },
    );
    second.tracker.start();
    second.clock.advance(10);
    await second.tracker.stop();

    expect(receiver.received.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/v1/metrics', BASIC],
      ['/custom', 'Bearer tok'],
    ]);
    const log = [...first.messages, ...second.messages].join('\n');
    expect(log).toContain(`to ${receiver.url}/v1/metrics (from OTEL_EXPORTER_OTLP_ENDPOINT)`);
    expect(log).not.toContain(PASSWORD);
  });

  it.each([
    `ftp://u:${PASSWORD}@127.0.0.1:4318`,
    `http://u:${PASSWORD}@:bad`,
    `http://${PASSWORD}@:bad`,
    `ftp:u:${PASSWORD}@127.0.0.1`,
  ])('an invalid endpoint %s is rejected without repeating the password', (value) => {
    const failures = [
      attempt(() => makeTracker({ otlpEndpoint: value })),
      attempt(() => makeTracker({ saveToOtlp: true }, { OTEL_EXPORTER_OTLP_ENDPOINT: value })),
      attempt(() =>
        makeTracker({ saveToOtlp: true }, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: value }),
      ),
    ];
    expect(failures.map((error) => error.key)).toEqual([
      'otlp_endpoint',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
    ]);
    for (const error of failures) {
      expect(error.message).toMatch(/expected an http:\/\/ or https:\/\/ URL/);
      expect(error.message).not.toContain(PASSWORD);
      expect(error.value).not.toContain(PASSWORD);
    }
  });
});

function attempt(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
