import { describe, expect, it } from 'vitest';
import { ConstantPowerSensor } from '../../src/sensors/constant-power-sensor.js';
import { FAILED_READS_BEFORE_FALLBACK, FallbackSensor } from '../../src/sensors/fallback-sensor.js';
import type { MeasuredSensor, SensorReading } from '../../src/sensors/sensor.js';
import { recordingLogger } from './rapl/fake-powercap.js';

/**
 * A counter the test moves: `counterJ` is the hardware total; `failing` makes reads fail,
 * keeping the previous good value as RAPL does.
 */
class ScriptedCounter implements MeasuredSensor {
  readonly component = 'cpu';
  readonly method = 'fake-counter';
  readonly description = 'fake counter';
  counterJ = 0;
  failing: string | undefined;
  lastFailure: string | undefined;
  private baseJ = 0;
  private lastGoodJ = 0;
  private lastS = 0;

  start(nowS: number): void {
    this.baseJ = this.counterJ;
    this.lastGoodJ = this.counterJ;
    this.lastS = nowS;
  }

  read(nowS: number): SensorReading {
    this.lastFailure = this.failing;
    const previousJ = this.lastGoodJ;
    if (this.failing === undefined) this.lastGoodJ = this.counterJ;
    const powerW = (this.lastGoodJ - previousJ) / (nowS - this.lastS);
    this.lastS = nowS;
    return { energyJ: this.lastGoodJ - this.baseJ, powerW };
  }
}

function setup() {
  const counter = new ScriptedCounter();
  const { logger, lines } = recordingLogger();
  const sensor = new FallbackSensor({
    primary: counter,
    fallback: new ConstantPowerSensor('cpu', 20, 'fake-model', '20 W model'),
    instead: 'CPU power is estimated with fake-model',
    advice: 'Fix it.',
    logger,
  });
  const warnings = () => lines.filter((line) => line.level === 'warn').map((line) => line.text);
  return { counter, sensor, warnings };
}

describe('FallbackSensor', () => {
  it('passes the measured readings through while they work', () => {
    const { counter, sensor, warnings } = setup();
    sensor.start(0);
    counter.counterJ = 500;
    expect(sensor.read(10)).toEqual({ energyJ: 500, powerW: 50 });
    expect([sensor.method, sensor.description]).toEqual(['fake-counter', 'fake counter']);
    expect(warnings()).toEqual([]);
  });

  it('holds the last good reading through a short failure, then catches up from the counter', () => {
    const { counter, sensor, warnings } = setup();
    sensor.start(0);
    counter.counterJ = 500;
    sensor.read(10);

    counter.failing = 'EIO';
    counter.counterJ = 900;
    expect(sensor.read(20)).toEqual({ energyJ: 500, powerW: 50 });
    expect(sensor.read(30)).toEqual({ energyJ: 500, powerW: 50 });

    counter.failing = undefined;
    counter.counterJ = 1400;
    expect(sensor.read(40)).toEqual({ energyJ: 1400, powerW: 90 });
    expect(sensor.method).toBe('fake-counter');
    expect(warnings()).toEqual([]);
  });

  it('never hands over for failures that are not in a row', () => {
    const { counter, sensor } = setup();
    sensor.start(0);
    for (let second = 1; second <= 3 * FAILED_READS_BEFORE_FALLBACK; second += 1) {
      counter.counterJ = 10 * second;
      counter.failing = second % 2 === 1 ? 'EIO' : undefined;
      sensor.read(second);
    }
    expect(sensor.method).toBe('fake-counter');
  });

  it(`hands over after ${FAILED_READS_BEFORE_FALLBACK} failed reads in a row, keeping the measured energy and leaving no gap`, () => {
    const { counter, sensor, warnings } = setup();
    sensor.start(0);
    counter.counterJ = 500;
    sensor.read(10); // last good read: 500 J at 10 s

    counter.failing = '/sys/class/powercap/intel-rapl:0/energy_uj: ENOENT';
    expect(sensor.read(20)).toEqual({ energyJ: 500, powerW: 50 }); // the model starts here
    expect(sensor.read(30)).toEqual({ energyJ: 500, powerW: 50 });
    // 500 J measured + 10 s between the last good read and the first failure at the model's
    // 20 W + 20 s of model since the first failure.
    expect(sensor.read(40)).toEqual({ energyJ: 500 + 200 + 400, powerW: 20 });
    expect(sensor.read(50)).toEqual({ energyJ: 1300, powerW: 20 });

    counter.failing = undefined; // the counter is not tried again in this run
    counter.counterJ = 99_999;
    expect(sensor.read(60)).toEqual({ energyJ: 1500, powerW: 20 });
    expect(sensor.method).toBe('fake-model (after fake-counter failed)');
    expect(sensor.description).toBe(
      '20 W model, after fake-counter failed (/sys/class/powercap/intel-rapl:0/energy_uj: ENOENT)',
    );
    expect(warnings()).toEqual([
      'CPU measurement failed 3 times in a row (fake counter, fake-counter): /sys/class/powercap/intel-rapl:0/energy_uj: ENOENT. From now on CPU power is estimated with fake-model; the 500 J measured until then are kept. Fix it.',
    ]);
  });

  it('does not take a repeated reading time for another failed read', () => {
    const { counter, sensor } = setup();
    sensor.start(0);
    counter.failing = 'EIO';
    sensor.read(10);
    sensor.read(10);
    sensor.read(10);
    expect(sensor.read(20)).toEqual({ energyJ: 0, powerW: 0 });
    expect(sensor.method).toBe('fake-counter');
  });

  it('tries the measured sensor again on a new start()', () => {
    const { counter, sensor, warnings } = setup();
    sensor.start(0);
    counter.failing = 'EIO';
    for (let second = 1; second <= FAILED_READS_BEFORE_FALLBACK; second += 1) sensor.read(second);
    expect(sensor.method).toBe('fake-model (after fake-counter failed)');

    counter.failing = undefined;
    sensor.start(100);
    counter.counterJ += 70;
    expect(sensor.read(110)).toEqual({ energyJ: 70, powerW: 7 });
    expect(sensor.method).toBe('fake-counter');
    expect(warnings()).toHaveLength(1);
  });

  it('refuses a fallback for another component', () => {
    const { logger } = recordingLogger();
    expect(
      () =>
        new FallbackSensor({
          primary: new ScriptedCounter(),
          fallback: new ConstantPowerSensor('ram', 5, 'forced', '5 W'),
          instead: '',
          advice: '',
          logger,
        }),
    ).toThrow('fallback for cpu measures ram');
  });
});
