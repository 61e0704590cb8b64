import { describe, expect, it } from 'vitest';
import { Accountant, JOULES_PER_KWH } from '../../src/tracker/accountant.js';
import { UtilisationMonitor } from '../../src/tracker/utilisation-monitor.js';
import { ConstantFakeSensor, CounterFakeSensor, ManualClock } from '../helpers/fakes.js';

const monitor = () =>
  new UtilisationMonitor({ cpuTimes: () => undefined, memory: () => undefined });

describe('Accountant', () => {
  it('applies PUE to energy exactly once and converts with the intensity in force', () => {
    const clock = new ManualClock();
    const accountant = new Accountant({
      sensors: [new ConstantFakeSensor('cpu', 36), new ConstantFakeSensor('ram', 10)],
      monitor: monitor(),
      intensity: () => ({ intensityGPerKwh: 56.039 }),
      pue: 1.2,
      wue: 1.8,
      clock: clock.read,
    });
    accountant.start();

    clock.advance(3600);
    const snapshot = accountant.sample();

    const kwh = ((36 + 10) * 3600 * 1.2) / JOULES_PER_KWH;
    expect(snapshot.rawEnergyJ.cpu).toBe(36 * 3600);
    expect(snapshot.energyJ.cpu).toBeCloseTo(36 * 3600 * 1.2, 6);
    expect(snapshot.emissionsKg).toBeCloseTo((kwh * 56.039) / 1000, 15);
    expect(snapshot.waterL).toBeCloseTo(kwh * 1.8, 15);
  });

  it('converts each slice with the intensity current when it was read (spec §7.1)', () => {
    const clock = new ManualClock();
    const counter = new CounterFakeSensor('cpu');
    let intensityGPerKwh = 100;
    const accountant = new Accountant({
      sensors: [counter],
      monitor: monitor(),
      intensity: () => ({ intensityGPerKwh }),
      pue: 1,
      wue: 0,
      clock: clock.read,
    });
    accountant.start();

    const emissions: number[] = [];
    for (const next of [200, 300, 400]) {
      counter.energyJ += JOULES_PER_KWH; // 1 kWh per reading
      clock.advance(1);
      emissions.push(accountant.sample().emissionsKg);
      intensityGPerKwh = next;
    }
    expect(emissions.map((kg) => Number(kg.toFixed(12)))).toEqual([0.1, 0.3, 0.6]);
  });

  it('keeps energy read under a provisional intensity aside and converts it with the first definite one', () => {
    const clock = new ManualClock();
    const counter = new CounterFakeSensor('cpu');
    let intensity = { intensityGPerKwh: 475, provisional: true };
    const accountant = new Accountant({
      sensors: [counter],
      monitor: monitor(),
      intensity: () => intensity,
      pue: 1,
      wue: 0,
      clock: clock.read,
    });
    accountant.start();

    counter.energyJ = JOULES_PER_KWH;
    clock.advance(1);
    expect(accountant.sample().emissionsKg).toBe(0);

    intensity = { intensityGPerKwh: 50, provisional: false };
    counter.energyJ = 2 * JOULES_PER_KWH;
    clock.advance(1);
    expect(accountant.sample().emissionsKg).toBeCloseTo(0.1, 15);
  });

  it('a record made while still provisional converts the energy kept aside at that moment', () => {
    const clock = new ManualClock();
    const counter = new CounterFakeSensor('cpu');
    const accountant = new Accountant({
      sensors: [counter],
      monitor: monitor(),
      intensity: () => ({ intensityGPerKwh: 475, provisional: true }),
      pue: 1,
      wue: 0,
      clock: clock.read,
    });
    accountant.start();
    counter.energyJ = JOULES_PER_KWH;
    clock.advance(1);
    accountant.sample();
    expect(accountant.settled().emissionsKg).toBeCloseTo(0.475, 15);
    expect(accountant.settled().emissionsKg).toBeCloseTo(0.475, 15);
  });

  it('never lets cumulative energy decrease, even if a sensor misbehaves', () => {
    const clock = new ManualClock();
    const counter = new CounterFakeSensor('cpu');
    const accountant = new Accountant({
      sensors: [counter],
      monitor: monitor(),
      intensity: () => ({ intensityGPerKwh: 500 }),
      pue: 1,
      wue: 0,
      clock: clock.read,
    });
    accountant.start();
    counter.energyJ = 100;
    clock.advance(1);
    accountant.sample();
    counter.energyJ = 40;
    clock.advance(1);
    const snapshot = accountant.sample();
    expect(snapshot.rawEnergyJ.cpu).toBe(100);
    expect(snapshot.emissionsKg).toBeGreaterThanOrEqual(0);
  });
});

describe('Accountant with several sensors per component', () => {
  it('adds up the energy of every GPU', () => {
    const clock = new ManualClock();
    const accountant = new Accountant({
      sensors: [new ConstantFakeSensor('gpu', 120), new ConstantFakeSensor('gpu', 60)],
      monitor: monitor(),
      intensity: () => ({ intensityGPerKwh: 100 }),
      pue: 1,
      wue: 0,
      clock: clock.read,
    });
    accountant.start();
    clock.advance(10);
    const snapshot = accountant.sample();
    expect(snapshot.rawEnergyJ.gpu).toBe(1800);
    expect(snapshot.powerW.gpu).toBe(180);
  });
});
