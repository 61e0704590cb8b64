import { join } from 'node:path';
import { readText } from './read-text.js';

/** Memory limit and usage of the cgroup this process runs in (containers, systemd units). */
export interface CgroupMemory {
  /** The tightest limit on this cgroup or any ancestor, bytes; undefined when unlimited. */
  limitBytes?: number;
  /** Memory charged to the cgroup, page cache included, bytes. */
  usageBytes?: number;
}

/**
 * Reads the memory controller of the current process's cgroup under `root`. cgroup v1 is
 * preferred when /proc/self/cgroup names a v1 `memory` hierarchy (hybrid hosts also list a
 * v2 `0::` line that has no memory controller). Limits that cannot bind (at or above the
 * host's RAM, or ≥ 2^60, which is how v1 spells "unlimited") are reported as none.
 */
export function readCgroupMemory(root: string, hostTotalBytes: number): CgroupMemory {
  const membership = readText(root, 'proc', 'self', 'cgroup');
  if (membership === undefined) return {};

  const lines = membership.split('\n').map(parseCgroupLine);
  const v1 = lines.find((line) => line?.controllers.includes('memory'));
  const v2 = lines.find((line) => line?.hierarchyId === '0' && line.controllers.length === 0);
  const layout = v1 ? { path: v1.path, ...V1 } : v2 ? { path: v2.path, ...V2 } : undefined;
  if (layout === undefined) return {};

  const dirs = cgroupDirs(root, layout.mount, layout.path, layout.usageFile);
  const usage = readBytes(root, dirs[0], layout.usageFile);
  const limits = dirs
    .map((dir) => readBytes(root, dir, layout.limitFile))
    .filter((limit): limit is number => limit !== undefined);
  const limit = limits.length > 0 ? Math.min(...limits) : undefined;

  const binding = limit !== undefined && limit < UNLIMITED_BYTES && limit < hostTotalBytes;
  return {
    ...(binding ? { limitBytes: limit } : {}),
    ...(usage !== undefined ? { usageBytes: usage } : {}),
  };
}

const V1 = {
  mount: 'sys/fs/cgroup/memory',
  limitFile: 'memory.limit_in_bytes',
  usageFile: 'memory.usage_in_bytes',
};
const V2 = { mount: 'sys/fs/cgroup', limitFile: 'memory.max', usageFile: 'memory.current' };

/** v1 reports "no limit" as a page-rounded 2^63 − 1; anything this large is not a limit. */
const UNLIMITED_BYTES = 2 ** 60;

function parseCgroupLine(
  line: string,
): { hierarchyId: string; controllers: string[]; path: string } | undefined {
  // `hierarchy-ID:controller-list:path`; the path itself may contain colons.
  const first = line.indexOf(':');
  const second = line.indexOf(':', first + 1);
  if (first < 0 || second < 0) return undefined;
  const controllers = line.slice(first + 1, second);
  return {
    hierarchyId: line.slice(0, first),
    controllers: controllers === '' ? [] : controllers.split(','),
    path: line.slice(second + 1).trim(),
  };
}

/**
 * The cgroup's directory, then each ancestor up to the mount point. Inside a container
 * without its own cgroup namespace, /proc/self/cgroup shows the host's path while the
 * container's cgroup is mounted at the mount point itself; then only the mount point is
 * read.
 */
function cgroupDirs(root: string, mount: string, path: string, probeFile: string): string[] {
  const segments = path.split('/').filter((segment) => segment !== '');
  const leaf = join(mount, ...segments);
  if (readText(root, leaf, probeFile) === undefined) return [mount];

  const dirs: string[] = [];
  for (let depth = segments.length; depth >= 0; depth -= 1) {
    dirs.push(join(mount, ...segments.slice(0, depth)));
  }
  return dirs;
}

/** A byte count file; `max` (v2 "unlimited") and anything unparsable give undefined. */
function readBytes(root: string, dir: string | undefined, file: string): number | undefined {
  if (dir === undefined) return undefined;
  const text = readText(root, dir, file)?.trim();
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}
