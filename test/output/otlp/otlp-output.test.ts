import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeKwh, makeTracker } from '../prometheus/tracker-setup.js';
import { pointsOf, type Receiver, startReceiver } from './otlp-receiver.js';

const FRANCE_G_PER_KWH = 56.039;
const CUMULATIVE = 2;

describe('OTLP metrics output', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('sends cumulative counters and delta gauges with units to otlp_endpoint + /v1/metrics', async () => {
    const { tracker, clock } = makeTracker({
      outputMethods: [],
      otlpEndpoint: receiver.url,
      projectName: 'otel',
    });
    tracker.start();
    clock.advance(60);
    await tracker.flush();
    clock.advance(30);
    await tracker.stop();

    expect(receiver.received).toHaveLength(2);
    const last = receiver.received[1];
    expect(last?.path).toBe('/v1/metrics');
    expect(last?.headers['content-type']).toBe('application/json');
    expect(last?.resource).toMatchObject({ 'service.name': 'codecarbon', 'host.name': hostname() });

    const [duration] = pointsOf(last, 'codecarbon_duration');
    expect(duration).toMatchObject({ kind: 'sum', unit: 's', temporality: CUMULATIVE });
    expect(duration?.value).toBeCloseTo(90, 9);
    const [energy] = pointsOf(last, 'codecarbon_energy_consumed');
    expect(energy).toMatchObject({ kind: 'sum', unit: 'kWh' });
    expect(energy?.value).toBeCloseTo(fakeKwh(90), 15);
    const [emissions] = pointsOf(last, 'codecarbon_emissions');
    expect(emissions?.unit).toBe('kg');
    expect(emissions?.value).toBeCloseTo((fakeKwh(90) * FRANCE_G_PER_KWH) / 1000, 15);

    // Gauges hold the last interval (30 s).
    const [cpuPower] = pointsOf(last, 'codecarbon_cpu_power');
    expect(cpuPower).toMatchObject({ kind: 'gauge', unit: 'W', value: 30 });
    const [cpuEnergy] = pointsOf(last, 'codecarbon_cpu_energy');
    expect(cpuEnergy?.unit).toBe('kWh');
    expect(cpuEnergy?.value).toBeCloseTo(fakeKwh(30, 30), 15);
    expect(pointsOf(last, 'codecarbon_emissions_rate')[0]?.unit).toBe('kg/s');
    expect(pointsOf(last, 'codecarbon_ram_power')[0]?.value).toBe(10);

    expect(cpuPower?.attributes).toMatchObject({
      project_name: 'otel',
      experiment_name: 'base',
      run_id: tracker.runId,
      cpu_method: 'fake-cpu',
      gpu_method: 'none',
      ram_method: 'fake-ram',
      carbon_intensity_source: 'country',
      country_iso_code: 'FRA',
      tracking_mode: 'machine',
    });
    expect(cpuPower?.attributes).not.toHaveProperty('region'); // unknown: left out
  });

  it('follows OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS and OTEL_SERVICE_NAME', async () => {
    const { tracker, clock, messages } = makeTracker(
      { outputMethods: [], saveToOtlp: true },
      {
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/custom/metrics`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret%20key,x-team=green',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-team=blue',
        OTEL_SERVICE_NAME: 'batch-jobs',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=ci',
      },
    );
    tracker.start();
    clock.advance(10);
    await tracker.stop();

    const [received] = receiver.received;
    expect(received?.path).toBe('/custom/metrics');
    expect(received?.headers['x-api-key']).toBe('s3cret key');
    expect(received?.headers['x-team']).toBe('blue');
    expect(received?.resource).toMatchObject({
      'service.name': 'batch-jobs',
      'deployment.environment': 'ci',
    });
    expect(messages.join('\n')).toContain('with headers x-api-key, x-team');
    expect(messages.join('\n')).not.toContain('s3cret');
  });

  it('a refused export is logged once, never thrown, and the next output sends everything again', async () => {
    const { tracker, clock, messages } = makeTracker({
      outputMethods: [],
      otlpEndpoint: receiver.url,
    });
    tracker.start();
    receiver.status = 400;
    clock.advance(10);
    await expect(tracker.flush()).resolves.toBeGreaterThan(0);
    clock.advance(10);
    await tracker.flush();
    expect(messages.filter((m) => m.startsWith('warn:'))).toHaveLength(1);

    receiver.status = 200;
    clock.advance(10);
    await tracker.stop();
    expect(messages.filter((m) => m.includes('works again'))).toHaveLength(1);
    const [received] = receiver.received;
    // Cumulative counters: the one export that arrived covers all 30 s.
    expect(pointsOf(received, 'codecarbon_duration')[0]?.value).toBeCloseTo(30, 9);
  });

  it('stop() waits for a collector that never answers only up to the request timeout', async () => {
    receiver.status = 'hang';
    const { tracker, clock, messages } = makeTracker(
      { outputMethods: [], otlpEndpoint: receiver.url },
      { OTEL_EXPORTER_OTLP_TIMEOUT: '200' },
    );
    tracker.start();
    clock.advance(10);

    await expect(tracker.stop()).resolves.toBeGreaterThan(0);
    expect(messages.filter((m) => m.startsWith('warn:')).join('\n')).toContain(
      `Sending OTLP metrics to ${receiver.url}/v1/metrics failed`,
    );
  });

  it('an endpoint that is not an http(s) URL is rejected when the tracker is built', () => {
    expect(() => makeTracker({ otlpEndpoint: 'collector:4318' })).toThrow(
      /Invalid otlp_endpoint "collector:4318" from option otlpEndpoint: expected an http:\/\/ or https:\/\/ URL/,
    );
  });
});
