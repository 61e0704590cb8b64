import { describe, expect, it } from 'vitest';
import type { GpuDevice } from '../../../src/sensors/gpu/gpu-device.js';
import {
  GpuDeviceSensor,
  type GpuEnergySource,
} from '../../../src/sensors/gpu/gpu-device-sensor.js';

/** A GPU whose readings the test sets: undefined means "this call fails now". */
class ScriptedGpu implements GpuDevice {
  readonly vendor = 'nvidia';
  readonly library = 'nvml';
  readonly vendorIndex = 0;
  readonly name = 'Test GPU';
  readonly uuid = 'GPU-test';
  readonly memoryTotalBytes = undefined;
  counterMj: number | undefined = 1_000_000;
  watts: number | undefined = 100;
  busy: number | undefined = 42;

  readonly powerLimitW: number | undefined;

  /** `null`: the driver does not say the power limit. */
  constructor(powerLimitW: number | null = 300) {
    this.powerLimitW = powerLimitW ?? undefined;
  }

  energyMj() {
    return this.counterMj;
  }
  powerW() {
    return this.watts;
  }
  utilisationPercent() {
    return this.busy;
  }
  migUuids() {
    return [];
  }
}

function sensorFor(device: GpuDevice, source: GpuEnergySource) {
  const warnings: string[] = [];
  const said = new Set<string>();
  const sensor = new GpuDeviceSensor({
    device,
    index: 3,
    source,
    method: `nvml-${source}`,
    description: 'test',
    warnOnce: (key, message) => {
      if (!said.has(key)) warnings.push(message);
      said.add(key);
    },
  });
  return { sensor, warnings };
}

describe('GpuDeviceSensor from the energy counter', () => {
  it('reports counter differences since start, mJ → J', () => {
    const gpu = new ScriptedGpu();
    const { sensor, warnings } = sensorFor(gpu, 'energy');
    sensor.start(100);

    gpu.counterMj = 1_000_000 + 1_500_000; // 1500 J in 10 s
    expect(sensor.read(110)).toEqual({ energyJ: 1500, powerW: 150 });
    gpu.counterMj += 500_000;
    expect(sensor.read(115)).toEqual({ energyJ: 2000, powerW: 100 });
    expect(warnings).toEqual([]);
  });

  it('matches upstream: 180,002 → 200,002 mJ over 5 s is 4 W (spec §14.2 item 12)', () => {
    const gpu = new ScriptedGpu();
    gpu.counterMj = 180_002;
    const { sensor } = sensorFor(gpu, 'energy');
    sensor.start(0);
    gpu.counterMj = 200_002;
    expect(sensor.read(5)).toEqual({ energyJ: 20, powerW: 4 });
  });

  it('rejects a jump above 1.5 × the power limit and uses a power reading for that interval', () => {
    const gpu = new ScriptedGpu(300);
    const { sensor, warnings } = sensorFor(gpu, 'energy');
    sensor.start(0);

    gpu.counterMj = 1_000_000 + 4_600_000; // 460 W over 10 s > 450 W
    gpu.watts = 120;
    expect(sensor.read(10)).toEqual({ energyJ: 1200, powerW: 120 });
    expect(warnings).toEqual([
      'GPU 3 (Test GPU): its energy counter moved by 4600.0 J in 10.0 s (460 W, power limit 300 W); that interval is measured from power readings instead.',
    ]);

    // The next interval is measured from the new counter value again.
    gpu.counterMj += 2_000_000;
    expect(sensor.read(20)).toEqual({ energyJ: 3200, powerW: 200 });
  });

  it('accepts exactly 1.5 × the power limit', () => {
    const gpu = new ScriptedGpu(300);
    const { sensor } = sensorFor(gpu, 'energy');
    sensor.start(0);
    gpu.counterMj = 1_000_000 + 4_500_000;
    expect(sensor.read(10).energyJ).toBe(4500);
  });

  it('rejects a counter that goes backwards (a driver reload)', () => {
    const gpu = new ScriptedGpu();
    const { sensor, warnings } = sensorFor(gpu, 'energy');
    sensor.start(0);
    gpu.counterMj = 10;
    gpu.watts = 50;
    expect(sensor.read(4)).toEqual({ energyJ: 200, powerW: 50 });
    expect(warnings).toHaveLength(1);
  });

  it('judges short intervals as if they lasted 1 s: counters move in steps', () => {
    const gpu = new ScriptedGpu(300);
    const { sensor, warnings } = sensorFor(gpu, 'energy');
    sensor.start(0);
    gpu.counterMj = 1_000_000 + 40_000; // 40 J in 0.1 s: 400 W, but one step of ≤ 450 J is fine
    expect(sensor.read(0.1).energyJ).toBe(40);
    expect(warnings).toEqual([]);
  });

  it('only rejects negative deltas when the power limit is unknown', () => {
    const gpu = new ScriptedGpu(null);
    const { sensor } = sensorFor(gpu, 'energy');
    sensor.start(0);
    gpu.counterMj = 1_000_000 + 50_000_000;
    expect(sensor.read(10).energyJ).toBe(50_000);
  });

  it('uses power while the counter fails, then re-baselines without counting twice', () => {
    const gpu = new ScriptedGpu();
    const { sensor, warnings } = sensorFor(gpu, 'energy');
    sensor.start(0);

    gpu.counterMj = undefined;
    gpu.watts = 80;
    expect(sensor.read(10)).toEqual({ energyJ: 800, powerW: 80 });

    gpu.counterMj = 9_000_000; // back, far ahead: this reading is only a new baseline
    gpu.watts = 90;
    expect(sensor.read(20)).toEqual({ energyJ: 1700, powerW: 90 });

    gpu.counterMj = 9_000_000 + 1_000_000;
    expect(sensor.read(30)).toEqual({ energyJ: 2700, powerW: 100 });
    expect(warnings).toEqual([
      'GPU 3 (Test GPU): its energy counter could not be read; power readings are used meanwhile.',
    ]);
  });

  it('holds the last power when neither energy nor power can be read, and says so once', () => {
    const gpu = new ScriptedGpu();
    const { sensor, warnings } = sensorFor(gpu, 'energy');
    sensor.start(0);
    gpu.counterMj = 1_000_000 + 1_000_000;
    sensor.read(10); // 100 W

    gpu.counterMj = undefined;
    gpu.watts = undefined;
    expect(sensor.read(20)).toEqual({ energyJ: 2000, powerW: 100 });
    expect(sensor.read(25)).toEqual({ energyJ: 2500, powerW: 100 });
    expect(warnings.filter((line) => line.includes('neither'))).toHaveLength(1);
  });

  it('never throws, even when the device does', () => {
    const gpu = new ScriptedGpu();
    gpu.energyMj = () => {
      throw new Error('driver gone');
    };
    const { sensor } = sensorFor(gpu, 'energy');
    sensor.start(0);
    expect(sensor.read(10)).toEqual({ energyJ: 1000, powerW: 100 });
  });

  it('returns the last reading for a zero or negative interval', () => {
    const gpu = new ScriptedGpu();
    const { sensor } = sensorFor(gpu, 'energy');
    sensor.start(0);
    gpu.counterMj = 2_000_000;
    sensor.read(10);
    expect(sensor.read(10)).toEqual({ energyJ: 1000, powerW: 100 });
    expect(sensor.read(9)).toEqual({ energyJ: 1000, powerW: 100 });
  });
});

describe('GpuDeviceSensor from power readings', () => {
  it('integrates power with trapezoids between readings', () => {
    const gpu = new ScriptedGpu();
    gpu.counterMj = undefined;
    gpu.watts = 100;
    const { sensor } = sensorFor(gpu, 'power');
    sensor.start(0);

    gpu.watts = 200;
    expect(sensor.read(10)).toEqual({ energyJ: 1500, powerW: 150 });
    gpu.watts = 200;
    expect(sensor.read(20)).toEqual({ energyJ: 3500, powerW: 200 });
  });

  it('reports the utilisation the driver gives, undefined when it cannot', () => {
    const gpu = new ScriptedGpu();
    const { sensor } = sensorFor(gpu, 'power');
    expect(sensor.utilisationPercent()).toBe(42);
    gpu.busy = undefined;
    expect(sensor.utilisationPercent()).toBeUndefined();
  });
});

describe('GpuDeviceSensor for the second die of an AMD package', () => {
  it('adds nothing: its energy is in the first die counter', () => {
    const gpu = new ScriptedGpu();
    const { sensor } = sensorFor(gpu, 'counted-by-sibling');
    sensor.start(0);
    expect(sensor.read(10)).toEqual({ energyJ: 0, powerW: 0 });
    expect(sensor.component).toBe('gpu');
  });
});
