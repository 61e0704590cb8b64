import { afterEach, describe, expect, it } from 'vitest';
import type { ReadTextFile } from '../../../src/sensors/rapl/counter-file.js';
import {
  type RaplConfig,
  raplCpuSensor,
  raplDramSensor,
} from '../../../src/sensors/rapl/rapl-selection.js';
import type { EnergySensor } from '../../../src/sensors/sensor.js';
import { FakePowercap, faultyReader, MAX_RANGE_UJ, recordingLogger } from './fake-powercap.js';

let tree: FakePowercap;
afterEach(() => tree?.remove());

const J = 1e6; // µJ per joule

function config(overrides: Partial<RaplConfig> = {}): RaplConfig {
  return {
    root: tree.root,
    raplPreferPsys: false,
    raplIncludeDram: false,
    forceCpuPower: undefined,
    forceModeCpuLoad: false,
    logger: recordingLogger().logger,
    ...overrides,
  };
}

function cpu(overrides: Partial<RaplConfig> = {}, readFile?: ReadTextFile): EnergySensor {
  const sensor = raplCpuSensor(config(overrides), readFile);
  if (!sensor) throw new Error('expected a RAPL CPU sensor');
  return sensor;
}

describe('RaplSensor on fake powercap trees', () => {
  it('two sockets: sums both packages', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 100 * J })
      .zone('intel-rapl:1', { name: 'package-1', energyUj: 7000 * J });
    const sensor = cpu();
    expect(sensor.method).toBe('rapl-package');
    sensor.start(10);

    tree.set('intel-rapl:0', 130 * J); // 30 J
    tree.set('intel-rapl:1', 7045 * J); // 45 J
    expect(sensor.read(25)).toEqual({ energyJ: 75, powerW: 5 });

    tree.set('intel-rapl:0', 160 * J);
    tree.set('intel-rapl:1', 7075 * J);
    expect(sensor.read(40)).toEqual({ energyJ: 135, powerW: 4 });
  });

  it('package + core + uncore + dram: the package alone is CPU; DRAM is RAM when asked', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 0 })
      .zone('intel-rapl:0:0', { name: 'core', energyUj: 0 })
      .zone('intel-rapl:0:1', { name: 'uncore', energyUj: 0 })
      .zone('intel-rapl:0:2', { name: 'dram', energyUj: 0 });
    const processor = cpu({ raplIncludeDram: true });
    const memory = raplDramSensor(config({ raplIncludeDram: true }));
    expect(memory?.method).toBe('rapl-dram');
    expect(memory?.component).toBe('ram');
    processor.start(0);
    memory?.start(0);

    tree.set('intel-rapl:0', 50 * J);
    tree.set('intel-rapl:0:0', 35 * J);
    tree.set('intel-rapl:0:1', 10 * J);
    tree.set('intel-rapl:0:2', 8 * J);

    expect(processor.read(10)).toEqual({ energyJ: 50, powerW: 5 });
    expect(memory?.read(10)).toEqual({ energyJ: 8, powerW: 0.8 });
    expect(raplDramSensor(config())).toBeUndefined();
  });

  it('psys alongside packages: packages by default, psys alone when preferred', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 0 })
      .zone('intel-rapl:1', { name: 'psys', energyUj: 0 });
    const packages = cpu();
    const psys = cpu({ raplPreferPsys: true });
    expect([packages.method, psys.method]).toEqual(['rapl-package', 'rapl-psys']);
    packages.start(0);
    psys.start(0);

    tree.set('intel-rapl:0', 12 * J);
    tree.set('intel-rapl:1', 20 * J);

    expect(packages.read(2)).toEqual({ energyJ: 12, powerW: 6 });
    expect(psys.read(2)).toEqual({ energyJ: 20, powerW: 10 });
  });

  it('the same package under MSR and MMIO is counted once', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 1000 * J })
      .zone('intel-rapl-mmio:0', { name: 'package-0', energyUj: 1000 * J });
    const sensor = cpu();
    sensor.start(0);

    tree.set('intel-rapl:0', 1010 * J);
    tree.set('intel-rapl-mmio:0', 1010 * J);

    expect(sensor.read(1)).toEqual({ energyJ: 10, powerW: 10 });
    expect(sensor.description).toBe('RAPL package-0 (intel-rapl-mmio:0), whole machine');
  });

  it('mirrored die zones (equal counters, equal deltas) are counted once', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0-die-0', energyUj: 5000 * J })
      .zone('intel-rapl:1', { name: 'package-0-die-1', energyUj: 5000 * J });
    const { logger, lines } = recordingLogger();
    const sensor = cpu({ logger });
    sensor.start(0);

    for (let second = 1; second <= 5; second += 1) {
      tree.set('intel-rapl:0', (5000 + 20 * second) * J);
      tree.set('intel-rapl:1', (5000 + 20 * second) * J);
      expect(sensor.read(second)).toEqual({ energyJ: 20 * second, powerW: 20 });
    }
    expect(lines.map((line) => line.text)).toContain(
      'RAPL zone package-0-die-1 mirrors package-0-die-0 (equal counters and deltas): counted once.',
    );
  });

  it('dies that start equal but move apart are both counted, the held energy included', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0-die-0', energyUj: 5000 * J })
      .zone('intel-rapl:1', { name: 'package-0-die-1', energyUj: 5000 * J });
    const sensor = cpu();
    sensor.start(0);

    tree.set('intel-rapl:0', 5010 * J);
    tree.set('intel-rapl:1', 5030 * J);
    expect(sensor.read(1)).toEqual({ energyJ: 10, powerW: 10 }); // die 1 still undecided

    tree.set('intel-rapl:0', 5020 * J);
    tree.set('intel-rapl:1', 5060 * J);
    expect(sensor.read(2)).toEqual({ energyJ: 80, powerW: 40 }); // 10 + 30, then 10 + 30
  });

  it('missing max_energy_range_uj: a backwards counter drops its interval, with one warning', () => {
    tree = new FakePowercap().zone('intel-rapl:0', {
      name: 'package-0',
      energyUj: 900 * J,
      maxUj: null,
    });
    const { logger, lines } = recordingLogger();
    const sensor = cpu({ logger });
    sensor.start(0);

    tree.set('intel-rapl:0', 910 * J);
    expect(sensor.read(1)).toEqual({ energyJ: 10, powerW: 10 });

    tree.set('intel-rapl:0', 3 * J);
    expect(sensor.read(2)).toEqual({ energyJ: 10, powerW: 10 });
    tree.set('intel-rapl:0', 1 * J);
    expect(sensor.read(3)).toEqual({ energyJ: 10, powerW: 10 });

    tree.set('intel-rapl:0', 9 * J);
    expect(sensor.read(4)).toEqual({ energyJ: 18, powerW: 8 });
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.text).toMatch(
      /energy_uj went back from 910000000 to 3000000 µJ and its max_energy_range_uj is unknown/,
    );
  });

  it('a wrap: the energy across the wrap is counted exactly', () => {
    tree = new FakePowercap().zone('intel-rapl:0', {
      name: 'package-0',
      energyUj: MAX_RANGE_UJ - 25 * J,
    });
    const sensor = cpu();
    sensor.start(0);

    tree.set('intel-rapl:0', 15 * J);
    const reading = sensor.read(4);
    expect(reading.energyJ).toBeCloseTo(40, 9);
    expect(reading.powerW).toBeCloseTo(10, 9);
  });

  it('a transient read failure keeps the last reading; the next read covers the gap', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 0 })
      .zone('intel-rapl:1', { name: 'package-1', energyUj: 500 * J });
    const failOnce = new Set<string>();
    const { logger, lines } = recordingLogger();
    const sensor = cpu({ logger }, faultyReader({ failOnce }));
    sensor.start(0);

    tree.set('intel-rapl:0', 10 * J);
    tree.set('intel-rapl:1', 510 * J);
    expect(sensor.read(1)).toEqual({ energyJ: 20, powerW: 20 });

    failOnce.add(tree.path('intel-rapl:1'));
    tree.set('intel-rapl:0', 20 * J);
    tree.set('intel-rapl:1', 520 * J);
    // package-1 unread: its energy waits, its power stays at its last value (not 0 W).
    expect(sensor.read(2)).toEqual({ energyJ: 30, powerW: 20 });

    tree.set('intel-rapl:0', 30 * J);
    tree.set('intel-rapl:1', 530 * J);
    expect(sensor.read(3)).toEqual({ energyJ: 60, powerW: 20 });
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.text)).toEqual([
      expect.stringMatching(/^Could not read RAPL counter .*intel-rapl:1\/energy_uj \(EIO\)/),
    ]);
  });

  it('an unknown zone name is left out of the sum', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 0 })
      .zone('intel-rapl:0:5', { name: 'fabric', energyUj: 0 });
    const sensor = cpu();
    sensor.start(0);

    tree.set('intel-rapl:0', 6 * J);
    tree.set('intel-rapl:0:5', 100 * J);
    expect(sensor.read(2)).toEqual({ energyJ: 6, powerW: 3 });
  });

  it('cumulative energy never decreases and a zero interval changes nothing', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', energyUj: 10 * J });
    const sensor = cpu();
    sensor.start(0);
    tree.set('intel-rapl:0', 14 * J);
    expect(sensor.read(1)).toEqual({ energyJ: 4, powerW: 4 });
    tree.set('intel-rapl:0', 20 * J);
    expect(sensor.read(1)).toEqual({ energyJ: 4, powerW: 4 });

    sensor.start(5); // a new run: a new baseline
    tree.set('intel-rapl:0', 21 * J);
    expect(sensor.read(6)).toEqual({ energyJ: 1, powerW: 1 });
  });
});
