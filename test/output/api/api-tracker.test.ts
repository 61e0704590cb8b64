import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import type { TrackerOptions } from '../../../src/config/options.js';
import type { EmissionsData } from '../../../src/records/emissions-data.js';
import { OfflineEmissionsTracker } from '../../../src/tracker/offline-emissions-tracker.js';
import { ConstantFakeSensor, ManualClock } from '../../helpers/fakes.js';
import { API_KEY, captureLogger, tempDir } from './api-test-helpers.js';
import { FakeCodeCarbonApi } from './fake-codecarbon-api.js';

let fake: FakeCodeCarbonApi;
beforeEach(async () => {
  fake = await FakeCodeCarbonApi.start();
});
afterEach(() => fake.down());

function tracker(options: TrackerOptions, env: Record<string, string> = {}, clock?: ManualClock) {
  const dir = tempDir();
  const { logger, lines } = captureLogger();
  const instance = new OfflineEmissionsTracker(
    { countryIsoCode: 'FRA', outputDir: dir, logger, installExitHandlers: false, ...options },
    {
      env,
      cwd: dir,
      homeDir: dir,
      sensors: [new ConstantFakeSensor('cpu', 30), new ConstantFakeSensor('ram', 10)],
      clock: clock?.read,
    },
  );
  return { tracker: instance, dir, lines };
}

describe('the offline tracker with save_to_api', () => {
  it('uploads every delta; the API sums match the final record, which keeps the local run id', async () => {
    const { tracker: t, dir } = tracker({
      saveToApi: true,
      apiEndpoint: fake.url,
      apiKey: API_KEY,
      measurePowerSecs: 0.25,
      apiCallInterval: 2,
    });

    t.start();
    await new Promise((resolve) => setTimeout(resolve, 1700));
    await t.stop();

    const final = t.finalEmissionsData as EmissionsData;
    expect(fake.invalid).toEqual([]);
    const [serverRunId, run] = fake.onlyRun();
    const sent = fake.emissionsOf(serverRunId);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    const apiKwh = sent.reduce((sum, e) => sum + (e.energy_consumed as number), 0);
    expect(apiKwh / final.energyConsumed).toBeCloseTo(1, 12);
    const apiKg = sent.reduce((sum, e) => sum + (e.emissions_sum as number), 0);
    expect(apiKg / final.emissions).toBeCloseTo(1, 12);

    const [row] = parse(readFileSync(join(dir, 'emissions.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    expect(row?.run_id).toBe(t.runId);
    expect(row?.run_id).not.toBe(serverRunId);
    expect(row?.run_id).not.toBe('None');
    expect(run.body.python_version).toBe(row?.python_version);
    expect(run.body).toMatchObject({ longitude: null, latitude: null });
  });

  it('api_call_interval -1 sends one delta, at stop, covering the whole run', async () => {
    const clock = new ManualClock();
    const { tracker: t } = tracker(
      { saveToApi: true, apiEndpoint: fake.url, apiCallInterval: -1 },
      {},
      clock,
    );

    t.start();
    clock.advance(90);
    await t.stop();

    expect(fake.emissions).toHaveLength(1);
    expect(fake.emissions[0]?.body).toMatchObject({
      duration: 90,
      cpu_power: 30,
      ram_power: 10,
      energy_consumed: (40 * 90) / 3_600_000,
    });
    expect(fake.requests.every((r) => r.headers['x-api-token'] === undefined)).toBe(true);
  });

  it('flush() sends the delta since the last output, stop() the rest', async () => {
    const clock = new ManualClock();
    const { tracker: t } = tracker(
      { saveToApi: true, apiEndpoint: fake.url, apiCallInterval: -1 },
      {},
      clock,
    );

    t.start();
    clock.advance(30);
    await t.flush();
    clock.advance(12);
    await t.stop();

    expect(fake.emissions.map((e) => e.body.duration)).toEqual([30, 12]);
  });

  it('is configured from CODECARBON_* variables, and the parameters no longer say "no effect"', async () => {
    const clock = new ManualClock();
    const { tracker: t, lines } = tracker(
      { apiCallInterval: -1 },
      {
        CODECARBON_SAVE_TO_API: 'true',
        CODECARBON_API_ENDPOINT: `${fake.url}/`,
        CODECARBON_API_KEY: API_KEY,
        CODECARBON_EXPERIMENT_ID: 'from-env',
      },
      clock,
    );

    t.start();
    clock.advance(5);
    await t.stop();

    expect([...fake.runs.values()][0]?.body.experiment_id).toBe('from-env');
    expect(fake.requests[0]?.headers['x-api-token']).toBe(API_KEY);
    expect(lines.filter((l) => l.includes('no effect'))).toEqual([]);
    expect(lines.join('\n')).not.toContain(API_KEY);
  });

  it('an api_endpoint that is not an http(s) URL is a ConfigError at construction', () => {
    expect(() => tracker({ saveToApi: true, apiEndpoint: 'ftp://example.invalid' })).toThrow(
      ConfigError,
    );
    expect(() =>
      tracker({}, { CODECARBON_SAVE_TO_API: '1', CODECARBON_API_ENDPOINT: 'not a url' }),
    ).toThrow(/api_endpoint "not a url" from environment variable CODECARBON_API_ENDPOINT/);
  });
});
