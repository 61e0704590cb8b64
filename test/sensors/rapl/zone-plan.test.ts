import { afterEach, describe, expect, it } from 'vitest';
import { discoverPowercapZones } from '../../../src/sensors/rapl/powercap-zones.js';
import { planRaplZones, type RaplPlanOptions } from '../../../src/sensors/rapl/zone-plan.js';
import { FakePowercap, faultyReader } from './fake-powercap.js';

let tree: FakePowercap;
afterEach(() => tree?.remove());

const DEFAULTS: RaplPlanOptions = { preferPsys: false, includeDram: false };

function plan(options: Partial<RaplPlanOptions> = {}, denied: string[] = []) {
  const zones = discoverPowercapZones(tree.root, faultyReader({ denied }));
  const result = planRaplZones(zones, { ...DEFAULTS, ...options });
  return {
    cpu: result.cpu && [result.cpu.method, ...result.cpu.zones.map((zone) => zone.id)],
    ram: result.ram && [result.ram.method, ...result.ram.zones.map((zone) => zone.id)],
    why: Object.fromEntries(result.decisions.map((d) => [d.zone.id, d.reason])),
    denied: result.denied.map((zone) => zone.id),
    notes: result.notes,
  };
}

describe('planRaplZones', () => {
  it('measures the CPU with the package zones of all sockets', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:1', { name: 'package-1' });
    expect(plan().cpu).toEqual(['rapl-package', 'intel-rapl:0', 'intel-rapl:1']);
  });

  it('never adds core or uncore to the package that contains them; DRAM only when asked', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'core' })
      .zone('intel-rapl:0:1', { name: 'uncore' })
      .zone('intel-rapl:0:2', { name: 'dram' });

    const without = plan();
    expect(without.cpu).toEqual(['rapl-package', 'intel-rapl:0']);
    expect(without.ram).toBeUndefined();
    expect(without.why).toEqual({
      'intel-rapl:0': 'used for CPU',
      'intel-rapl:0:0': 'not used: part of package-0 (intel-rapl:0)',
      'intel-rapl:0:1': 'not used: part of package-0 (intel-rapl:0)',
      'intel-rapl:0:2': 'not used: rapl_include_dram is off (RAM uses its model)',
    });

    const withDram = plan({ includeDram: true });
    expect(withDram.cpu).toEqual(['rapl-package', 'intel-rapl:0']);
    expect(withDram.ram).toEqual(['rapl-dram', 'intel-rapl:0:2']);
  });

  it('keeps both sockets’ DRAM zones although both are named "dram"', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'dram' })
      .zone('intel-rapl:1', { name: 'package-1' })
      .zone('intel-rapl:1:0', { name: 'dram' });
    expect(plan({ includeDram: true }).ram).toEqual([
      'rapl-dram',
      'intel-rapl:0:0',
      'intel-rapl:1:0',
    ]);
  });

  it('uses psys alone with rapl_prefer_psys, packages otherwise, psys when it is all there is', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'dram' })
      .zone('intel-rapl:1', { name: 'psys' });

    const byDefault = plan();
    expect(byDefault.cpu).toEqual(['rapl-package', 'intel-rapl:0']);
    expect(byDefault.why['intel-rapl:1']).toMatch(/^not used: psys covers the whole platform/);

    const preferred = plan({ preferPsys: true, includeDram: true });
    expect(preferred.cpu).toEqual(['rapl-psys', 'intel-rapl:1']);
    expect(preferred.ram).toBeUndefined();
    expect(preferred.why['intel-rapl:0']).toBe(
      'not used: the platform (psys) zone is measured instead',
    );
    expect(preferred.why['intel-rapl:0:0']).toMatch(/psys .* already includes memory/);

    expect(plan({ includeDram: true }).ram).toEqual(['rapl-dram', 'intel-rapl:0:0']);

    tree.remove();
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'psys' });
    const psysOnly = plan();
    expect(psysOnly.cpu).toEqual(['rapl-psys', 'intel-rapl:0']);
    expect(psysOnly.notes).toEqual([
      'no readable package zone: the platform (psys) zone measures the CPU',
    ]);
  });

  it('counts a package exposed by MSR and MMIO once, keeping the MMIO copy', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'core' })
      .zone('intel-rapl-mmio:0', { name: 'package-0' });

    const result = plan();
    expect(result.cpu).toEqual(['rapl-package', 'intel-rapl-mmio:0']);
    expect(result.why['intel-rapl:0']).toBe(
      'not used: same counter as intel-rapl-mmio:0 (intel-rapl and intel-rapl-mmio)',
    );
  });

  it('keeps the readable copy when the MMIO one is denied', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl-mmio:0', { name: 'package-0' });
    expect(plan({}, [tree.path('intel-rapl-mmio:0')]).cpu).toEqual([
      'rapl-package',
      'intel-rapl:0',
    ]);
  });

  it('falls back to a readable psys when a package is denied, and reports the denial', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:1', { name: 'psys' });

    const result = plan({}, [tree.path('intel-rapl:0')]);

    expect(result.cpu).toEqual(['rapl-psys', 'intel-rapl:1']);
    expect(result.denied).toEqual(['intel-rapl:0']);
    expect(result.why['intel-rapl:0']).toBe('not used: energy_uj readable by root only (EACCES)');
  });

  it('measures no socket when one of two packages is denied (half a machine would mislead)', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:1', { name: 'package-1' });
    const result = plan({}, [tree.path('intel-rapl:1')]);
    expect(result.cpu).toBeUndefined();
    expect(result.denied).toEqual(['intel-rapl:1']);
  });

  it('leaves zones with an unknown name out, saying so', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:3', { name: 'fabric' });
    const result = plan();
    expect(result.cpu).toEqual(['rapl-package', 'intel-rapl:0']);
    expect(result.why['intel-rapl:0:3']).toBe('not used: unknown zone name "fabric"');
  });

  it('measures nothing when the CPU is forced to the load model, but still DRAM if asked', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'dram' });
    const result = plan({ includeDram: true, cpuRefusedBecause: 'force_cpu_power is set' });
    expect(result.cpu).toBeUndefined();
    expect(result.ram).toEqual(['rapl-dram', 'intel-rapl:0:0']);
    expect(result.why['intel-rapl:0']).toBe('not used: force_cpu_power is set');
  });
});
