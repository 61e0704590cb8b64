import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseCpuInfo, readCpuInfo } from '../../src/hardware/cpu-info.js';
import { fixtureRoot } from './fixture-root.js';

describe('readCpuInfo on Linux', () => {
  it('reads brand, threads and sockets of a two-socket x86 server', () => {
    expect(readCpuInfo(fixtureRoot('cpuinfo-x86-2-sockets'), 'x64')).toEqual({
      brand: 'Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz',
      logicalCount: 4,
      socketCount: 2,
      arch: 'x64',
    });
  });

  it('names an ARM server core from its implementer and part codes, as lscpu does', () => {
    expect(readCpuInfo(fixtureRoot('cpuinfo-arm64-neoverse'), 'arm64')).toEqual({
      brand: 'Neoverse-N1',
      logicalCount: 2,
      socketCount: 1,
      arch: 'arm64',
    });
  });

  it('prefers the core name over the board name on a Raspberry Pi', () => {
    const info = readCpuInfo(fixtureRoot('cpuinfo-raspberry-pi'), 'arm64');
    expect(info.brand).toBe('Cortex-A72');
    expect(info.logicalCount).toBe(4);
  });

  it('falls back to the board name when the core is not known', () => {
    const info = readCpuInfo(fixtureRoot('cpuinfo-arm64-board-only'), 'arm64');
    expect(info.brand).toBe('Qualcomm Technologies, Inc SM8150');
  });

  it('reports no brand when /proc/cpuinfo names nothing, and still counts threads', () => {
    expect(readCpuInfo(fixtureRoot('cpuinfo-no-model-name'), 'arm64')).toEqual({
      brand: undefined,
      logicalCount: 2,
      socketCount: 1,
      arch: 'arm64',
    });
  });

  it('uses os.arch() unless told otherwise', () => {
    expect(readCpuInfo(fixtureRoot('cpuinfo-x86-2-sockets')).arch).toBe(os.arch());
  });
});

describe('readCpuInfo without /proc/cpuinfo', () => {
  it('falls back to what Node’s os module reports, on one socket', () => {
    const info = readCpuInfo(fixtureRoot('does-not-exist'), 'x64');
    const model = os.cpus()[0]?.model;
    expect(info.brand).toBe(model && model !== 'unknown' ? model.trim() : undefined);
    expect(info.logicalCount).toBe(os.availableParallelism());
    expect(info.socketCount).toBe(1);
  });
});

describe('parseCpuInfo', () => {
  it('returns undefined for text that lists no processor', () => {
    expect(parseCpuInfo('')).toBeUndefined();
    expect(parseCpuInfo('vendor_id : GenuineIntel\n')).toBeUndefined();
  });

  it('ignores the numeric `Processor` field of some ARM kernels but uses a textual one', () => {
    expect(parseCpuInfo('processor : 0\nProcessor : 0\n')?.brand).toBeUndefined();
    const armv7 = 'Processor\t: ARMv7 Processor rev 4 (v7l)\nprocessor\t: 0\n';
    expect(parseCpuInfo(armv7)?.brand).toBe('ARMv7 Processor rev 4 (v7l)');
  });
});
