import os from 'node:os';
import { readCgroupMemory } from './cgroup-memory.js';
import { keyValueLines, readText } from './read-text.js';

/** Memory of the host and, when the process runs in a limited cgroup, of that cgroup. */
export interface MemoryInfo {
  hostTotalBytes: number;
  /** Memory the host could give without swapping (MemAvailable), bytes. */
  hostAvailableBytes: number;
  /** cgroup memory limit, bytes; only set when it is below the host's RAM. */
  containerLimitBytes?: number;
  /** Memory charged to the process's cgroup, bytes. */
  containerUsageBytes?: number;
}

/** The memory a model should use: a container's limit when it binds, else the host's RAM. */
export interface EffectiveMemory {
  totalBytes: number;
  usedBytes: number;
  fromContainerLimit: boolean;
}

/**
 * Reads host memory from `<root>/proc/meminfo` (Node's `os.totalmem()`/`os.freemem()` when
 * reading the real root without /proc) and the cgroup limit from /proc/self/cgroup and
 * /sys/fs/cgroup. Undefined when the host's memory cannot be read.
 */
export function readMemory(root = '/'): MemoryInfo | undefined {
  const host = readHostMemory(root);
  if (host === undefined) return undefined;

  const cgroup = readCgroupMemory(root, host.hostTotalBytes);
  return {
    ...host,
    ...(cgroup.limitBytes !== undefined ? { containerLimitBytes: cgroup.limitBytes } : {}),
    ...(cgroup.usageBytes !== undefined ? { containerUsageBytes: cgroup.usageBytes } : {}),
  };
}

/** The container limit counts only when it is below the host's RAM. */
export function effectiveMemory(info: MemoryInfo): EffectiveMemory {
  const hostUsedBytes = info.hostTotalBytes - info.hostAvailableBytes;
  const limit = info.containerLimitBytes;
  if (limit !== undefined && limit > 0 && limit < info.hostTotalBytes) {
    const usedBytes = info.containerUsageBytes ?? hostUsedBytes;
    return { totalBytes: limit, usedBytes: clamp(usedBytes, limit), fromContainerLimit: true };
  }
  return {
    totalBytes: info.hostTotalBytes,
    usedBytes: clamp(hostUsedBytes, info.hostTotalBytes),
    fromContainerLimit: false,
  };
}

/**
 * `MemTotal` and `MemAvailable`, in kB. Kernels before 3.14 have no MemAvailable; free +
 * buffers + page cache approximates it there.
 */
export function parseMeminfo(
  text: string,
): Pick<MemoryInfo, 'hostTotalBytes' | 'hostAvailableBytes'> | undefined {
  const kib = new Map<string, number>();
  for (const [key, value] of keyValueLines(text)) {
    const amount = Number.parseInt(value, 10);
    if (key !== '' && Number.isFinite(amount)) kib.set(key, amount);
  }

  const totalKib = kib.get('MemTotal');
  if (totalKib === undefined || totalKib <= 0) return undefined;
  const availableKib =
    kib.get('MemAvailable') ??
    (kib.get('MemFree') ?? 0) + (kib.get('Buffers') ?? 0) + (kib.get('Cached') ?? 0);
  return { hostTotalBytes: totalKib * 1024, hostAvailableBytes: availableKib * 1024 };
}

type HostMemory = Pick<MemoryInfo, 'hostTotalBytes' | 'hostAvailableBytes'>;

/** A fake root without /proc/meminfo gives undefined rather than the real host's memory. */
function readHostMemory(root: string): HostMemory | undefined {
  const meminfo = readText(root, 'proc', 'meminfo');
  if (meminfo !== undefined) return parseMeminfo(meminfo);
  return root === '/' ? osMemory() : undefined;
}

function osMemory(): HostMemory | undefined {
  try {
    return { hostTotalBytes: os.totalmem(), hostAvailableBytes: os.freemem() };
  } catch {
    return undefined;
  }
}

function clamp(bytes: number, maxBytes: number): number {
  return Math.min(maxBytes, Math.max(0, bytes));
}
