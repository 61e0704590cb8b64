import { readChildrenFiles, readPidRssBytes, readPidStat, scanParents } from './proc-pid.js';

/** Resources used by a process and all its live descendants. */
export interface ProcessTreeUsage {
  /**
   * Cumulative CPU seconds of the tree: for each live member, its user + system time plus
   * that of its exited children it has waited for (Linux cutime + cstime). When a member
   * reaps a child, the child's time moves into the parent's count, so the total does not
   * drop as short-lived children come and go.
   */
  cpuS: number;
  /** Sum of the members' resident set sizes, bytes (shared pages are counted per member). */
  rssBytes: number;
  /** Members found, the root first. */
  pids: number[];
}

/**
 * Reads the CPU time and memory of `rootPid` and its descendants from `<root>/proc`; with
 * `excludeRoot`, of its descendants only.
 * Processes that vanish while being read are skipped. The total can still step back when
 * a member exits before its own children: they are re-parented outside the tree and their
 * time leaves the count, so callers should clamp negative deltas to zero.
 *
 * Without /proc (macOS, Windows) only the current process can be read, through
 * `process.cpuUsage()` and `process.memoryUsage()`: its child processes are then not seen.
 */
export function readProcessTree(
  rootPid: number,
  root = '/',
  options: { excludeRoot?: boolean } = {},
): ProcessTreeUsage | undefined {
  const rootStat = readPidStat(root, rootPid);
  if (rootStat === undefined) {
    return root === '/' && rootPid === process.pid && !options.excludeRoot
      ? currentProcessUsage()
      : undefined;
  }

  const pids = treeMembers(rootPid, root);
  // `excludeRoot` (codecarbon monitor): the root is the tracker itself; only its children's
  // work counts, including children it has already reaped.
  let cpuS = options.excludeRoot ? rootStat.reapedChildrenCpuS : rootStat.cpuS;
  let rssBytes = options.excludeRoot ? 0 : readPidRssBytes(root, rootPid);
  const live = [rootPid];
  for (const pid of pids.slice(1)) {
    const stat = readPidStat(root, pid);
    if (stat === undefined) continue;
    cpuS += stat.cpuS;
    rssBytes += readPidRssBytes(root, pid);
    live.push(pid);
  }
  return { cpuS, rssBytes, pids: live };
}

/** `rootPid` then its descendants, breadth first, each once. */
function treeMembers(rootPid: number, root: string): number[] {
  const childrenOf = childrenReader(rootPid, root);
  const members = [rootPid];
  const seen = new Set(members);
  for (let i = 0; i < members.length; i += 1) {
    for (const child of childrenOf(members[i] as number)) {
      if (seen.has(child)) continue;
      seen.add(child);
      members.push(child);
    }
  }
  return members;
}

/**
 * The per-thread children files are cheap to read; kernels without them get one scan of
 * every process, which gives all parent links at once. Whether the files exist is decided
 * on the root process, so a member that vanished mid-walk does not trigger a scan.
 */
function childrenReader(rootPid: number, root: string): (pid: number) => number[] {
  const rootChildren = readChildrenFiles(root, rootPid);
  if (rootChildren === undefined) {
    const childrenByParent = scanParents(root);
    return (pid) => childrenByParent.get(pid) ?? [];
  }
  return (pid) => (pid === rootPid ? rootChildren : (readChildrenFiles(root, pid) ?? []));
}

function currentProcessUsage(): ProcessTreeUsage | undefined {
  try {
    const { user, system } = process.cpuUsage();
    return {
      cpuS: (user + system) / 1e6,
      rssBytes: process.memoryUsage().rss,
      pids: [process.pid],
    };
  } catch {
    return undefined;
  }
}
