import { describe, expect, it } from 'vitest';
import { RamModelSensor } from '../../src/sensors/ram-model-sensor.js';

const GIB = 1024 ** 3;

describe('RamModelSensor', () => {
  it('machine mode: the DIMM-model power, constant', () => {
    const sensor = new RamModelSensor({
      machinePowerW: 10,
      totalBytes: 16 * GIB,
      trackingMode: 'machine',
      description: 'test',
    });
    sensor.start(0);
    expect(sensor.read(60)).toEqual({ energyJ: 600, powerW: 10 });
  });

  it('process mode: the machine RAM power shared by resident memory (not a 10 W floor)', () => {
    let rss = 1 * GIB;
    const sensor = new RamModelSensor({
      machinePowerW: 20,
      totalBytes: 32 * GIB,
      trackingMode: 'process',
      readTreeRssBytes: () => rss,
      description: 'test',
    });
    sensor.start(0);

    rss = 3 * GIB; // mean over the interval: 2 GiB of 32 → 1/16 of 20 W
    const reading = sensor.read(10);
    expect(reading.powerW).toBeCloseTo(1.25, 12);
    expect(reading.energyJ).toBeCloseTo(12.5, 12);
  });
});
