import { describe, expect, it } from 'vitest';
import { parsePidStat } from '../../src/hardware/proc-pid.js';
import { readProcessTree } from '../../src/hardware/process-tree.js';
import { fixtureRoot } from './fixture-root.js';

const KIB = 1024;

// Fixture tree (pid: command, CPU ticks utime+stime+cutime+cstime, VmRSS):
//   100 node              250+50+30+20 = 350    51200 kB
//   ├─ 200 my (weird) proc  100+20     = 120    10240 kB
//   │  └─ 300 sh (zombie)    7+3       =  10    no VmRSS
//   └─ 210 worker (forked by thread 101) 40+10 = 50   2048 kB
//   400 unrelated (child of 1) is not part of the tree.
const TREE_CPU_S = 5.3;
const TREE_RSS_BYTES = (51200 + 10240 + 2048) * KIB;

describe('readProcessTree', () => {
  it('excludeRoot: the descendants and the children the root reaped, not the root itself', () => {
    // The root (100) used 250+50 ticks itself and 30+20 in children it reaped.
    const usage = readProcessTree(100, fixtureRoot('process-tree'), { excludeRoot: true });
    expect(usage?.cpuS).toBeCloseTo(TREE_CPU_S - 3, 9);
    expect(usage?.rssBytes).toBe((10240 + 2048) * KIB);
  });

  it('sums CPU time and RSS over the root and all descendants, three levels deep', () => {
    const usage = readProcessTree(100, fixtureRoot('process-tree'));
    expect(usage?.cpuS).toBeCloseTo(TREE_CPU_S, 9);
    expect(usage?.rssBytes).toBe(TREE_RSS_BYTES);
    expect(usage?.pids).toEqual([100, 200, 210, 300]);
  });

  it('finds children forked by any thread of a process, not only the main one', () => {
    expect(readProcessTree(100, fixtureRoot('process-tree'))?.pids).toContain(210);
  });

  it('reads a subtree when rooted lower down', () => {
    const usage = readProcessTree(200, fixtureRoot('process-tree'));
    expect(usage?.pids).toEqual([200, 300]);
    expect(usage?.cpuS).toBeCloseTo(1.3, 9);
    expect(usage?.rssBytes).toBe(10240 * KIB);
  });

  it('skips a listed child that vanished before it could be read', () => {
    const usage = readProcessTree(100, fixtureRoot('process-tree-vanished-child'));
    expect(usage?.pids).toEqual([100, 200, 210, 300]);
    expect(usage?.cpuS).toBeCloseTo(TREE_CPU_S, 9);
  });

  it('finds descendants by their parent ids when the kernel has no children files', () => {
    const usage = readProcessTree(100, fixtureRoot('process-tree-without-children-files'));
    expect(usage?.pids).toEqual([100, 200, 210, 300]);
    expect(usage?.cpuS).toBeCloseTo(TREE_CPU_S, 9);
    expect(usage?.rssBytes).toBe(TREE_RSS_BYTES);
  });

  it('keeps the total when a member reaps an exited child: its time moves to the parent', () => {
    // Same tree after worker 210 (40+10 ticks) exited and node waited for it: node's
    // cutime + cstime grew from 30+20 to 70+30.
    const usage = readProcessTree(100, fixtureRoot('process-tree-after-reap'));
    expect(usage?.pids).toEqual([100, 200, 300]);
    expect(usage?.cpuS).toBeCloseTo(TREE_CPU_S, 9);
  });

  it('gives undefined when the root process does not exist', () => {
    expect(readProcessTree(999, fixtureRoot('process-tree'))).toBeUndefined();
  });

  it('reads this very process from the real /proc or from Node', () => {
    const usage = readProcessTree(process.pid);
    expect(usage?.pids[0]).toBe(process.pid);
    expect(usage?.cpuS).toBeGreaterThan(0);
    expect(usage?.rssBytes).toBeGreaterThan(0);
  });
});

describe('parsePidStat', () => {
  it('counts fields from the last parenthesis, so odd command names do not shift them', () => {
    const line = '42 (a) b) (c d) R 7 42 42 0 -1 0 0 0 0 0 300 100 20 10 20 0 1 0 99 0 0';
    expect(parsePidStat(line)).toEqual({ ppid: 7, cpuS: 4.3, reapedChildrenCpuS: 0.3 });
  });

  it('rejects truncated or malformed lines', () => {
    expect(parsePidStat('42 (name R 7')).toBeUndefined();
    expect(parsePidStat('42 (name) R 7 1 2')).toBeUndefined();
    expect(parsePidStat('')).toBeUndefined();
  });
});
