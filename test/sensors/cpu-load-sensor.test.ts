import { describe, expect, it } from 'vitest';
import { CpuLoadSensor, type CpuTimesSource } from '../../src/sensors/cpu-load-sensor.js';

/** Fake cumulative CPU times: `busyShare` of `cores` CPUs busy since time 0. */
function fakeTimes(state: { nowS: number; busyShare: number; cores: number; treeCpuS?: number }) {
  let busyS = 0;
  let lastS = 0;
  const advanceTo = () => {
    busyS += (state.nowS - lastS) * state.cores * state.busyShare;
    lastS = state.nowS;
  };
  const times: CpuTimesSource = {
    system: () => {
      advanceTo();
      return { busyS, totalS: state.nowS * state.cores };
    },
    processTree: () => state.treeCpuS,
  };
  return times;
}

describe('CpuLoadSensor', () => {
  it('integrates TDP × (0.1 + 0.9·u³) over the machine utilisation of each interval', () => {
    const state = { nowS: 100, busyShare: 0.5, cores: 4 };
    const sensor = new CpuLoadSensor({
      tdpW: 65,
      logicalCount: 4,
      trackingMode: 'machine',
      times: fakeTimes(state),
      fallbackPowerW: 42.5,
      method: 'tdp-load-model',
      description: 'test',
    });
    sensor.start(state.nowS);

    state.nowS += 10;
    const reading = sensor.read(state.nowS);

    expect(reading.powerW).toBeCloseTo(13.8125, 10);
    expect(reading.energyJ).toBeCloseTo(138.125, 9);
  });

  it('accounts for the whole period when a reading comes late (blocked event loop)', () => {
    const state = { nowS: 0, busyShare: 1, cores: 2 };
    const sensor = new CpuLoadSensor({
      tdpW: 10,
      logicalCount: 2,
      trackingMode: 'machine',
      times: fakeTimes(state),
      fallbackPowerW: 42.5,
      method: 'tdp-load-model',
      description: 'test',
    });
    sensor.start(0);

    state.nowS = 95; // six 15 s intervals missed, then one late reading
    expect(sensor.read(95).energyJ).toBeCloseTo(10 * 95, 9);
  });

  it('process mode: the tree share of all CPUs × TDP, clamped to [0, 1]', () => {
    const state = { nowS: 0, busyShare: 0, cores: 8, treeCpuS: 0 };
    const sensor = new CpuLoadSensor({
      tdpW: 100,
      logicalCount: 8,
      trackingMode: 'process',
      times: fakeTimes(state),
      fallbackPowerW: 42.5,
      method: 'tdp-load-model',
      description: 'test',
    });
    sensor.start(0);

    state.nowS = 2;
    state.treeCpuS = 4; // 4 CPU-seconds in 2 s on 8 CPUs → 25 %
    expect(sensor.read(2).powerW).toBeCloseTo(25, 10);

    state.nowS = 3;
    state.treeCpuS = 100; // impossible jump: clamped to all CPUs
    expect(sensor.read(3).powerW).toBe(100);

    state.nowS = 4;
    state.treeCpuS = 50; // tree shrank (a child vanished unreaped): never negative
    expect(sensor.read(4).powerW).toBe(0);
    expect(sensor.read(4).energyJ).toBeCloseTo(50 + 100, 9);
  });

  it('uses the fallback power for an interval whose CPU times cannot be read', () => {
    let readable = true;
    const sensor = new CpuLoadSensor({
      tdpW: 65,
      logicalCount: 2,
      trackingMode: 'machine',
      times: { system: () => (readable ? { busyS: 0, totalS: 0 } : undefined) },
      fallbackPowerW: 42.5,
      method: 'tdp-load-model',
      description: 'test',
    });
    sensor.start(0);
    readable = false;

    const reading = sensor.read(2);
    expect(reading.powerW).toBe(42.5);
    expect(reading.energyJ).toBe(85);
  });

  it('readings closer than a clock tick keep the latest power, not the fallback (task boundaries)', () => {
    // Counters that move in 10 ms ticks, half of 2 CPUs busy: 65 W × (0.1 + 0.9 × 0.125).
    const tick = 0.01;
    let nowS = 0;
    const ticked = () => Math.floor(nowS / tick + 1e-9) * tick;
    const sensor = new CpuLoadSensor({
      tdpW: 65,
      logicalCount: 2,
      trackingMode: 'machine',
      times: { system: () => ({ busyS: ticked(), totalS: 2 * ticked() }) },
      fallbackPowerW: 42.5,
      method: 'tdp-load-model',
      description: 'test',
    });
    const expectedW = 65 * (0.1 + 0.9 * 0.5 ** 3);
    sensor.start(0);

    nowS = 0.02;
    expect(sensor.read(nowS).powerW).toBeCloseTo(expectedW, 9);
    for (let i = 1; i <= 50; i++) {
      nowS = 0.02 + i * 0.001; // fifty readings 1 ms apart
      expect(sensor.read(nowS).powerW).toBeCloseTo(expectedW, 9);
    }
    expect(sensor.read(nowS).energyJ).toBeCloseTo(expectedW * nowS, 9);
  });

  it('process mode: intervals shorter than five ticks are pooled, so the share stays true', () => {
    const state = { nowS: 0, busyShare: 0, cores: 4, treeCpuS: 0 };
    const sensor = new CpuLoadSensor({
      tdpW: 100,
      logicalCount: 4,
      trackingMode: 'process',
      times: fakeTimes(state),
      fallbackPowerW: 42.5,
      method: 'tdp-load-model',
      description: 'test',
    });
    sensor.start(0);
    state.nowS = 1;
    state.treeCpuS = 1; // one CPU of four: 25 W
    expect(sensor.read(1).powerW).toBeCloseTo(25, 9);

    // The tree's time moves a whole tick (10 ms) within 2 ms: alone that would read 100 W.
    state.nowS = 1.002;
    state.treeCpuS = 1.01;
    expect(sensor.read(1.002).powerW).toBeCloseTo(25, 9);
    // Pooled up to 50 ms, the share is true again: 0.0125 CPU-s over 0.05 s on 4 CPUs.
    state.nowS = 1.05;
    state.treeCpuS = 1.0125;
    expect(sensor.read(1.05).powerW).toBeCloseTo(100 * (0.0125 / 0.05 / 4), 9);
  });

  it('a first reading within the same tick uses the load since boot, not the fallback', () => {
    // A quarter of 2 CPUs busy since boot; no tick passes between start and the reading.
    const sensor = new CpuLoadSensor({
      tdpW: 65,
      logicalCount: 2,
      trackingMode: 'machine',
      times: { system: () => ({ busyS: 50, totalS: 200 }) },
      fallbackPowerW: 42.5,
      method: 'tdp-load-model',
      description: 'test',
    });
    sensor.start(0);

    expect(sensor.read(0.004).powerW).toBeCloseTo(65 * (0.1 + 0.9 * 0.25 ** 3), 9);
  });
});
