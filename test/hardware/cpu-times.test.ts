import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseProcStat,
  readSystemCpuTimes,
  utilisationBetween,
} from '../../src/hardware/cpu-times.js';
import { fixtureRoot } from './fixture-root.js';

describe('readSystemCpuTimes', () => {
  it('sums the aggregate cpu line of /proc/stat in USER_HZ ticks, guest time not added twice', () => {
    // user 10000 + nice 500 + system 3000 + irq 200 + softirq 300 + steal 100 = 14100 ticks
    // busy; idle 80000 + iowait 1000 more in total; guest 400 is already inside user.
    expect(readSystemCpuTimes(fixtureRoot('proc-stat'))).toEqual({ busyS: 141, totalS: 951 });
  });

  it('gives undefined when /proc/stat has no cpu line', () => {
    expect(readSystemCpuTimes(fixtureRoot('proc-stat-no-cpu-line'))).toBeUndefined();
  });

  it('gives undefined for a fake root without /proc/stat instead of reading the host', () => {
    expect(readSystemCpuTimes(fixtureRoot('does-not-exist'))).toBeUndefined();
  });

  it('reads the real machine when no root is given', () => {
    const first = readSystemCpuTimes();
    expect(first).toBeDefined();
    expect(first?.totalS).toBeGreaterThanOrEqual(first?.busyS ?? Number.NaN);
  });
});

describe('parseProcStat', () => {
  it('accepts old kernels that print only the first four fields', () => {
    expect(parseProcStat('cpu  100 0 100 800\n')).toEqual({ busyS: 2, totalS: 10 });
  });

  it('rejects a cpu line with unreadable numbers', () => {
    expect(parseProcStat('cpu  a b c d\n')).toBeUndefined();
    expect(parseProcStat('cpu  1 2\n')).toBeUndefined();
  });
});

describe('utilisationBetween', () => {
  it('is the busy share of the CPU time that passed', () => {
    expect(utilisationBetween({ busyS: 10, totalS: 100 }, { busyS: 15, totalS: 120 })).toBe(0.25);
  });

  it('is undefined when no CPU time passed or the readings are reversed', () => {
    const reading = { busyS: 10, totalS: 100 };
    expect(utilisationBetween(reading, reading)).toBeUndefined();
    expect(utilisationBetween({ busyS: 15, totalS: 120 }, reading)).toBeUndefined();
  });

  it('clamps a busy delta that slightly exceeds the total delta', () => {
    expect(utilisationBetween({ busyS: 0, totalS: 0 }, { busyS: 10.01, totalS: 10 })).toBe(1);
    expect(utilisationBetween({ busyS: 5, totalS: 0 }, { busyS: 4, totalS: 10 })).toBe(0);
  });

  it('is always undefined or a number in [0, 1], never NaN, for any readings', () => {
    const anyNumber = fc.oneof(fc.double(), fc.integer());
    const reading = fc.record({ busyS: anyNumber, totalS: anyNumber });
    fc.assert(
      fc.property(reading, reading, (earlier, later) => {
        const utilisation = utilisationBetween(earlier, later);
        return utilisation === undefined || (utilisation >= 0 && utilisation <= 1);
      }),
    );
  });
});
