import { describe, expect, it } from 'vitest';
import { CONFIRMATIONS, MirrorFilter } from '../../../src/sensors/rapl/mirror-filter.js';

const J = 1e6;
const step = (joules: number, fromS: number) => ({ deltaUj: joules * J, fromS });

function filter(groups: string[]) {
  const changes: string[] = [];
  const mirrors = new MirrorFilter(groups, (zone, reference, mirror) =>
    changes.push(`${zone}${mirror ? '=' : '≠'}${reference}`),
  );
  return { mirrors, changes };
}

describe('MirrorFilter', () => {
  it('counts a zone whose start value differs from its siblings’ straight away', () => {
    const { mirrors } = filter(['package', 'package']);
    mirrors.start([100 * J, 900 * J]);
    expect(mirrors.apply([step(5, 0), step(7, 0)])).toEqual([5 * J, 7 * J]);
    expect(mirrors.counts(1)).toBe(true);
  });

  it('only compares siblings: equal package and DRAM counters are not mirrors', () => {
    const { mirrors } = filter(['package', 'dram']);
    mirrors.start([100 * J, 100 * J]);
    expect(mirrors.apply([step(5, 0), step(5, 0)])).toEqual([5 * J, 5 * J]);
  });

  it(`confirms a mirror after ${CONFIRMATIONS} equal deltas and discards what it held`, () => {
    const { mirrors, changes } = filter(['package', 'package']);
    mirrors.start([100 * J, 100.2 * J]);
    const counted = [1, 2, 3, 4].map((second) =>
      mirrors.apply([step(10, second - 1), step(10.1, second - 1)]),
    );
    expect(counted).toEqual([
      [10 * J, 0],
      [10 * J, 0],
      [10 * J, 0],
      [10 * J, 0],
    ]);
    expect(changes).toEqual(['1=0']);
    expect(mirrors.counts(1)).toBe(false);
  });

  it('compares the sums, so a failed read of the reference does not break a mirror', () => {
    const { mirrors, changes } = filter(['package', 'package']);
    mirrors.start([100 * J, 100 * J]);
    expect(mirrors.apply([undefined, step(10, 0)])).toEqual([0, 0]);
    // The reference's next delta covers both seconds: 40 J against 10 J + 30 J.
    expect(mirrors.apply([step(40, 0), step(30, 1)])).toEqual([40 * J, 0]);
    expect(mirrors.apply([step(10, 2), step(10, 2)])).toEqual([10 * J, 0]);
    expect(mirrors.apply([step(10, 3), step(10, 3)])).toEqual([10 * J, 0]);
    expect(changes).toEqual(['1=0']);
  });

  it('counts an undecided zone that drifts away, with everything it held', () => {
    const { mirrors } = filter(['package', 'package']);
    mirrors.start([100 * J, 100 * J]);
    expect(mirrors.apply([step(10, 0), step(30, 0)])).toEqual([10 * J, 0]); // first drift
    // Second read in a row with drift: an independent counter after all.
    expect(mirrors.apply([step(10, 1), step(30, 1)])).toEqual([10 * J, 60 * J]);
    expect(mirrors.counts(1)).toBe(true);
    expect(mirrors.apply([step(10, 2), step(30, 2)])).toEqual([10 * J, 30 * J]);
  });

  it('counts a confirmed mirror again once it keeps drifting', () => {
    const { mirrors, changes } = filter(['dram', 'dram']);
    mirrors.start([5 * J, 5 * J]);
    for (let second = 1; second <= CONFIRMATIONS; second += 1) {
      mirrors.apply([step(2, second - 1), step(2, second - 1)]);
    }
    expect(mirrors.apply([step(2, 3), step(9, 3)])).toEqual([2 * J, 0]);
    expect(mirrors.apply([step(2, 4), step(9, 4)])).toEqual([2 * J, 18 * J]);
    expect(changes).toEqual(['1=0', '1≠0']);
  });

  it('ignores one skewed read of a confirmed mirror (a read delayed by preemption)', () => {
    const { mirrors, changes } = filter(['package', 'package']);
    mirrors.start([5 * J, 5 * J]);
    for (let second = 1; second <= CONFIRMATIONS; second += 1) {
      mirrors.apply([step(20, second - 1), step(20, second - 1)]);
    }
    // Read late once: 5 J more in this read, 5 J less in the next.
    expect(mirrors.apply([step(20, 3), step(25, 3)])).toEqual([20 * J, 0]);
    expect(mirrors.apply([step(20, 4), step(15, 4)])).toEqual([20 * J, 0]);
    expect(mirrors.counts(1)).toBe(false);
    expect(changes).toEqual(['1=0']);
  });
});
