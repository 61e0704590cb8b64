import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IntensityNow } from '../../src/intensity/intensity-feed.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import type { Component, EnergySensor, SensorReading } from '../../src/sensors/sensor.js';
import { Accountant, JOULES_PER_KWH, type Snapshot } from '../../src/tracker/accountant.js';
import { buildRecord, type RunFacts } from '../../src/tracker/record-builder.js';
import { UtilisationMonitor } from '../../src/tracker/utilisation-monitor.js';
import { ManualClock } from '../helpers/fakes.js';
import { propertyRuns } from './property-runs.js';

/** A sensor whose next reading the test sets; `energyJ` is cumulative joules since start. */
class ScriptedSensor implements EnergySensor {
  readonly description = 'scripted';
  readonly method: string;
  reading: SensorReading = { energyJ: 0, powerW: 0 };

  constructor(readonly component: Component) {
    this.method = `scripted-${component}`;
  }

  start(): void {
    this.reading = { energyJ: 0, powerW: 0 };
  }

  read(): SensorReading {
    return this.reading;
  }
}

const facts: RunFacts = {
  projectName: 'robustness',
  runId: '00000000-0000-4000-8000-000000000011',
  experimentId: '5b0fa12a-3dd7-45bb-9766-cc326314d9f1',
  os: 'Linux',
  runtimeVersion: 'node-20',
  version: '0.0.0',
  cpuCount: 4,
  cpuModel: 'fake',
  gpuCount: 2,
  gpuModel: 'fake',
  ramTotalSizeGiB: 16,
  trackingMode: 'machine',
  pue: 1,
  wue: 0,
  methods: { cpu: 'scripted-cpu', gpu: 'scripted-gpu', ram: 'scripted-ram' },
};

const place: IntensityNow = {
  intensityGPerKwh: 0,
  source: 'country',
  countryIsoCode: 'FRA',
  countryName: 'France',
  detail: 'test',
  warnings: [],
};

/** Joules one sensor drew during one reading (often exactly 0: an idle or stalled sensor). */
const sliceJArb = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true }));

/** One reading: seconds since the previous, joules each sensor drew, the intensity in force. */
const stepArb = fc.record({
  intervalS: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 3600, noNaN: true })),
  // cpu, gpu #0, gpu #1, ram
  sliceJ: fc.tuple(sliceJArb, sliceJArb, sliceJArb, sliceJArb),
  intensityGPerKwh: fc.double({ min: 0, max: 2000, noNaN: true }),
  provisional: fc.boolean(),
});

const runArb = fc.record({
  pue: fc.double({ min: 1, max: 3, noNaN: true }),
  wue: fc.double({ min: 0, max: 5, noNaN: true }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 40 }),
});

/** Relative closeness that tolerates float summation order. */
function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function numericFields(record: EmissionsData): [string, number][] {
  return Object.entries(record).filter((entry): entry is [string, number] => {
    return typeof entry[1] === 'number';
  });
}

function expectAllFinite(record: EmissionsData): void {
  for (const [key, value] of numericFields(record)) {
    expect(Number.isFinite(value), `${key} = ${value}`).toBe(true);
  }
}

type RunOptions = typeof runArb extends fc.Arbitrary<infer T> ? T : never;

function run(options: RunOptions) {
  const clock = new ManualClock();
  const sensors = [
    new ScriptedSensor('cpu'),
    new ScriptedSensor('gpu'),
    new ScriptedSensor('gpu'),
    new ScriptedSensor('ram'),
  ];
  let intensity = { intensityGPerKwh: 0, provisional: false };
  const accountant = new Accountant({
    sensors,
    monitor: new UtilisationMonitor({ cpuTimes: () => undefined, memory: () => undefined }),
    intensity: () => intensity,
    pue: options.pue,
    wue: options.wue,
    clock: clock.read,
  });
  const first = accountant.start();
  const snapshots: Snapshot[] = [structuredClone(first)];
  const model = { rawJ: { cpu: 0, gpu: 0, ram: 0 }, emissionsKg: 0, waterL: 0, pendingKwh: 0 };
  for (const step of options.steps) {
    clock.advance(step.intervalS);
    const [cpu, gpu0, gpu1, ram] = step.sliceJ;
    sensors.forEach((sensor, i) => {
      const add = step.sliceJ[i] ?? 0;
      sensor.reading = {
        energyJ: sensor.reading.energyJ + add,
        powerW: step.intervalS > 0 ? add / step.intervalS : 0,
      };
    });
    intensity = { intensityGPerKwh: step.intensityGPerKwh, provisional: step.provisional };
    snapshots.push(structuredClone(accountant.sample()));

    // The specification, written out: PUE once on each slice, each slice at its intensity,
    // slices read under a provisional intensity converted with the next definite one.
    model.rawJ.cpu += cpu;
    model.rawJ.gpu += gpu0 + gpu1;
    model.rawJ.ram += ram;
    const sliceKwh = ((cpu + gpu0 + gpu1 + ram) * options.pue) / JOULES_PER_KWH;
    model.waterL += sliceKwh * options.wue;
    if (step.provisional) model.pendingKwh += sliceKwh;
    else {
      model.emissionsKg += ((model.pendingKwh + sliceKwh) * step.intensityGPerKwh) / 1000;
      model.pendingKwh = 0;
    }
  }
  const settled = structuredClone(accountant.settled());
  model.emissionsKg += (model.pendingKwh * intensity.intensityGPerKwh) / 1000;
  return { first, snapshots, settled, model, options };
}

describe('Accounting under generated sensor energies, intervals and intensities (issue 11)', () => {
  it('total = Σ components, PUE applied once, emissions = Σ slice × its intensity, water = WUE × energy', () => {
    fc.assert(
      fc.property(runArb, (options) => {
        const { first, settled, model } = run(options);
        const record = buildRecord(first, settled, { ...facts, pue: options.pue }, place);

        expect(record.energyConsumed).toBe(record.cpuEnergy + record.gpuEnergy + record.ramEnergy);
        for (const component of ['cpu', 'gpu', 'ram'] as const) {
          expectClose(settled.rawEnergyJ[component], model.rawJ[component]);
          expectClose(settled.energyJ[component], settled.rawEnergyJ[component] * options.pue);
        }
        expectClose(record.cpuEnergy, (model.rawJ.cpu * options.pue) / JOULES_PER_KWH);
        expectClose(record.gpuEnergy, (model.rawJ.gpu * options.pue) / JOULES_PER_KWH);
        expectClose(record.ramEnergy, (model.rawJ.ram * options.pue) / JOULES_PER_KWH);
        expectClose(record.emissions, model.emissionsKg);
        expectClose(record.waterConsumed, model.waterL);
        // Power is measured before the PUE: it is what the hardware drew.
        const durationS = settled.timeS - first.timeS;
        if (durationS > 0) expectClose(record.cpuPower, model.rawJ.cpu / durationS);
      }),
      { numRuns: propertyRuns() },
    );
  });

  it('delta records add up to the total record and no record field is NaN or infinite', () => {
    fc.assert(
      fc.property(runArb, (options) => {
        const { first, snapshots, settled } = run(options);
        // Records between consecutive readings (as a run with delta output writes them).
        const ends = [...snapshots.slice(1, -1), settled];
        let emissions = 0;
        let energy = 0;
        let water = 0;
        ends.forEach((to, i) => {
          const delta = buildRecord(snapshots[i] as Snapshot, to, facts, place);
          expectAllFinite(delta);
          expect(delta.energyConsumed).toBeGreaterThanOrEqual(0);
          expect(delta.emissions).toBeGreaterThanOrEqual(-1e-18);
          emissions += delta.emissions;
          energy += delta.energyConsumed;
          water += delta.waterConsumed;
        });
        const total = buildRecord(first, settled, facts, place);
        expectAllFinite(total);
        expectClose(emissions, total.emissions);
        expectClose(energy, total.energyConsumed);
        expectClose(water, total.waterConsumed);
      }),
      { numRuns: propertyRuns() },
    );
  });

  it('cumulative energy and emissions never decrease, even when a sensor goes backwards', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (cumulativeJ) => {
          const clock = new ManualClock();
          const sensor = new ScriptedSensor('cpu');
          const accountant = new Accountant({
            sensors: [sensor],
            monitor: new UtilisationMonitor({ cpuTimes: () => undefined, memory: () => undefined }),
            intensity: () => ({ intensityGPerKwh: 100 }),
            pue: 1.5,
            wue: 1,
            clock: clock.read,
          });
          let previous = accountant.start();
          for (const energyJ of cumulativeJ) {
            sensor.reading = { energyJ, powerW: 0 };
            clock.advance(1);
            const next = structuredClone(accountant.sample());
            expect(next.rawEnergyJ.cpu).toBeGreaterThanOrEqual(previous.rawEnergyJ.cpu);
            expect(next.emissionsKg).toBeGreaterThanOrEqual(previous.emissionsKg);
            expect(next.waterL).toBeGreaterThanOrEqual(previous.waterL);
            previous = next;
          }
          expect(previous.rawEnergyJ.cpu).toBe(Math.max(0, ...cumulativeJ));
        },
      ),
      { numRuns: propertyRuns() },
    );
  });

  it('a sensor answering NaN or Infinity once does not poison the run (regression: it did)', () => {
    // Found by fault injection: cpu 10 J, then NaN (or Infinity), then 20 J made every later
    // snapshot's energy and emissions NaN/Infinity, so every later record carried them.
    fc.assert(
      fc.property(
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0),
        (badEnergyJ, badPowerW) => {
          const clock = new ManualClock();
          const sensor = new ScriptedSensor('cpu');
          const accountant = new Accountant({
            sensors: [sensor, new ScriptedSensor('ram')],
            monitor: new UtilisationMonitor({ cpuTimes: () => undefined, memory: () => undefined }),
            intensity: () => ({ intensityGPerKwh: 100 }),
            pue: 1,
            wue: 0,
            clock: clock.read,
          });
          const first = structuredClone(accountant.start());
          const readings: SensorReading[] = [
            { energyJ: 10, powerW: 10 },
            { energyJ: badEnergyJ, powerW: badPowerW },
            { energyJ: 20, powerW: 10 },
          ];
          const snapshots = readings.map((reading) => {
            sensor.reading = reading;
            clock.advance(1);
            return structuredClone(accountant.sample());
          });
          expect(snapshots.map((s) => s.rawEnergyJ.cpu)).toEqual([10, 10, 20]);
          expect(snapshots.every((s) => Number.isFinite(s.powerW.cpu))).toBe(true);
          const total = buildRecord(first, accountant.settled(), facts, place);
          expectAllFinite(total);
          expectClose(total.emissions, (20 / JOULES_PER_KWH) * 0.1);
        },
      ),
      { numRuns: 9 },
    );
  });
});
