import { afterEach, describe, expect, it } from 'vitest';
import { raplReport, raplReportLines } from '../../../src/sensors/rapl/rapl-report.js';
import { FakePowercap } from './fake-powercap.js';

let tree: FakePowercap;
afterEach(() => tree?.remove());

function options(overrides: { raplPreferPsys?: boolean; raplIncludeDram?: boolean } = {}) {
  return {
    root: tree.root,
    raplPreferPsys: false,
    raplIncludeDram: false,
    forceCpuPower: undefined,
    forceModeCpuLoad: false,
    ...overrides,
  };
}

describe('raplReport (codecarbon detect)', () => {
  it('lists the zones found, which are used and why the others are not', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0' })
      .zone('intel-rapl:0:0', { name: 'core' })
      .zone('intel-rapl:0:1', { name: 'dram', maxUj: null })
      .zone('intel-rapl:1', { name: 'psys' })
      .zone('intel-rapl-mmio:0', { name: 'package-0' });

    const report = raplReport(options({ raplIncludeDram: true }));

    expect(report.cpuMethod).toBe('rapl-package');
    expect(report.ramMethod).toBe('rapl-dram');
    expect(report.zones.map((zone) => [zone.id, zone.used, zone.reason])).toEqual([
      [
        'intel-rapl:0',
        null,
        'not used: same counter as intel-rapl-mmio:0 (intel-rapl and intel-rapl-mmio)',
      ],
      ['intel-rapl:0:0', null, 'not used: part of package-0 (intel-rapl:0)'],
      ['intel-rapl:0:1', 'ram', 'used for RAM'],
      [
        'intel-rapl:1',
        null,
        'not used: psys covers the whole platform (rapl_prefer_psys selects it)',
      ],
      ['intel-rapl-mmio:0', 'cpu', 'used for CPU'],
    ]);
    expect(report.zones[2]).toMatchObject({ kind: 'dram', readable: true, maxEnergyRangeUj: null });

    expect(raplReportLines(report).slice(0, 6)).toEqual([
      'RAPL zones:',
      '  intel-rapl:0       package-0  not used: same counter as intel-rapl-mmio:0 (intel-rapl and intel-rapl-mmio)',
      '  intel-rapl:0:0     core       not used: part of package-0 (intel-rapl:0)',
      '  intel-rapl:0:1     dram       used for RAM',
      '  intel-rapl:1       psys       not used: psys covers the whole platform (rapl_prefer_psys selects it)',
      '  intel-rapl-mmio:0  package-0  used for CPU',
    ]);
  });

  it('says when there is no zone at all', () => {
    tree = new FakePowercap();
    const report = raplReport(options());
    expect(report).toEqual({ zones: [], cpuMethod: null, ramMethod: null, notes: [] });
    expect(raplReportLines(report)).toEqual([
      'RAPL zones  none found under /sys/class/powercap (no CPU energy counter)',
    ]);
  });
});
