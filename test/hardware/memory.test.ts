import { describe, expect, it } from 'vitest';
import { effectiveMemory, parseMeminfo, readMemory } from '../../src/hardware/memory.js';
import { fixtureRoot } from './fixture-root.js';

const KIB = 1024;
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

// Every fixture shares one /proc/meminfo: MemTotal 16318460 kB, MemAvailable 9876544 kB.
const HOST = { hostTotalBytes: 16318460 * KIB, hostAvailableBytes: 9876544 * KIB };

describe('readMemory', () => {
  it('reads the host from /proc/meminfo when the process is in no cgroup', () => {
    expect(readMemory(fixtureRoot('memory-host-only'))).toEqual(HOST);
  });

  it('cgroup v2: takes the container’s limit and usage', () => {
    expect(readMemory(fixtureRoot('memory-cgroup-v2-limit'))).toEqual({
      ...HOST,
      containerLimitBytes: 2 * GIB,
      containerUsageBytes: GIB / 2,
    });
  });

  it('cgroup v2: a `max` container under a limited parent gets the parent’s limit', () => {
    expect(readMemory(fixtureRoot('memory-cgroup-v2-parent-limit'))).toEqual({
      ...HOST,
      containerLimitBytes: 3 * GIB,
      containerUsageBytes: GIB,
    });
  });

  it('cgroup v2: `max` all the way up means no limit', () => {
    expect(readMemory(fixtureRoot('memory-cgroup-v2-max'))).toEqual({
      ...HOST,
      containerUsageBytes: 123456789,
    });
  });

  it('cgroup v2 with its own namespace: reads the files at the mount point', () => {
    expect(readMemory(fixtureRoot('memory-cgroup-v2-namespaced'))).toEqual({
      ...HOST,
      containerLimitBytes: GIB,
      containerUsageBytes: GIB / 4,
    });
  });

  it('cgroup v1: takes the memory hierarchy’s limit, even on a hybrid host with a v2 line', () => {
    expect(readMemory(fixtureRoot('memory-cgroup-v1-limit'))).toEqual({
      ...HOST,
      containerLimitBytes: 512 * MIB,
      containerUsageBytes: 100 * MIB,
    });
  });

  it('cgroup v1: the huge "unlimited" value is no limit (host path hidden, mount point read)', () => {
    expect(readMemory(fixtureRoot('memory-cgroup-v1-unlimited'))).toEqual({
      ...HOST,
      containerUsageBytes: 300 * MIB,
    });
  });

  it('cgroup v1: a limit above the host’s RAM is no limit', () => {
    expect(readMemory(fixtureRoot('memory-cgroup-v1-above-host'))).toEqual({
      ...HOST,
      containerUsageBytes: GIB,
    });
  });

  it('gives undefined for a fake root without /proc/meminfo instead of reading the host', () => {
    expect(readMemory(fixtureRoot('does-not-exist'))).toBeUndefined();
  });

  it('reads the real machine when no root is given', () => {
    const info = readMemory();
    expect(info?.hostTotalBytes).toBeGreaterThan(0);
    expect(info?.hostAvailableBytes).toBeLessThanOrEqual(info?.hostTotalBytes ?? 0);
  });
});

describe('parseMeminfo', () => {
  it('approximates available memory as free + buffers + cache on kernels before 3.14', () => {
    const text = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 300 kB\n';
    expect(parseMeminfo(text)).toEqual({
      hostTotalBytes: 1000 * KIB,
      hostAvailableBytes: 420 * KIB,
    });
  });

  it('gives undefined without a MemTotal line', () => {
    expect(parseMeminfo('MemFree: 100 kB\n')).toBeUndefined();
  });
});

describe('effectiveMemory', () => {
  it('uses the host’s RAM when there is no container limit', () => {
    expect(effectiveMemory({ hostTotalBytes: 16 * GIB, hostAvailableBytes: 10 * GIB })).toEqual({
      totalBytes: 16 * GIB,
      usedBytes: 6 * GIB,
      fromContainerLimit: false,
    });
  });

  it('uses a container limit below the host’s RAM, with the container’s usage', () => {
    const info = { ...HOST, containerLimitBytes: 2 * GIB, containerUsageBytes: GIB / 2 };
    expect(effectiveMemory(info)).toEqual({
      totalBytes: 2 * GIB,
      usedBytes: GIB / 2,
      fromContainerLimit: true,
    });
  });

  it('ignores a limit at or above the host’s RAM', () => {
    const info = { ...HOST, containerLimitBytes: HOST.hostTotalBytes, containerUsageBytes: GIB };
    expect(effectiveMemory(info)).toMatchObject({
      totalBytes: HOST.hostTotalBytes,
      fromContainerLimit: false,
    });
  });

  it('never reports more used than total, nor less than zero', () => {
    const info = { hostTotalBytes: GIB, hostAvailableBytes: 0, containerLimitBytes: MIB };
    expect(effectiveMemory(info).usedBytes).toBe(MIB);
    expect(effectiveMemory({ hostTotalBytes: GIB, hostAvailableBytes: 2 * GIB }).usedBytes).toBe(0);
  });
});
