import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type IntensityFeed,
  type IntensityNow,
  staticIntensityFeed,
} from '../../src/intensity/intensity-feed.js';
import { OnceLogger, silentLogger } from '../../src/log/logger.js';
import type { OutputHandler } from '../../src/output/handler.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import type { EnergySensor } from '../../src/sensors/sensor.js';
import { Accountant, JOULES_PER_KWH } from '../../src/tracker/accountant.js';
import { componentDetails } from '../../src/tracker/measurement-details.js';
import type { RunFacts } from '../../src/tracker/record-builder.js';
import { Run, type RunOptions, type RunRecords, type TrackedRun } from '../../src/tracker/run.js';
import { UtilisationMonitor } from '../../src/tracker/utilisation-monitor.js';
import { ConstantFakeSensor, ManualClock } from '../helpers/fakes.js';

afterEach(() => {
  vi.useRealTimers();
});

const CPU_W = 36;
const RAM_W = 10;
const INTENSITY = 50;

const FRANCE: IntensityNow = {
  intensityGPerKwh: INTENSITY,
  source: 'country',
  countryIsoCode: 'FRA',
  countryName: 'France',
  detail: 'test table',
  warnings: [],
};

const FACTS: RunFacts = {
  projectName: 'run-test',
  runId: '2b7d8c4e-0000-4000-8000-000000000001',
  experimentId: 'experiment',
  os: 'Linux',
  runtimeVersion: 'node 20',
  version: '0.1.0',
  cpuCount: 4,
  cpuModel: 'Fake CPU',
  gpuCount: 0,
  gpuModel: '',
  ramTotalSizeGiB: 16,
  trackingMode: 'machine',
  pue: 1,
  wue: 0,
  methods: { cpu: 'fake-cpu', gpu: 'none', ram: 'fake-ram' },
};

/** A run over a 36 W CPU and 10 W RAM on a hand-moved clock, France at 50 g/kWh. */
function makeRun(overrides: Partial<RunOptions> = {}, sensors?: EnergySensor[]) {
  const clock = new ManualClock();
  const intensity = overrides.intensity ?? staticIntensityFeed(FRANCE);
  const measured = sensors ?? [
    new ConstantFakeSensor('cpu', CPU_W),
    new ConstantFakeSensor('ram', RAM_W),
  ];
  const accountant = new Accountant({
    sensors: measured,
    monitor: new UtilisationMonitor({ cpuTimes: () => undefined, memory: () => undefined }),
    intensity: () => intensity.current(),
    pue: 1,
    wue: 0,
    clock: clock.read,
  });
  const options: RunOptions = {
    accountant,
    facts: FACTS,
    intensity,
    handlers: [],
    logger: new OnceLogger(silentLogger),
    measurePowerSecs: 1,
    apiCallInterval: -1,
    details: { components: componentDetails(measured), intensity: FRANCE },
    ...overrides,
  };
  const startTimeS = overrides.startedAt?.timeS ?? clock.timeS;
  // Through the interface the trackers use: stopSync takes `processEnding` there.
  const run: TrackedRun = new Run(options);
  return { run, clock, startTimeS };
}

/** The record of `seconds` of the 46 W machine: energies in kWh, emissions in kg. */
function expectCovers(record: EmissionsData, seconds: number): void {
  expect(record.duration).toBeCloseTo(seconds, 9);
  expect(record.cpuEnergy).toBeCloseTo((CPU_W * seconds) / JOULES_PER_KWH, 15);
  expect(record.ramEnergy).toBeCloseTo((RAM_W * seconds) / JOULES_PER_KWH, 15);
  expect(record.energyConsumed).toBeCloseTo(((CPU_W + RAM_W) * seconds) / JOULES_PER_KWH, 15);
  expect(record.emissions).toBeCloseTo(
    (((CPU_W + RAM_W) * seconds) / JOULES_PER_KWH) * (INTENSITY / 1000),
    15,
  );
  if (seconds > 0) expect(record.cpuPower).toBeCloseTo(CPU_W, 9);
}

/** A promise the test settles. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Whether `promise` has settled once pending callbacks have run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('Run.stopSync', () => {
  it('returns the final records with the synchronous outputs already called', () => {
    const calls: string[] = [];
    const sync: OutputHandler = {
      out: (total) => void calls.push(`out ${total.duration}`),
      exit: () => void calls.push('exit'),
    };
    const { run, clock } = makeRun({ handlers: [sync] });
    clock.advance(100);

    const { records } = run.stopSync(true);

    expect(records).toBeDefined();
    expectCovers((records as RunRecords).total, 100);
    expectCovers((records as RunRecords).delta, 100);
    expect((records as RunRecords).tasks).toEqual([]);
    // The process ends next: exit() is called now too, after out().
    expect(calls).toEqual(['out 100', 'exit']);
  });

  it('calls exit() after out() has settled when the process goes on', async () => {
    const calls: string[] = [];
    const sync: OutputHandler = {
      out: () => void calls.push('out'),
      exit: () => void calls.push('exit'),
    };
    const { run } = makeRun({ handlers: [sync] });

    const { done } = run.stopSync(false);

    expect(calls).toEqual(['out']);
    await done;
    expect(calls).toEqual(['out', 'exit']);
  });

  it('resolves done only after every output finished out() and got exit()', async () => {
    const calls: string[] = [];
    const slow = deferred();
    const handlers: OutputHandler[] = [
      {
        out: () => {
          calls.push('slow out');
          return slow.promise;
        },
        exit: () => void calls.push('slow exit'),
      },
      { out: () => void calls.push('sync out'), exit: () => void calls.push('sync exit') },
    ];
    const { run, clock } = makeRun({ handlers });
    clock.advance(10);

    const { done } = run.stopSync(false);
    expect(calls).toEqual(['slow out', 'sync out']);
    expect(await isSettled(done)).toBe(false);

    slow.resolve();
    await done;
    expect(calls).toEqual(['slow out', 'sync out', 'slow exit', 'sync exit']);
  });

  it('ends the running tasks in the final records', () => {
    const { run, clock } = makeRun();
    clock.advance(5);
    const name = run.startTask('training');
    clock.advance(20);

    const { records } = run.stopSync(true);
    expect(records?.tasks.map((task) => task.taskName)).toEqual([name]);
    expectCovers(records?.tasks[0] as EmissionsData, 20);
    expectCovers((records as RunRecords).total, 25);
  });

  it('releases the sensors and the intensity feed', () => {
    const close = vi.fn();
    const feedClose = vi.fn();
    const sensor = Object.assign(new ConstantFakeSensor('cpu', CPU_W), { close });
    const { run } = makeRun({ intensity: { ...staticIntensityFeed(FRANCE), close: feedClose } }, [
      sensor,
    ]);
    run.stopSync(true);
    expect(close).toHaveBeenCalledTimes(1);
    expect(feedClose).toHaveBeenCalledTimes(1);
  });
});

describe('Run.stop', () => {
  it('takes the final reading at once but makes the records once the intensity has settled', async () => {
    const lookups = deferred();
    let place: IntensityNow = { ...FRANCE, countryName: 'looking up', source: 'world' };
    const feed: IntensityFeed = {
      current: () => place,
      settled: () => lookups.promise,
      close: () => {},
    };
    const outs: EmissionsData[] = [];
    const { run, clock } = makeRun({
      intensity: feed,
      handlers: [{ out: (t) => void outs.push(t) }],
    });
    clock.advance(30);

    const stopped = run.stop();
    clock.advance(1000); // after the final reading: not part of the run
    expect(await isSettled(stopped)).toBe(false);
    expect(outs).toEqual([]);

    place = FRANCE;
    lookups.resolve();
    const records = (await stopped) as RunRecords;

    expectCovers(records.total, 30);
    expect(records.total.countryName).toBe('France');
    expect(records.total.carbonIntensitySource).toBe('country');
    expect(outs).toHaveLength(1);
    expect(outs[0]).toEqual(records.total);
  });

  it('resolves with the records once every output has them and got exit()', async () => {
    const calls: string[] = [];
    const slow = deferred();
    const handlers: OutputHandler[] = [
      { out: () => slow.promise, exit: () => void calls.push('exit') },
    ];
    const { run, clock } = makeRun({ handlers });
    clock.advance(2);
    const stopped = run.stop();
    expect(await isSettled(stopped)).toBe(false);

    slow.resolve();
    const records = await stopped;
    expect(calls).toEqual(['exit']);
    expectCovers((records as RunRecords).total, 2);
  });
});

describe('Run: onRecords', () => {
  it('is told of the final records before the outputs finish', async () => {
    const told: RunRecords[] = [];
    const slow = deferred();
    const { run, clock } = makeRun({
      handlers: [{ out: () => slow.promise }],
      onRecords: (records) => void told.push(records),
    });
    clock.advance(40);

    const stopped = run.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(told).toHaveLength(1);
    expect(await isSettled(stopped)).toBe(false);
    expectCovers((told[0] as RunRecords).total, 40);

    slow.resolve();
    expect(await stopped).toBe(told[0]);
  });

  it('is told of each flush, with the delta since the previous one, before the outputs finish', async () => {
    const told: RunRecords[] = [];
    let slow = deferred();
    const { run, clock } = makeRun({
      handlers: [{ out: () => slow.promise }],
      onRecords: (records) => void told.push(records),
    });

    clock.advance(10);
    const first = run.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(told).toHaveLength(1);
    expect(await isSettled(first)).toBe(false);
    slow.resolve();
    await first;

    slow = deferred();
    clock.advance(15);
    const second = run.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(told).toHaveLength(2);
    slow.resolve();
    await second;

    expectCovers((told[1] as RunRecords).total, 25);
    expectCovers((told[1] as RunRecords).delta, 15);
  });

  it('is told synchronously by stopSync, before it returns', () => {
    const told: RunRecords[] = [];
    const { run, clock } = makeRun({ onRecords: (records) => void told.push(records) });
    clock.advance(3);
    const { records } = run.stopSync(false);
    expect(told).toEqual([records]);
  });
});

describe('Run: periodic outputs', () => {
  it('gives onLiveOut and the outputs each periodic pair, every apiCallInterval readings', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const pairs: [EmissionsData, EmissionsData][] = [];
    const live: [EmissionsData, EmissionsData][] = [];
    const { run, clock } = makeRun({
      measurePowerSecs: 2,
      apiCallInterval: 3,
      handlers: [{ liveOut: (total, delta) => void live.push([total, delta]) }],
      onLiveOut: (total, delta) => void pairs.push([total, delta]),
    });

    for (let reading = 1; reading <= 6; reading++) {
      clock.advance(2);
      await vi.advanceTimersByTimeAsync(2000);
      expect(pairs).toHaveLength(Math.floor(reading / 3));
    }

    const [first, second] = pairs as [
      [EmissionsData, EmissionsData],
      [EmissionsData, EmissionsData],
    ];
    expectCovers(first[0], 6);
    expectCovers(first[1], 6);
    expectCovers(second[0], 12);
    expectCovers(second[1], 6);
    expect(live).toEqual(pairs);

    run.stopSync(false);
  });

  it('sends no periodic output after the run stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const onLiveOut = vi.fn();
    const { run, clock } = makeRun({ measurePowerSecs: 1, apiCallInterval: 1, onLiveOut });
    clock.advance(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(onLiveOut).toHaveBeenCalledTimes(1);

    run.stopSync(false);
    clock.advance(5);
    await vi.advanceTimersByTimeAsync(5000);
    expect(onLiveOut).toHaveBeenCalledTimes(1);
  });

  it('sends none with apiCallInterval -1, but keeps reading', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const onLiveOut = vi.fn();
    const read = vi.fn();
    const sensor = new ConstantFakeSensor('cpu', CPU_W);
    const original = sensor.read.bind(sensor);
    sensor.read = (nowS) => {
      read(nowS);
      return original(nowS);
    };
    const { run, clock } = makeRun({ measurePowerSecs: 1, apiCallInterval: -1, onLiveOut }, [
      sensor,
    ]);
    for (let i = 0; i < 3; i++) {
      clock.advance(1);
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(onLiveOut).not.toHaveBeenCalled();
    expect(read).toHaveBeenCalledTimes(3);
    run.stopSync(false);
  });
});

describe('Run: startedAt', () => {
  it('counts the duration and energy of the run from the given earlier moment', () => {
    const clock = new ManualClock();
    const startedAt = { timeS: clock.timeS - 0.5, wallMs: clock.wallMs - 500 };
    const { run, clock: runClock } = makeRun({ startedAt });
    expect(runClock.timeS).toBe(clock.timeS);

    runClock.advance(2);
    const { records } = run.stopSync(false);

    expectCovers((records as RunRecords).total, 2.5);
    expectCovers((records as RunRecords).delta, 2.5);
  });

  it('starts at construction without it', () => {
    const { run, clock } = makeRun();
    clock.advance(2);
    expectCovers(run.stopSync(false).records?.total as EmissionsData, 2);
  });
});
