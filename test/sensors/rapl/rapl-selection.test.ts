import { afterEach, describe, expect, it } from 'vitest';
import {
  type RaplConfig,
  raplCpuSensor,
  raplDramSensor,
} from '../../../src/sensors/rapl/rapl-selection.js';
import { FakePowercap, faultyReader, recordingLogger } from './fake-powercap.js';

let tree: FakePowercap;
afterEach(() => tree?.remove());

function setup(overrides: Partial<RaplConfig> = {}) {
  const { logger, lines } = recordingLogger();
  const config: RaplConfig = {
    root: tree.root,
    raplPreferPsys: false,
    raplIncludeDram: false,
    forceCpuPower: undefined,
    forceModeCpuLoad: false,
    logger,
    ...overrides,
  };
  const said = (level: string) =>
    lines.filter((line) => line.level === level).map((line) => line.text);
  return { config, said };
}

describe('raplCpuSensor', () => {
  it('unreadable energy_uj (root-only): one warning with the chmod and the udev rule, then the load model', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'core' });
    const { config, said } = setup();
    const denied = faultyReader({
      denied: [tree.path('intel-rapl:0'), tree.path('intel-rapl:0:0')],
    });

    expect(raplCpuSensor(config, denied)).toBeUndefined();
    expect(raplCpuSensor(config, denied)).toBeUndefined();

    const warnings = said('warn');
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning).toContain(
      '/sys/class/powercap/intel-rapl:0/energy_uj: permission denied), so CPU power is estimated with the load model instead.',
    );
    expect(warning).toContain('sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj');
    expect(warning).toContain(
      'SUBSYSTEM=="powercap", ACTION=="add", RUN+="/bin/chmod a+r %S%p/energy_uj"',
    );
    expect(warning).toContain('sudo udevadm trigger --subsystem-match=powercap --action=add');
  });

  it('names every provider whose counters are denied in the chmod', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl-mmio:0', { name: 'package-0' });
    const { config, said } = setup();
    const denied = faultyReader({
      denied: [tree.path('intel-rapl:0'), tree.path('intel-rapl-mmio:0')],
    });
    expect(raplCpuSensor(config, denied)).toBeUndefined();
    expect(said('warn')[0]).toContain(
      'sudo chmod a+r /sys/class/powercap/intel-rapl-mmio:*/energy_uj',
    );
  });

  it('says what measures the CPU instead when psys is readable and the package is not', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:1', { name: 'psys' });
    const { config, said } = setup();
    const sensor = raplCpuSensor(config, faultyReader({ denied: [tree.path('intel-rapl:0')] }));
    expect(sensor?.method).toBe('rapl-psys');
    expect(said('warn')[0]).toContain('so the CPU is measured from psys instead.');
    expect(said('info')).toEqual([
      'RAPL: no readable package zone: the platform (psys) zone measures the CPU.',
    ]);
  });

  it('an energy_uj that cannot be read for another reason is said without a chmod hint', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', counter: 'dir' });
    const { config, said } = setup();
    expect(raplCpuSensor(config)).toBeUndefined();
    expect(said('warn')).toEqual([
      'RAPL counters cannot be read: /sys/class/powercap/intel-rapl:0/energy_uj (EISDIR); CPU power is estimated with the load model instead.',
    ]);
  });

  it('is not used, and reads nothing, when force_cpu_power or force_mode_cpu_load is set', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0' });
    const denied = faultyReader({ denied: [tree.path('intel-rapl:0')] });
    for (const overrides of [{ forceCpuPower: 65 }, { forceModeCpuLoad: true }]) {
      const { config, said } = setup(overrides);
      expect(raplCpuSensor(config, denied)).toBeUndefined();
      expect(said('warn')).toEqual([]);
    }
  });

  it('finds nothing and says nothing on a machine without powercap', () => {
    tree = new FakePowercap();
    const { config, said } = setup();
    expect(raplCpuSensor(config)).toBeUndefined();
    expect([...said('warn'), ...said('info')]).toEqual([]);
  });
});

describe('raplDramSensor', () => {
  it('reports DRAM absent (and keeps the RAM model) when the machine has no DRAM zone', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0' });
    const { config, said } = setup({ raplIncludeDram: true });
    expect(raplDramSensor(config)).toBeUndefined();
    expect(said('info')).toEqual([
      'rapl_include_dram is set but this machine exposes no RAPL DRAM zone: RAM power uses the DIMM model.',
    ]);
  });

  it('warns with the chmod hint when the DRAM zones are root-only', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'dram' });
    const { config, said } = setup({ raplIncludeDram: true });
    const denied = faultyReader({ denied: [tree.path('intel-rapl:0:0')] });
    expect(raplDramSensor(config, denied)).toBeUndefined();
    expect(said('warn')[0]).toContain('permission denied), so RAM power uses the DIMM model.');
  });

  it('still measures DRAM when the CPU is forced to the load model', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'dram' });
    const { config } = setup({ raplIncludeDram: true, forceCpuPower: 100 });
    expect(raplDramSensor(config)?.description).toBe(
      'RAPL package-0/dram (intel-rapl:0:0), whole machine',
    );
  });
});
