import { keyValueLines, listDir, readText } from './read-text.js';

/** What /proc/<pid>/stat tells about one process. */
export interface PidStat {
  ppid: number;
  /** Own user + system CPU seconds plus those of its waited-for, exited children. */
  cpuS: number;
  /** The part of `cpuS` that came from waited-for, exited children (cutime + cstime). */
  reapedChildrenCpuS: number;
}

/** Reads `<root>/proc/<pid>/stat`; undefined if the process is gone or unreadable. */
export function readPidStat(root: string, pid: number): PidStat | undefined {
  const text = readText(root, 'proc', String(pid), 'stat');
  return text === undefined ? undefined : parsePidStat(text);
}

/**
 * The command name (field 2) is in parentheses and may itself contain spaces and
 * parentheses, e.g. `(my (weird) proc)`, so the fields are counted from the LAST `)`.
 * After it come state (field 3), ppid (4), ..., utime (14), stime (15), cutime (16) and
 * cstime (17), in clock ticks.
 */
export function parsePidStat(text: string): PidStat | undefined {
  const nameEnd = text.lastIndexOf(')');
  if (nameEnd < 0) return undefined;

  const fields = text
    .slice(nameEnd + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number): number => Number(fields[n - 3]);
  const ppid = field(4);
  const childTicks = field(16) + field(17);
  const ticks = field(14) + field(15) + childTicks;
  if (!Number.isInteger(ppid) || !Number.isFinite(ticks)) return undefined;
  return { ppid, cpuS: ticks / USER_HZ, reapedChildrenCpuS: childTicks / USER_HZ };
}

/** Resident set size from `<root>/proc/<pid>/status` (`VmRSS`, kB); 0 if absent. */
export function readPidRssBytes(root: string, pid: number): number {
  const text = readText(root, 'proc', String(pid), 'status');
  if (text === undefined) return 0;
  // Kernel threads and zombies have no VmRSS line: they hold no user memory.
  const rss = keyValueLines(text).find(([key]) => key === 'VmRSS')?.[1];
  const kib = rss === undefined ? Number.NaN : Number.parseInt(rss, 10);
  return Number.isFinite(kib) ? kib * 1024 : 0;
}

/**
 * Direct children of a process from `<root>/proc/<pid>/task/<tid>/children` (every thread
 * has its own list: a child belongs to the thread that forked it). Undefined when the
 * kernel does not provide these files (built without CONFIG_PROC_CHILDREN).
 */
export function readChildrenFiles(root: string, pid: number): number[] | undefined {
  const tids = listDir(root, 'proc', String(pid), 'task');
  if (tids === undefined) return undefined;

  let supported = false;
  const children: number[] = [];
  for (const tid of tids) {
    const text = readText(root, 'proc', String(pid), 'task', tid, 'children');
    if (text === undefined) continue;
    supported = true;
    children.push(...pidsIn(text));
  }
  return supported ? children : undefined;
}

/** Parent of every visible process, from a scan of `<root>/proc/*\/stat`. */
export function scanParents(root: string): Map<number, number[]> {
  const childrenByParent = new Map<number, number[]>();
  for (const pid of pidsIn((listDir(root, 'proc') ?? []).join(' '))) {
    const stat = readPidStat(root, pid);
    if (stat === undefined) continue;
    const siblings = childrenByParent.get(stat.ppid);
    if (siblings) siblings.push(pid);
    else childrenByParent.set(stat.ppid, [pid]);
  }
  return childrenByParent;
}

function pidsIn(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((word) => /^\d+$/.test(word))
    .map(Number);
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ); 100 on every Linux architecture. */
const USER_HZ = 100;
