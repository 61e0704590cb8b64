import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { TrackerOptions } from '../../src/config/options.js';
import { type Logger, silentLogger } from '../../src/log/logger.js';
import type { OutputHandler } from '../../src/output/handler.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import type { EnergySensor } from '../../src/sensors/sensor.js';
import { EmissionsTracker } from '../../src/tracker/emissions-tracker.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { ConstantFakeSensor, ManualClock } from '../helpers/fakes.js';

const FRANCE_G_PER_KWH = 56.039;

function setup(
  options: TrackerOptions | Record<string, unknown> = {},
  sensors?: EnergySensor[],
  clock?: ManualClock,
) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-tracker-'));
  const messages: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (m) => messages.push(`warn: ${m}`),
    error: (m) => messages.push(`error: ${m}`),
  };
  const tracker = new OfflineEmissionsTracker(
    { countryIsoCode: 'FRA', outputDir: dir, logger, installExitHandlers: false, ...options },
    {
      env: {},
      cwd: dir,
      homeDir: dir,
      sensors: sensors ?? [new ConstantFakeSensor('cpu', 30), new ConstantFakeSensor('ram', 10)],
      clock: clock?.read,
    },
  );
  const rows = () =>
    parse(readFileSync(join(dir, 'emissions.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
  return { tracker, dir, messages, rows };
}

describe('EmissionsTracker lifecycle', () => {
  it('stop() returns kg CO2eq = energy × the country intensity and writes one CSV row', async () => {
    const clock = new ManualClock();
    const { tracker, rows } = setup({}, undefined, clock);
    tracker.start();
    clock.advance(90);

    const kg = await tracker.stop();

    const kwh = (40 * 90) / 3_600_000;
    expect(kg).toBeCloseTo((kwh * FRANCE_G_PER_KWH) / 1000, 15);
    const record = tracker.finalEmissionsData as EmissionsData;
    expect(record.energyConsumed).toBeCloseTo(kwh, 15);
    expect(record.cpuPower).toBeCloseTo(30, 9);
    expect(record.duration).toBeCloseTo(90, 9);
    expect(record.countryName).toBe('France');
    expect(record.carbonIntensitySource).toBe('country');
    expect(record.cpuMethod).toBe('fake-cpu');
    const [row] = rows();
    expect(Number(row?.emissions)).toBeCloseTo(kg as number, 15);
    expect(row?.run_id).toBe(tracker.runId);
    expect(row?.country_iso_code).toBe('FRA');
  });

  it('a second stop() returns the same result and writes nothing', async () => {
    const clock = new ManualClock();
    const { tracker, rows } = setup({}, undefined, clock);
    tracker.start();
    clock.advance(10);
    const first = await tracker.stop();
    clock.advance(10);
    const second = await tracker.stop();
    expect(second).toBe(first);
    expect(rows()).toHaveLength(1);
  });

  it('flush() then stop() appends two cumulative rows of the same run', async () => {
    const clock = new ManualClock();
    const { tracker, rows } = setup({}, undefined, clock);
    tracker.start();
    clock.advance(10);
    await tracker.flush();
    clock.advance(10);
    await tracker.stop();
    const [a, b] = rows();
    expect(a?.run_id).toBe(b?.run_id);
    expect(Number(b?.duration)).toBeCloseTo(2 * Number(a?.duration), 9);
  });

  it('update mode keeps one row per run through flush() and stop()', async () => {
    const clock = new ManualClock();
    const { tracker, rows } = setup({ onCsvWrite: 'update' }, undefined, clock);
    tracker.start();
    clock.advance(10);
    await tracker.flush();
    clock.advance(10);
    await tracker.stop();
    expect(rows()).toHaveLength(1);
    expect(Number(rows()[0]?.duration)).toBeCloseTo(20, 9);
  });

  it('start() after stop() is a real restart with a new run id', async () => {
    const clock = new ManualClock();
    const { tracker, rows } = setup({}, undefined, clock);
    tracker.start();
    clock.advance(5);
    await tracker.stop();
    const firstRun = tracker.runId;

    tracker.start();
    clock.advance(7);
    await tracker.stop();

    expect(tracker.runId).not.toBe(firstRun);
    expect(rows().map((r) => Number(r.duration))).toEqual([5, 7]);
  });

  it('stop() and flush() on a tracker never started return undefined and write nothing', async () => {
    const { tracker, messages } = setup();
    expect(await tracker.flush()).toBeUndefined();
    expect(await tracker.stop()).toBeUndefined();
    expect(messages.some((m) => m.includes('never started'))).toBe(true);
  });

  it('PUE multiplies energy and emissions but not power', async () => {
    const clock = new ManualClock();
    const { tracker } = setup({ pue: 1.5, wue: 2 }, undefined, clock);
    tracker.start();
    clock.advance(3600);
    await tracker.stop();
    const record = tracker.finalEmissionsData as EmissionsData;
    expect(record.cpuPower).toBeCloseTo(30, 9);
    expect(record.cpuEnergy).toBeCloseTo(0.045, 12);
    expect(record.energyConsumed).toBeCloseTo(0.06, 12);
    expect(record.waterConsumed).toBeCloseTo(0.12, 12);
    expect(record.emissions).toBeCloseTo((0.06 * FRANCE_G_PER_KWH) / 1000, 15);
  });

  it('a forced intensity of 0 g/kWh is valid and gives zero emissions', async () => {
    const clock = new ManualClock();
    const { tracker } = setup({ forceCarbonIntensity: 0 }, undefined, clock);
    tracker.start();
    clock.advance(60);
    expect(await tracker.stop()).toBe(0);
    expect(tracker.finalEmissionsData?.carbonIntensitySource).toBe('forced');
  });
});

describe('EmissionsTracker outputs', () => {
  it('calls liveOut every apiCallInterval readings; the deltas add up to the total', async () => {
    const live: { total: EmissionsData; delta: EmissionsData }[] = [];
    const handler: OutputHandler = { liveOut: (total, delta) => void live.push({ total, delta }) };
    const { tracker } = setup({
      measurePowerSecs: 0.02,
      apiCallInterval: 2,
      outputHandlers: [handler],
      saveToFile: false,
    });
    tracker.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tracker.stop();

    expect(live.length).toBeGreaterThanOrEqual(2);
    const sumOfDeltas = live.reduce((sum, { delta }) => sum + delta.energyConsumed, 0);
    const lastTotal = live.at(-1)?.total.energyConsumed ?? 0;
    expect(sumOfDeltas).toBeCloseTo(lastTotal, 15);
  });

  it('a handler that throws or rejects is logged and does not stop the others', async () => {
    const received: string[] = [];
    const { tracker, messages, rows } = setup({
      outputHandlers: [
        {
          out() {
            throw new Error('boom');
          },
        },
        { out: async () => Promise.reject(new Error('async boom')) },
        { out: (total: EmissionsData) => void received.push(total.runId) },
      ] satisfies OutputHandler[],
    });
    tracker.start();
    await tracker.stop();
    expect(received).toEqual([tracker.runId]);
    expect(rows()).toHaveLength(1);
    expect(messages.filter((m) => m.includes('boom'))).toHaveLength(2);
  });

  it('handlers receive copies: one handler changing a record does not affect the next', async () => {
    const seen: number[] = [];
    const { tracker } = setup({
      saveToFile: false,
      outputHandlers: [
        {
          out(total: EmissionsData) {
            total.emissions = -1;
          },
        },
        { out: (total: EmissionsData) => void seen.push(total.emissions) },
      ] satisfies OutputHandler[],
    });
    tracker.start();
    await tracker.stop();
    expect(seen[0]).toBeGreaterThanOrEqual(0);
  });

  it('accounts for the whole period when the main thread was blocked for many intervals', async () => {
    const { tracker } = setup({ measurePowerSecs: 0.05, saveToFile: false }, [
      new ConstantFakeSensor('cpu', 10),
    ]);
    tracker.start();
    const until = performance.now() + 600;
    while (performance.now() < until) {
      // synchronous work: no timer can fire for twelve intervals
    }
    await tracker.stop();

    const record = tracker.finalEmissionsData as EmissionsData;
    expect(record.duration).toBeGreaterThanOrEqual(0.6);
    expect(record.cpuEnergy * 3_600_000).toBeCloseTo(10 * record.duration, 6);
  });
});

describe('EmissionsTracker configuration', () => {
  it('rejects invalid configuration at construction, naming the key and its source', () => {
    expect(() => setup({ measurePowerSecs: 'often' })).toThrow(ConfigError);
    expect(() => setup({ pue: 0.5 })).toThrow(/pue/);
    expect(() => setup({ countryIsoCode: 'FRANCE' })).toThrow(/country_iso_code "FRANCE"/);
    expect(() => setup({ countryIsoCode: 'fr' })).not.toThrow();
  });

  it('the online tracker that cannot locate the machine uses the world average and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-online-'));
    const warnings: string[] = [];
    const tracker = new EmissionsTracker(
      {
        outputDir: dir,
        installExitHandlers: false,
        logger: { ...silentLogger, warn: (m) => warnings.push(m) },
        // Nothing listens on port 9 of the loopback: the lookup fails at once, no traffic leaves.
        geolocationUrl: 'http://127.0.0.1:9/geo.json',
        cloudDetection: false,
        locationCacheDir: dir,
      },
      { env: {}, cwd: dir, homeDir: dir, sensors: [new ConstantFakeSensor('cpu', 1)] },
    );
    tracker.start();
    await tracker.stop();
    expect(tracker.finalEmissionsData?.carbonIntensitySource).toBe('world');
    expect(tracker.finalEmissionsData?.carbonIntensity).toBe(475);
    expect(warnings.some((w) => /world average/i.test(w))).toBe(true);
  });
});

describe('EmissionsTracker configuration reports', () => {
  it('reports an unknown CODECARBON_ variable once, with a suggestion', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-unknown-'));
    const warnings: string[] = [];
    new OfflineEmissionsTracker(
      {
        countryIsoCode: 'FRA',
        outputDir: dir,
        installExitHandlers: false,
        logger: { ...silentLogger, warn: (m) => warnings.push(m) },
      },
      { env: { CODECARBON_MEASURE_POWER_SEC: '5' }, cwd: dir, homeDir: dir },
    );
    expect(warnings.filter((w) => w.includes('CODECARBON_MEASURE_POWER_SEC'))).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/measure_power_secs/);
  });

  it('an empty output_methods turns every built-in output off', async () => {
    const { tracker, dir } = setup({ outputMethods: '' });
    tracker.start();
    await tracker.stop();
    expect(tracker.csvFilePath).toBeUndefined();
    expect(() => readFileSync(join(dir, 'emissions.csv'))).toThrow();
  });

  it('output_methods wins over the save_to_* flags', async () => {
    const { tracker, dir } = setup({ outputMethods: ['boamps'], saveToFile: true });
    tracker.start();
    await tracker.stop();
    expect(tracker.csvFilePath).toBeUndefined();
    expect(() => readFileSync(join(dir, 'emissions.csv'))).toThrow();
  });
});
