import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverPowercapZones, zoneKind } from '../../../src/sensors/rapl/powercap-zones.js';
import { FakePowercap, faultyReader, MAX_RANGE_UJ } from './fake-powercap.js';

let tree: FakePowercap;
afterEach(() => tree?.remove());

describe('discoverPowercapZones', () => {
  it('lists each zone once, whether reached by the class links or the devices tree', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 5 })
      .zone('intel-rapl:0:0', { name: 'core' })
      .zone('intel-rapl:0:1', { name: 'dram' })
      .zone('intel-rapl:1', { name: 'package-1' })
      .zone('intel-rapl:1:0', { name: 'dram' })
      .zone('intel-rapl-mmio:0', { name: 'package-0' });

    const zones = discoverPowercapZones(tree.root);

    expect(zones.map((zone) => [zone.id, zone.name, zone.kind, zone.key])).toEqual([
      ['intel-rapl:0', 'package-0', 'package', 'package-0'],
      ['intel-rapl:0:0', 'core', 'core', 'package-0/core'],
      ['intel-rapl:0:1', 'dram', 'dram', 'package-0/dram'],
      ['intel-rapl:1', 'package-1', 'package', 'package-1'],
      ['intel-rapl:1:0', 'dram', 'dram', 'package-1/dram'],
      ['intel-rapl-mmio:0', 'package-0', 'package', 'package-0'],
    ]);
    const [package0, core] = zones;
    expect(package0).toMatchObject({
      provider: 'intel-rapl',
      parentId: undefined,
      maxEnergyRangeUj: MAX_RANGE_UJ,
      hasCounter: true,
      access: { readable: true },
      energyPath: tree.path('intel-rapl:0'),
    });
    expect(package0?.systemPath).toMatch(/^\/sys\/class\/powercap\/intel-rapl:0$/);
    expect(core?.parentId).toBe('intel-rapl:0');
  });

  it('finds zones in the devices tree alone (no class directory)', () => {
    tree = new FakePowercap();
    const dir = join(tree.root, 'sys/devices/virtual/powercap/intel-rapl/intel-rapl:0');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'name'), 'package-0\n');
    writeFileSync(join(dir, 'energy_uj'), '42\n');

    const zones = discoverPowercapZones(tree.root);

    expect(zones).toHaveLength(1);
    expect(zones[0]).toMatchObject({
      id: 'intel-rapl:0',
      name: 'package-0',
      maxEnergyRangeUj: undefined,
      systemPath: '/sys/devices/virtual/powercap/intel-rapl/intel-rapl:0',
    });
  });

  it('records why a counter cannot be read: permission, not a file, no file', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:1', { name: 'package-1', counter: 'dir' })
      .zone('intel-rapl:2', { name: 'psys', counter: 'none' });

    const zones = discoverPowercapZones(
      tree.root,
      faultyReader({ denied: [tree.path('intel-rapl:0')] }),
    );

    expect(zones.map((zone) => [zone.hasCounter, zone.access])).toEqual([
      [true, { readable: false, permission: true, reason: 'EACCES' }],
      [true, { readable: false, permission: false, reason: 'EISDIR' }],
      [false, { readable: false, permission: false, reason: 'ENOENT' }],
    ]);
  });

  it('returns no zone on a machine without powercap', () => {
    tree = new FakePowercap();
    expect(discoverPowercapZones(tree.root)).toEqual([]);
  });

  it('orders zone indices as numbers', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:10', { name: 'package-10' })
      .zone('intel-rapl:2', { name: 'package-2' });
    expect(discoverPowercapZones(tree.root).map((zone) => zone.id)).toEqual([
      'intel-rapl:2',
      'intel-rapl:10',
    ]);
  });
});

describe('zoneKind', () => {
  it('classifies kernel zone names, case-insensitively', () => {
    expect(zoneKind('package-0')).toBe('package');
    expect(zoneKind('package-0-die-1')).toBe('package');
    expect(zoneKind('PSYS')).toBe('psys');
    expect(zoneKind('dram')).toBe('dram');
    expect(zoneKind('core')).toBe('core');
    expect(zoneKind('uncore')).toBe('uncore');
    expect(zoneKind('gpu-slice')).toBe('unknown');
  });
});
