import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrackerOptions } from '../../src/config/options.js';
import type { Logger } from '../../src/log/logger.js';
import type { OutputHandler } from '../../src/output/handler.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { ConstantFakeSensor, ManualClock } from '../helpers/fakes.js';
import { tempDir } from '../output/api/api-test-helpers.js';

function tracker(options: TrackerOptions, clock?: ManualClock) {
  const dir = tempDir();
  const errors: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (m) => errors.push(m) };
  const instance = new OfflineEmissionsTracker(
    { countryIsoCode: 'FRA', outputDir: dir, logger, installExitHandlers: false, ...options },
    {
      env: {},
      cwd: dir,
      homeDir: dir,
      sensors: [new ConstantFakeSensor('cpu', 30), new ConstantFakeSensor('ram', 10)],
      clock: clock?.read,
    },
  );
  return { tracker: instance, dir, errors };
}

/** A handler that records every call it gets. */
function recorder() {
  const calls: { event: string; total?: EmissionsData; delta?: EmissionsData }[] = [];
  const handler: OutputHandler = {
    liveOut: (total, delta) => void calls.push({ event: 'liveOut', total, delta }),
    out: (total, delta) => void calls.push({ event: 'out', total, delta }),
    exit: () => void calls.push({ event: 'exit' }),
  };
  return { handler, calls };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('custom output handlers', () => {
  it('get liveOut every apiCallInterval readings, then out and exit at stop; the deltas add up to the total', async () => {
    const { handler, calls } = recorder();
    const { tracker: t } = tracker({
      outputHandlers: [handler],
      measurePowerSecs: 0.02,
      apiCallInterval: 2,
      saveToFile: false,
    });

    t.start();
    await sleep(250);
    await t.stop();

    const events = calls.map((c) => c.event);
    expect(events.slice(-2)).toEqual(['out', 'exit']);
    expect(events.filter((e) => e === 'liveOut').length).toBeGreaterThanOrEqual(2);
    const final = t.finalEmissionsData as EmissionsData;
    const deltas = calls.filter((c) => c.delta).map((c) => c.delta as EmissionsData);
    const sum = deltas.reduce((kwh, d) => kwh + d.energyConsumed, 0);
    expect(sum / final.energyConsumed).toBeCloseTo(1, 12);
    expect(calls.at(-2)?.total).toEqual(final);
  });

  it('two handlers receive equal records, each its own copy: what one changes, nobody else sees', async () => {
    const clock = new ManualClock();
    const seen: EmissionsData[] = [];
    const { tracker: t } = tracker(
      {
        saveToFile: false,
        outputHandlers: [
          {
            out(total: EmissionsData, delta: EmissionsData) {
              seen.push(total);
              total.emissions = -1;
              delta.projectName = 'changed';
            },
          },
          { out: (total: EmissionsData) => void seen.push(total) },
        ],
      },
      clock,
    );

    t.start();
    clock.advance(30);
    await t.stop();

    expect(seen[1]?.emissions).toBeGreaterThan(0);
    expect(seen[1]).not.toBe(seen[0]);
    expect(t.finalEmissionsData?.emissions).toBe(seen[1]?.emissions);
    expect(t.finalEmissionsData?.projectName).toBe('codecarbon');
  });

  it('async handlers are awaited by stop() and flush(); flush() calls out but not exit', async () => {
    const clock = new ManualClock();
    const events: string[] = [];
    const { tracker: t } = tracker(
      {
        saveToFile: false,
        outputHandlers: [
          {
            out: async () => {
              await sleep(30);
              events.push('out done');
            },
            exit: async () => {
              await sleep(30);
              events.push('exit done');
            },
          },
        ],
      },
      clock,
    );

    t.start();
    clock.advance(10);
    await t.flush();
    expect(events).toEqual(['out done']);
    await t.stop();
    expect(events).toEqual(['out done', 'out done', 'exit done']);
  });

  it('a handler that throws, one that rejects are each logged once; one with a non-function method is skipped; the rest still run', async () => {
    const clock = new ManualClock();
    const { handler, calls } = recorder();
    const {
      tracker: t,
      dir,
      errors,
    } = tracker(
      {
        outputHandlers: [
          {
            out() {
              throw new Error('thrown boom');
            },
          },
          { out: () => Promise.reject(new Error('rejected boom')) },
          { out: 42 } as unknown as OutputHandler,
          handler,
        ],
      },
      clock,
    );

    t.start();
    clock.advance(10);
    await t.flush();
    clock.advance(10);
    await t.stop();

    expect(calls.map((c) => c.event)).toEqual(['out', 'out', 'exit']);
    expect(existsSync(join(dir, 'emissions.csv'))).toBe(true);
    expect(errors.filter((e) => e.includes('thrown boom'))).toHaveLength(1);
    expect(errors.filter((e) => e.includes('rejected boom'))).toHaveLength(1);
  });

  it('user handlers run before the built-in outputs', async () => {
    const clock = new ManualClock();
    const order: string[] = [];
    const { tracker: t } = tracker(
      {
        saveToFile: false,
        saveToLogger: true,
        loggingLogger: { info: () => void order.push('logger output') },
        outputHandlers: [{ out: () => void order.push('user handler') }],
      },
      clock,
    );

    t.start();
    clock.advance(10);
    await t.stop();

    expect(order).toEqual(['user handler', 'logger output']);
  });

  it('an empty output_methods turns every built-in output off but keeps user handlers', async () => {
    const clock = new ManualClock();
    const { handler, calls } = recorder();
    const { tracker: t, dir } = tracker({ outputMethods: '', outputHandlers: [handler] }, clock);

    t.start();
    clock.advance(10);
    await t.stop();

    expect(calls.map((c) => c.event)).toEqual(['out', 'exit']);
    expect(existsSync(join(dir, 'emissions.csv'))).toBe(false);
  });

  it('a handler may implement only some methods', async () => {
    const clock = new ManualClock();
    let exited = 0;
    const { tracker: t } = tracker(
      { saveToFile: false, outputHandlers: [{ exit: () => void exited++ }] },
      clock,
    );

    t.start();
    clock.advance(10);
    await t.flush();
    await t.stop();

    expect(exited).toBe(1);
  });
});
