import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { type ReadTextFile, readCounterUj, readSysfsFile } from './counter-file.js';

/** What a zone measures, from its `name` file. */
export type ZoneKind = 'package' | 'psys' | 'dram' | 'core' | 'uncore' | 'unknown';

/** Whether a zone's `energy_uj` could be read when the zones were listed. */
export type ZoneAccess =
  | { readable: true }
  | { readable: false; permission: boolean; reason: string };

/** One powercap zone (RAPL domain) as the kernel exposes it. */
export interface PowercapZone {
  /** Directory name, unique on a machine: `intel-rapl:0`, `intel-rapl-mmio:0`, `intel-rapl:0:1`. */
  readonly id: string;
  /** Control type: `intel-rapl` (MSR), `intel-rapl-mmio`, `intel-rapl-tpmi`, … */
  readonly provider: string;
  /** Id of the enclosing zone for a sub-zone (`intel-rapl:0` for `intel-rapl:0:1`). */
  readonly parentId: string | undefined;
  /** Content of `name` (`package-0`, `dram`, `psys`…); the id when the file is missing. */
  readonly name: string;
  readonly kind: ZoneKind;
  /**
   * Identity of the counter across providers: the name, prefixed by the parent's name for a
   * sub-zone (`package-0`, `package-1/dram`). Two sockets' `dram` sub-zones differ; the same
   * package under MSR and MMIO does not.
   */
  readonly key: string;
  /** Absolute path of `energy_uj` (under the configured root), links resolved. */
  readonly energyPath: string;
  /** The zone's directory as the system names it, for messages: `/sys/class/powercap/…`. */
  readonly systemPath: string;
  /** Wrap modulus, µJ; undefined when the file is missing or unreadable. */
  readonly maxEnergyRangeUj: number | undefined;
  readonly hasCounter: boolean;
  readonly access: ZoneAccess;
}

/** Where the kernel lists powercap zones, relative to the filesystem root. */
export const POWERCAP_DIRS = ['sys/class/powercap', 'sys/devices/virtual/powercap'] as const;

/**
 * Lists every powercap zone under `<root>/sys/class/powercap` and
 * `<root>/sys/devices/virtual/powercap`: the flat links of the class directory, each
 * provider's directory and the sub-zones inside zones. A zone reached by several paths is
 * listed once (by its directory name). Reads `name`, `max_energy_range_uj` and one
 * `energy_uj` per zone to learn whether it is readable. Never throws; no zones → [].
 */
export function discoverPowercapZones(
  root: string,
  readFile: ReadTextFile = readSysfsFile,
): PowercapZone[] {
  const dirs = new Map<string, { dir: string; systemDir: string }>();
  for (const base of POWERCAP_DIRS) {
    collectZoneDirs(join(root, base), `/${base}`, 0, dirs);
  }

  const names = new Map<string, string>();
  for (const [id, { dir }] of dirs) names.set(id, readName(readFile, dir) ?? id);

  return [...dirs.entries()]
    .sort(([a], [b]) => compareZoneIds(a, b))
    .map(([id, { dir, systemDir }]) => {
      const name = names.get(id) ?? id;
      const parentId = parentOf(id);
      const parentName = parentId === undefined ? undefined : names.get(parentId);
      return {
        id,
        provider: id.slice(0, id.indexOf(':')),
        parentId,
        name,
        kind: zoneKind(name),
        key: parentName === undefined ? name : `${parentName}/${name}`,
        energyPath: join(dir, 'energy_uj'),
        systemPath: systemDir,
        maxEnergyRangeUj: readMaxRange(readFile, dir),
        ...counterAccess(readFile, join(dir, 'energy_uj')),
      };
    });
}

/** The kind of a zone from its name; matching is case-insensitive. */
export function zoneKind(name: string): ZoneKind {
  const lower = name.trim().toLowerCase();
  if (lower.includes('package')) return 'package';
  if (lower === 'psys') return 'psys';
  if (lower.includes('dram')) return 'dram';
  if (lower.includes('uncore')) return 'uncore';
  if (lower === 'core') return 'core';
  return 'unknown';
}

/** `intel-rapl:0`, `intel-rapl-mmio:1:0`: a control type name then one or more indices. */
const ZONE_ID = /^[a-z][a-z0-9_-]*(:\d+)+$/;
/** A control type's own directory (`intel-rapl`) in the devices tree. */
const PROVIDER_DIR = /^[a-z][a-z0-9_-]*$/;
/** Zones nest at most a few levels; the bound also stops any link loop. */
const MAX_DEPTH = 4;

function collectZoneDirs(
  dir: string,
  systemDir: string,
  depth: number,
  found: Map<string, { dir: string; systemDir: string }>,
): void {
  if (depth > MAX_DEPTH) return;
  for (const entry of listDir(dir)) {
    const path = join(dir, entry);
    const systemPath = `${systemDir}/${entry}`;
    if (ZONE_ID.test(entry)) {
      // Seen by another path already, sub-zones included.
      if (found.has(entry)) continue;
      found.set(entry, { dir: realPath(path), systemDir: systemPath });
      collectZoneDirs(path, systemPath, depth + 1, found);
    } else if (depth === 0 && PROVIDER_DIR.test(entry)) {
      // Only at the top: inside zones, plain names are attributes and links (`subsystem`).
      collectZoneDirs(path, systemPath, depth + 1, found);
    }
  }
}

/** The zone's own directory, links resolved, so that every message and read uses one path. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readName(readFile: ReadTextFile, dir: string): string | undefined {
  try {
    const name = readFile(join(dir, 'name')).trim();
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}

function readMaxRange(readFile: ReadTextFile, dir: string): number | undefined {
  const read = readCounterUj(readFile, join(dir, 'max_energy_range_uj'));
  return read.ok && read.valueUj > 0 ? read.valueUj : undefined;
}

function counterAccess(
  readFile: ReadTextFile,
  energyPath: string,
): { hasCounter: boolean; access: ZoneAccess } {
  const read = readCounterUj(readFile, energyPath);
  if (read.ok) return { hasCounter: true, access: { readable: true } };
  const hasCounter = read.reason !== 'ENOENT';
  return {
    hasCounter,
    access: { readable: false, permission: read.permission, reason: read.reason },
  };
}

function parentOf(id: string): string | undefined {
  const last = id.lastIndexOf(':');
  const parent = id.slice(0, last);
  return parent.includes(':') ? parent : undefined;
}

/** Provider name first, then indices as numbers: `intel-rapl:2` before `intel-rapl:10`. */
export function compareZoneIds(a: string, b: string): number {
  const [providerA = '', ...indicesA] = a.split(':');
  const [providerB = '', ...indicesB] = b.split(':');
  if (providerA !== providerB) return providerA < providerB ? -1 : 1;
  for (let i = 0; i < Math.max(indicesA.length, indicesB.length); i += 1) {
    const difference = Number(indicesA[i] ?? -1) - Number(indicesB[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}
