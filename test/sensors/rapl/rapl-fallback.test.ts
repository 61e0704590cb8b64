import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuSensor } from '../../../src/sensors/cpu-selection.js';
import { ramSensor } from '../../../src/sensors/ram-selection.js';
import type { HardwareFacts, SensorConfig } from '../../../src/sensors/select-sensors.js';
import { FakePowercap, recordingLogger } from './fake-powercap.js';

let tree: FakePowercap;
afterEach(() => tree?.remove());

const J = 1e6; // µJ per joule
const GIB = 1024 ** 3;

/** Two sockets of a 50 W part: the load model's TDP is 100 W; 8 GiB: the DIMM model's 10 W. */
function facts(): HardwareFacts {
  return {
    cpu: { brand: 'Test CPU', logicalCount: 8, socketCount: 2, arch: 'x64' },
    tdp: () => ({ model: 'Test CPU', tdpW: 50 }),
    memory: { totalBytes: 8 * GIB, fromContainerLimit: false },
    cpuTimesReadable: true,
  };
}

function config(overrides: Partial<SensorConfig> = {}) {
  const { logger, lines } = recordingLogger();
  const sensorConfig: SensorConfig = {
    trackingMode: 'machine',
    forceCpuPower: undefined,
    forceRamPower: undefined,
    defaultCpuPower: 42.5,
    forceModeCpuLoad: false,
    raplIncludeDram: false,
    raplPreferPsys: false,
    gpuIds: undefined,
    env: {},
    logger,
    rootPid: 1,
    root: tree.root,
    ...overrides,
  };
  const warnings = () => lines.filter((l) => l.level === 'warn').map((l) => l.text);
  return { sensorConfig, warnings };
}

/** /proc/stat with `busy` and `idle` ticks (100 per second): the load model's input. */
function cpuTicks(busy: number, idle: number): void {
  const stat = join(tree.root, 'proc/stat');
  mkdirSync(dirname(stat), { recursive: true });
  writeFileSync(stat, `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\n`);
}

describe('cpuSensor when the RAPL counter disappears mid-run', () => {
  it('keeps the measured energy, then hands over to the load model from the first failure', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', energyUj: 0 });
    cpuTicks(0, 0);
    const { sensorConfig, warnings } = config();
    const sensor = cpuSensor(facts(), sensorConfig);
    sensor.start(0);

    tree.set('intel-rapl:0', 300 * J);
    expect(sensor.read(10)).toEqual({ energyJ: 300, powerW: 30 });

    rmSync(tree.path('intel-rapl:0'));
    cpuTicks(1000, 0); // the model's baseline, at the first failed read
    expect(sensor.read(20)).toEqual({ energyJ: 300, powerW: 30 });
    cpuTicks(2000, 0); // fully busy: 100 W
    expect(sensor.read(30)).toEqual({ energyJ: 300, powerW: 30 });
    expect(sensor.method).toBe('rapl-package');
    cpuTicks(3000, 0);
    // 300 J measured + 10 s before the first failure at the model's mean 100 W + 20 s of model.
    expect(sensor.read(40)).toEqual({ energyJ: 300 + 1000 + 2000, powerW: 100 });
    cpuTicks(3000, 1000); // idle: 10 W
    expect(sensor.read(50)).toEqual({ energyJ: 3400, powerW: 10 });

    expect(sensor.method).toBe('tdp-load-model (after rapl-package failed)');
    expect(sensor.description).toBe(
      'TDP 50 W × 2 sockets (Test CPU), machine load curve, after rapl-package failed (/sys/class/powercap/intel-rapl:0/energy_uj: ENOENT)',
    );
    expect(warnings()).toEqual([
      'Could not read RAPL counter /sys/class/powercap/intel-rapl:0/energy_uj (ENOENT); its last good reading is kept and the energy is counted at the next good read (warned once).',
      'CPU measurement failed 3 times in a row (RAPL package-0 (intel-rapl:0), whole machine, rapl-package): /sys/class/powercap/intel-rapl:0/energy_uj: ENOENT. From now on CPU power is estimated with tdp-load-model; the 300 J measured until then are kept. Check that the powercap files are still there and readable (the intel_rapl_common module loaded, the permissions of energy_uj), then start a new run to measure with RAPL again.',
    ]);
  });

  it('one socket of two failing hands the whole CPU over: no partial sum is reported', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 0 })
      .zone('intel-rapl:1', { name: 'package-1', energyUj: 5000 * J });
    cpuTicks(0, 0);
    const sensor = cpuSensor(facts(), config().sensorConfig);
    sensor.start(0);
    tree.set('intel-rapl:0', 100 * J);
    tree.set('intel-rapl:1', 5100 * J);
    expect(sensor.read(10)).toEqual({ energyJ: 200, powerW: 20 });

    rmSync(tree.path('intel-rapl:1'));
    const readings = [20, 30, 40].map((second, step) => {
      tree.set('intel-rapl:0', (100 + 100 * (step + 1)) * J); // still counting
      cpuTicks(1000 * (step + 1), 0);
      return sensor.read(second).energyJ;
    });
    // Held at 200 J, then 200 J + 30 s of the 100 W model: package-0 alone is not the CPU.
    expect(readings).toEqual([200, 200, 3200]);
  });

  it('a counter that comes back within two reads still counts every joule, with no hand-over', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', counter: 'file' });
    const { sensorConfig, warnings } = config();
    const sensor = cpuSensor(facts(), sensorConfig);
    sensor.start(0);

    rmSync(tree.path('intel-rapl:0'));
    expect(sensor.read(10).energyJ).toBe(0);
    expect(sensor.read(20).energyJ).toBe(0);
    tree.set('intel-rapl:0', 90 * J);
    expect(sensor.read(30)).toEqual({ energyJ: 90, powerW: 3 });
    expect(sensor.method).toBe('rapl-package');
    expect(warnings()).toHaveLength(1); // the read failure, no hand-over
  });
});

describe('ramSensor when the RAPL DRAM counter becomes unreadable mid-run', () => {
  it('hands RAM over to the DIMM model', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 0 })
      .zone('intel-rapl:0:0', { name: 'dram', energyUj: 0 });
    const sensor = ramSensor(facts(), config({ raplIncludeDram: true }).sensorConfig);
    sensor.start(0);
    tree.set('intel-rapl:0:0', 40 * J);
    expect(sensor.read(10)).toEqual({ energyJ: 40, powerW: 4 });

    const counter = tree.path('intel-rapl:0:0');
    rmSync(counter);
    mkdirSync(counter); // reads fail with EISDIR
    const energies = [20, 30, 40, 50].map((second) => sensor.read(second).energyJ);

    // 40 J measured, then the 10 W model from the last good read on.
    expect(energies).toEqual([40, 40, 340, 440]);
    expect(sensor.method).toBe('ram-dimm-model (after rapl-dram failed)');
  });
});
