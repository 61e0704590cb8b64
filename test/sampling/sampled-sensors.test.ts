import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OnceLogger, silentLogger } from '../../src/log/logger.js';
import { SampledSensors } from '../../src/sampling/sampled-sensors.js';
import { monotonicMs, type SensorPlan } from '../../src/sampling/sampler-protocol.js';
import {
  buildSensors,
  type HardwareFacts,
  type SensorSet,
} from '../../src/sensors/select-sensors.js';
import type { Component, EnergySensor, SensorReading } from '../../src/sensors/sensor.js';

// The real selection, watched: a test can reach the sensors it built, or hand fakes instead.
vi.mock('../../src/sensors/select-sensors.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/sensors/select-sensors.js')>();
  return { ...actual, buildSensors: vi.fn(actual.buildSensors) };
});

const built = vi.mocked(buildSensors);
const roots: string[] = [];
const opened: SampledSensors[] = [];

afterEach(() => {
  for (const sensors of opened.splice(0)) sensors.close();
  vi.useRealTimers();
  built.mockClear();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** 80 W forced TDP on a machine whose CPU load cannot be read: half of it, a constant 40 W. */
const CPU_W = 40;
const RAM_W = 7.5;

/** A machine without /proc, /sys, RAPL or GPU driver: forced powers become constant sensors. */
function plan(): SensorPlan {
  const root = mkdtempSync(join(tmpdir(), 'codecarbon-sampled-'));
  roots.push(root);
  return {
    trackingMode: 'machine',
    forceCpuPower: 2 * CPU_W,
    forceRamPower: RAM_W,
    defaultCpuPower: 42.5,
    forceModeCpuLoad: false,
    raplIncludeDram: false,
    raplPreferPsys: false,
    gpuIds: undefined,
    env: {},
    rootPid: process.pid,
    root,
  };
}

const hardware: HardwareFacts = {
  cpu: { brand: 'Fake CPU', logicalCount: 4, socketCount: 1, arch: 'x64' },
  tdp: () => undefined,
  memory: undefined,
  cpuTimesReadable: false,
};

function sampled(options: { intervalS?: number; startupS?: number } = {}): SampledSensors {
  const startMs = monotonicMs() - (options.startupS ?? 0) * 1000;
  const sensors = new SampledSensors(
    hardware,
    plan(),
    new OnceLogger(silentLogger),
    options.intervalS ?? 5,
    startMs,
  );
  opened.push(sensors);
  return sensors;
}

/** Each component's latest reading, as the run's bookkeeping sees it. */
function readings(set: SensorSet): Record<Component, SensorReading> {
  const byComponent = (component: Component) => {
    const sensor = set.sensors.find((s) => s.component === component);
    if (!sensor) throw new Error(`no ${component} sensor`);
    return sensor.read(0);
  };
  return { cpu: byComponent('cpu'), gpu: byComponent('gpu'), ram: byComponent('ram') };
}

/** The monotonic clock, setInterval and clearInterval under the test's hand. */
function manualTime(): void {
  vi.useFakeTimers({ toFake: ['hrtime', 'setInterval', 'clearInterval'] });
}

/** Hands `sensors` to the next SampledSensors instead of the machine's. */
function nextSensors(sensors: EnergySensor[], methods: Record<Component, string>): void {
  built.mockImplementationOnce(() => ({
    sensors,
    methods,
    gpu: { count: sensors.filter((s) => s.component === 'gpu').length, model: '', devices: [] },
  }));
}

/** A sensor whose cumulative energy, power and utilisation the test sets. */
class SetSensor implements EnergySensor {
  energyJ = 0;
  powerW = 0;
  percent: number | undefined;
  closed = 0;
  startedAtS: number | undefined;

  constructor(
    readonly component: Component,
    readonly description = `set ${component}`,
    readonly method = `set-${component}`,
  ) {}

  start(nowS: number): void {
    this.startedAtS = nowS;
  }

  read(): SensorReading {
    return { energyJ: this.energyJ, powerW: this.powerW };
  }

  utilisationPercent(): number | undefined {
    return this.percent;
  }

  close(): void {
    this.closed += 1;
  }
}

describe('SampledSensors: the set the bookkeeping reads', () => {
  it('has one sensor per component, cpu, gpu and ram, described from the real sensors', () => {
    const { set } = sampled();
    expect(set.sensors.map((s) => s.component)).toEqual(['cpu', 'gpu', 'ram']);
    expect(set.sensors.map((s) => s.method)).toEqual(['forced-tdp-constant', 'none', 'forced']);
    expect(set.sensors.map((s) => s.description)).toEqual([
      '80 W forced TDP × 50 % (CPU load unreadable)',
      'no GPU tracked',
      '7.5 W forced',
    ]);
    expect(set.methods).toEqual({ cpu: 'forced-tdp-constant', gpu: 'none', ram: 'forced' });
    expect(set.gpu).toEqual({ count: 0, model: '', devices: [] });
    expect(set.refresh).toBeTypeOf('function');
  });

  it('builds the sensors once, from the hardware and the plan with the logger added', () => {
    const logger = new OnceLogger(silentLogger);
    const given = plan();
    opened.push(new SampledSensors(hardware, given, logger, 5, monotonicMs()));
    expect(built).toHaveBeenCalledTimes(1);
    expect(built).toHaveBeenCalledWith(hardware, { ...given, logger });
  });

  it('reads zero before any reading, and the latest cumulative energies after each one', () => {
    manualTime();
    const { set } = sampled({ intervalS: 10 });
    expect(readings(set)).toEqual({
      cpu: { energyJ: 0, powerW: 0 },
      gpu: { energyJ: 0, powerW: 0 },
      ram: { energyJ: 0, powerW: 0 },
    });

    vi.advanceTimersByTime(1000);
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 1, 9);
    expect(readings(set).ram.energyJ).toBeCloseTo(RAM_W * 1, 9);

    vi.advanceTimersByTime(1000);
    expect(readings(set)).toEqual({
      cpu: { energyJ: expect.closeTo(CPU_W * 2, 9), powerW: CPU_W },
      gpu: { energyJ: 0, powerW: 0 },
      ram: { energyJ: expect.closeTo(RAM_W * 2, 9), powerW: RAM_W },
    });
    // The bookkeeping's time argument is ignored: the reading is the latest one taken here.
    const cpu = set.sensors[0] as EnergySensor;
    expect(cpu.read(1e9).energyJ).toBeCloseTo(CPU_W * 2, 9);
  });

  it('reads on its own schedule until the run ticks; at 1 s or faster the run then reads alone', () => {
    manualTime();
    const sensors = sampled({ intervalS: 0.5 });
    const { set } = sensors;
    vi.advanceTimersByTime(1000); // before the run exists, the counters are still serviced
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 1, 9);

    sensors.runTicks();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3000);
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 1, 9);
    set.refresh?.();
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 4, 9);
    expect(readings(set).ram.energyJ).toBeCloseTo(RAM_W * 4, 9);
  });

  it('keeps its once-a-second schedule when the run reads less often', () => {
    manualTime();
    const sensors = sampled({ intervalS: 15 });
    sensors.runTicks();
    expect(vi.getTimerCount()).toBe(1);
  });

  it('reads at least once a second even when measure_power_secs is longer', () => {
    manualTime();
    const { set } = sampled({ intervalS: 15 });
    vi.advanceTimersByTime(999);
    expect(readings(set).cpu.energyJ).toBe(0);
    vi.advanceTimersByTime(1);
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W, 9);
    vi.advanceTimersByTime(3000);
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 4, 9);
  });

  it('refresh() reads the sensors now, between two scheduled readings', () => {
    manualTime();
    const { set } = sampled({ intervalS: 10 });
    vi.advanceTimersByTime(1300);
    expect(readings(set).ram.energyJ).toBeCloseTo(RAM_W * 1, 9);

    set.refresh?.();
    expect(readings(set).ram.energyJ).toBeCloseTo(RAM_W * 1.3, 9);
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 1.3, 9);
  });
});

describe('SampledSensors: the moment before the baseline', () => {
  it('counts the startup moment at the power of the first reading, so energy = P × (t − start)', () => {
    manualTime();
    const { set } = sampled({ intervalS: 10, startupS: 0.5 });

    vi.advanceTimersByTime(1000);
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 1.5, 9);
    expect(readings(set).ram.energyJ).toBeCloseTo(RAM_W * 1.5, 9);

    vi.advanceTimersByTime(2000);
    set.refresh?.();
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 3.5, 9);
    expect(readings(set).ram.energyJ).toBeCloseTo(RAM_W * 3.5, 9);
    // Powers are those of the last interval, never inflated by the startup moment.
    expect(readings(set).cpu.powerW).toBe(CPU_W);
  });

  it('counts it provisionally at a reading less than 10 ms after the baseline, fixes it at the next', () => {
    manualTime();
    const { set } = sampled({ intervalS: 10, startupS: 0.2 });

    vi.advanceTimersByTime(5);
    set.refresh?.();
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * (0.005 + 0.2), 9);

    vi.advanceTimersByTime(15);
    set.refresh?.();
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * (0.02 + 0.2), 9);
    expect(readings(set).ram.energyJ).toBeCloseTo(RAM_W * (0.02 + 0.2), 9);
  });

  it('fixes the startup energy at the first long-enough reading; later power changes leave it', () => {
    manualTime();
    const cpu = new SetSensor('cpu');
    nextSensors([cpu], { cpu: 'set-cpu', gpu: 'none', ram: 'none' });
    const { set } = sampled({ intervalS: 10, startupS: 0.5 });

    cpu.energyJ = 100; // 100 J over the first second: 100 W, so 50 J for the startup moment
    vi.advanceTimersByTime(1000);
    expect(readings(set).cpu.energyJ).toBeCloseTo(150, 9);

    cpu.energyJ = 1100; // 1000 W now: the startup moment stays at 50 J
    vi.advanceTimersByTime(1000);
    expect(readings(set).cpu.energyJ).toBeCloseTo(1150, 9);
  });

  it('adds nothing when the sensors took their baseline at the given start', () => {
    manualTime();
    const { set } = sampled({ intervalS: 10, startupS: 0 });
    vi.advanceTimersByTime(2000);
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 2, 9);
  });

  it('adds nothing when the given start is after the baseline (clamped to zero)', () => {
    manualTime();
    const { set } = sampled({ intervalS: 10, startupS: -3 });
    vi.advanceTimersByTime(2000);
    expect(readings(set).cpu.energyJ).toBeCloseTo(CPU_W * 2, 9);
  });
});

describe('SampledSensors: several sensors per component, methods, faults', () => {
  it('sums the GPUs, averages their utilisation and joins their descriptions', () => {
    manualTime();
    const gpus = [new SetSensor('gpu', 'GPU 0 (H200)'), new SetSensor('gpu', 'GPU 1 (H200)')];
    const cpu = new SetSensor('cpu', 'CPU set');
    nextSensors([...gpus, cpu], { cpu: 'set-cpu', gpu: 'nvml-energy', ram: 'none' });
    const { set } = sampled({ intervalS: 10 });

    expect(set.sensors.map((s) => s.description)).toEqual([
      'CPU set',
      'GPU 0 (H200); GPU 1 (H200)',
      'not measured',
    ]);
    expect(set.gpu.count).toBe(2);
    expect(set.sensors[1]?.utilisationPercent?.()).toBeUndefined();

    Object.assign(gpus[0] as SetSensor, { energyJ: 300, powerW: 300, percent: 40 });
    Object.assign(gpus[1] as SetSensor, { energyJ: 500, powerW: 500, percent: 80 });
    vi.advanceTimersByTime(1000);
    expect(readings(set).gpu).toEqual({ energyJ: 800, powerW: 800 });
    expect(set.sensors[1]?.utilisationPercent?.()).toBe(60);
    expect(set.sensors[0]?.utilisationPercent?.()).toBeUndefined();
  });

  it('starts every real sensor at the baseline, in seconds of the monotonic clock', () => {
    manualTime();
    const cpu = new SetSensor('cpu');
    nextSensors([cpu], { cpu: 'set-cpu', gpu: 'none', ram: 'none' });
    const before = monotonicMs();
    sampled();
    expect(cpu.startedAtS).toBe(before / 1000);
  });

  it('skips a NaN reading and keeps the last good cumulative energy', () => {
    manualTime();
    const cpu = new SetSensor('cpu');
    nextSensors([cpu], { cpu: 'set-cpu', gpu: 'none', ram: 'none' });
    const { set } = sampled({ intervalS: 10 });

    cpu.energyJ = 20;
    cpu.powerW = 20;
    vi.advanceTimersByTime(1000);
    cpu.energyJ = Number.NaN;
    cpu.powerW = Number.NaN;
    vi.advanceTimersByTime(1000);
    // A NaN counts as nothing for this reading (the next good one covers it).
    expect(readings(set).cpu).toEqual({ energyJ: 0, powerW: 0 });
    cpu.energyJ = 60;
    cpu.powerW = 40;
    vi.advanceTimersByTime(1000);
    expect(readings(set).cpu).toEqual({ energyJ: 60, powerW: 40 });
  });

  it('answers methods live: a sensor that hands over to its fallback says so at once', () => {
    const cpu = new SetSensor('cpu');
    const methods = { cpu: 'rapl-package', gpu: 'none', ram: 'ram-dimm-model' };
    nextSensors([cpu], methods);
    const { set } = sampled();
    expect(set.methods.cpu).toBe('rapl-package');
    expect(set.sensors[0]?.method).toBe('rapl-package');

    methods.cpu = 'tdp-load-model';
    expect(set.methods.cpu).toBe('tdp-load-model');
    expect(set.sensors[0]?.method).toBe('tdp-load-model');
    expect(set.sensors[2]?.method).toBe('ram-dimm-model');
  });
});

describe('SampledSensors: closing', () => {
  const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('close() stops the reading timer: no handle is left', () => {
    const before = timeouts();
    const sensors = new SampledSensors(
      hardware,
      plan(),
      new OnceLogger(silentLogger),
      10,
      monotonicMs(),
    );
    expect(timeouts()).toBe(before + 1);
    sensors.close();
    expect(timeouts()).toBe(before);
  });

  it("closing the bookkeeping's sensors releases every real sensor once and stops the timer", () => {
    const real = [new SetSensor('gpu'), new SetSensor('cpu'), new SetSensor('ram')];
    nextSensors(real, { cpu: 'set-cpu', gpu: 'set-gpu', ram: 'set-ram' });
    const before = timeouts();
    const { set } = new SampledSensors(
      hardware,
      plan(),
      new OnceLogger(silentLogger),
      10,
      monotonicMs(),
    );
    expect(timeouts()).toBe(before + 1);

    for (const sensor of set.sensors) sensor.close?.();
    expect(real.map((s) => s.closed)).toEqual([1, 1, 1]);
    expect(timeouts()).toBe(before);
  });

  it('releases the real sensors of the machine it built (forced powers) with the CPU entry', () => {
    const sensors = sampled();
    const machine = built.mock.results[0]?.value as SensorSet;
    const closes = machine.sensors.map((sensor) => {
      const close = vi.fn();
      Object.assign(sensor, { close });
      return close;
    });
    expect(closes).toHaveLength(2);

    sensors.set.sensors[2]?.close?.();
    sensors.set.sensors[1]?.close?.();
    expect(closes.map((close) => close.mock.calls.length)).toEqual([0, 0]);
    sensors.set.sensors[0]?.close?.();
    expect(closes.map((close) => close.mock.calls.length)).toEqual([1, 1]);
  });

  it('releases the other sensors when one fails to close, and never throws', () => {
    const failing = new SetSensor('cpu');
    failing.close = () => {
      throw new Error('library handle already gone');
    };
    const ram = new SetSensor('ram');
    nextSensors([failing, ram], { cpu: 'set-cpu', gpu: 'none', ram: 'set-ram' });
    const sensors = sampled();
    expect(() => sensors.close()).not.toThrow();
    expect(ram.closed).toBe(1);
  });
});
