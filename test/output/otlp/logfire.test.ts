import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveLogfireTarget } from '../../../src/output/otlp/logfire-target.js';
import { fakeKwh, makeTracker } from '../prometheus/tracker-setup.js';
import { pointsOf, type Receiver, startReceiver } from './otlp-receiver.js';

const TOKEN = 'pylf_v1_eu_0123456789abcdefTESTTOKEN';
const DELTA = 1;

describe('Logfire endpoint from the write token', () => {
  it('uses the region named in the token', () => {
    expect(resolveLogfireTarget({ LOGFIRE_TOKEN: TOKEN })).toEqual({
      url: 'https://logfire-eu.pydantic.dev/v1/metrics',
      headers: { Authorization: TOKEN },
      origin: 'token region eu',
    });
    expect(resolveLogfireTarget({ LOGFIRE_TOKEN: 'pylf_v1_us_abc' })?.url).toBe(
      'https://logfire-us.pydantic.dev/v1/metrics',
    );
  });

  it('falls back to the US region for tokens without a known region', () => {
    expect(resolveLogfireTarget({ LOGFIRE_TOKEN: 'legacy-token' })?.url).toBe(
      'https://logfire-us.pydantic.dev/v1/metrics',
    );
    expect(resolveLogfireTarget({ LOGFIRE_TOKEN: 'pylf_v1_mars_abc' })?.url).toBe(
      'https://logfire-us.pydantic.dev/v1/metrics',
    );
  });

  it('LOGFIRE_BASE_URL wins (self-hosted Logfire)', () => {
    expect(
      resolveLogfireTarget({
        LOGFIRE_TOKEN: TOKEN,
        LOGFIRE_BASE_URL: 'https://logfire.corp.invalid/',
      })?.url,
    ).toBe('https://logfire.corp.invalid/v1/metrics');
  });

  it('drops user information from LOGFIRE_BASE_URL: the token is the authorization', () => {
    const target = resolveLogfireTarget({
      LOGFIRE_TOKEN: TOKEN,
      LOGFIRE_BASE_URL: 'https://u:SECRETPW@logfire.corp.invalid/',
    });
    expect(target?.url).toBe('https://logfire.corp.invalid/v1/metrics');
    expect(target?.headers).toEqual({ Authorization: TOKEN });
  });

  it('is undefined without a token', () => {
    expect(resolveLogfireTarget({})).toBeUndefined();
    expect(resolveLogfireTarget({ LOGFIRE_TOKEN: '  ' })).toBeUndefined();
  });
});

describe('Logfire output', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it("sends spec 9.6's metrics with kWh (not kW) and the token as Authorization, never logging it", async () => {
    const { tracker, clock, messages } = makeTracker(
      { outputMethods: ['logfire'], projectName: 'lf' },
      { LOGFIRE_TOKEN: TOKEN, LOGFIRE_BASE_URL: receiver.url },
    );
    tracker.start();
    clock.advance(60);
    await tracker.flush();
    clock.advance(30);
    await tracker.stop();

    expect(receiver.received).toHaveLength(2);
    const [first, last] = receiver.received;
    expect(last?.path).toBe('/v1/metrics');
    expect(last?.headers.authorization).toBe(TOKEN);
    const units = Object.fromEntries((last?.points ?? []).map((p) => [p.name, p.unit]));
    expect(units).toEqual({
      codecarbon_duration: 's',
      codecarbon_emissions: 'kg',
      codecarbon_energy_consumed: 'kWh',
      codecarbon_emissions_rate: 'kg/s',
      codecarbon_cpu_power: 'W',
      codecarbon_gpu_power: 'W',
      codecarbon_ram_power: 'W',
      codecarbon_cpu_energy: 'kWh',
      codecarbon_gpu_energy: 'kWh',
      codecarbon_ram_energy: 'kWh',
    });
    // Counters go as deltas, as Logfire's SDKs send them: each export has its own interval.
    expect(pointsOf(first, 'codecarbon_energy_consumed')[0]).toMatchObject({ temporality: DELTA });
    expect(pointsOf(first, 'codecarbon_energy_consumed')[0]?.value).toBeCloseTo(fakeKwh(60), 15);
    expect(pointsOf(last, 'codecarbon_energy_consumed')[0]?.value).toBeCloseTo(fakeKwh(30), 15);
    expect(pointsOf(last, 'codecarbon_duration')[0]?.value).toBeCloseTo(30, 9);
    expect(pointsOf(last, 'codecarbon_ram_energy')[0]?.value).toBeCloseTo(fakeKwh(30, 10), 15);
    expect(pointsOf(last, 'codecarbon_cpu_power')[0]?.attributes.project_name).toBe('lf');

    expect(messages.join('\n')).not.toContain(TOKEN);
  });

  it('without LOGFIRE_TOKEN the tracker is not built', () => {
    expect(() => makeTracker({ saveToLogfire: true })).toThrow(
      /Invalid save_to_logfire "true" from option saveToLogfire: expected LOGFIRE_TOKEN set/,
    );
    expect(() => makeTracker({ outputMethods: ['csv', 'logfire'] })).toThrow(
      /Invalid output_methods "csv,logfire" .*expected LOGFIRE_TOKEN set/,
    );
  });
});
