import os from 'node:os';
import { readFirstLine } from './read-text.js';

/** Cumulative CPU time of the whole machine since boot, summed over all logical CPUs. */
export interface CpuTimes {
  /** Seconds spent running anything (user, nice, system, irq, softirq, steal). */
  busyS: number;
  /** Busy seconds plus idle and iowait seconds. */
  totalS: number;
}

/**
 * Reads cumulative machine CPU times from the aggregate `cpu` line, the first of
 * `<root>/proc/stat`. Elsewhere (no usable /proc/stat while reading the real root) Node's
 * `os.cpus()` counters are summed instead. Undefined when nothing can be read.
 */
export function readSystemCpuTimes(root = '/'): CpuTimes | undefined {
  // The aggregate line comes first: every reading reads it twice (load model, utilisation).
  const line = readFirstLine(root, 'proc', 'stat');
  const parsed = line === undefined ? undefined : parseProcStat(line);
  if (parsed !== undefined) return parsed;
  // A fake root (tests) must not silently read the real machine.
  return root === '/' ? osCpuTimes() : undefined;
}

/**
 * Machine utilisation in [0, 1] between two readings, or undefined when no CPU time passed
 * between them (same reading, reversed order, or unusable numbers).
 */
export function utilisationBetween(earlier: CpuTimes, later: CpuTimes): number | undefined {
  const totalS = later.totalS - earlier.totalS;
  const busyS = later.busyS - earlier.busyS;
  if (!(totalS > 0) || !Number.isFinite(totalS) || !Number.isFinite(busyS)) return undefined;
  // Counters are sampled one after the other, and iowait may even step back, so the ratio
  // can leave [0, 1] by a hair; clamp rather than report 101 %.
  return Math.min(1, Math.max(0, busyS / totalS));
}

/**
 * Fields of the `cpu` line, in ticks: user nice system idle iowait irq softirq steal guest
 * guest_nice. Guest time is already counted inside user and nice, so it is not added again.
 */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((candidate) => /^cpu\s/.test(candidate));
  if (line === undefined) return undefined;

  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = ticks;
  if (user === undefined || nice === undefined || system === undefined || idle === undefined) {
    return undefined;
  }
  const busyTicks = user + nice + system + irq + softirq + steal;
  const totalTicks = busyTicks + idle + iowait;
  if (!Number.isFinite(totalTicks)) return undefined;
  return { busyS: busyTicks / USER_HZ, totalS: totalTicks / USER_HZ };
}

function osCpuTimes(): CpuTimes | undefined {
  try {
    let busyMs = 0;
    let idleMs = 0;
    for (const { times } of os.cpus()) {
      busyMs += times.user + times.nice + times.sys + times.irq;
      idleMs += times.idle;
    }
    if (busyMs + idleMs <= 0) return undefined;
    return { busyS: busyMs / 1000, totalS: (busyMs + idleMs) / 1000 };
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc/stat (USER_HZ); 100 on every Linux architecture. */
const USER_HZ = 100;
