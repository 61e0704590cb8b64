import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnceLogger } from '../../../src/log/logger.js';
import type { ReadTextFile } from '../../../src/sensors/rapl/counter-file.js';
import { readSysfsFile } from '../../../src/sensors/rapl/counter-file.js';

export interface FakeZone {
  name: string;
  /** Counter value, µJ. */
  energyUj?: number;
  /** `max_energy_range_uj`; null: the file is absent. Default 262143328850. */
  maxUj?: number | null;
  /** `dir`: energy_uj is a directory (reads fail with EISDIR); `none`: no energy_uj file. */
  counter?: 'file' | 'dir' | 'none';
}

/** A typical 32-bit RAPL range: 2^32 units of 61.035 µJ. */
export const MAX_RANGE_UJ = 262_143_328_850;

/**
 * A powercap tree in a temporary directory, laid out as the kernel does: zones live under
 * sys/devices/virtual/powercap/<provider>/…, and sys/class/powercap holds one link per zone
 * (sub-zones included). Counters are plain files the test rewrites between reads.
 */
export class FakePowercap {
  readonly root = mkdtempSync(join(tmpdir(), 'codecarbon-powercap-'));

  /** Adds zone `id` (`intel-rapl:0`, `intel-rapl:0:1`, `intel-rapl-mmio:0`). */
  zone(id: string, zone: FakeZone): this {
    const dir = this.dirOf(id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'name'), `${zone.name}\n`);
    const maxUj = zone.maxUj === undefined ? MAX_RANGE_UJ : zone.maxUj;
    if (maxUj !== null) writeFileSync(join(dir, 'max_energy_range_uj'), `${maxUj}\n`);
    const counter = zone.counter ?? 'file';
    if (counter === 'dir') mkdirSync(join(dir, 'energy_uj'));
    if (counter === 'file') writeFileSync(join(dir, 'energy_uj'), `${zone.energyUj ?? 0}\n`);

    const classDir = join(this.root, 'sys/class/powercap');
    mkdirSync(classDir, { recursive: true });
    symlinkSync(dir, join(classDir, id));
    return this;
  }

  /** Sets a zone's counter, µJ. */
  set(id: string, energyUj: number): void {
    writeFileSync(join(this.dirOf(id), 'energy_uj'), `${energyUj}\n`);
  }

  /** Adds `joules` to a zone's counter (no wrap). */
  add(id: string, joules: number, fromUj: number): number {
    const next = fromUj + joules * 1e6;
    this.set(id, next);
    return next;
  }

  /** The energy_uj path the sensors read (links resolved). */
  path(id: string): string {
    return join(realpathSync(this.dirOf(id)), 'energy_uj');
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private dirOf(id: string): string {
    const provider = id.slice(0, id.indexOf(':'));
    const parts = id.split(':');
    const chain = parts.slice(1).map((_, index) => parts.slice(0, index + 2).join(':'));
    return join(this.root, 'sys/devices/virtual/powercap', provider, ...chain);
  }
}

/**
 * A reader that fails like the kernel does. Tests run as root, and root reads a file
 * whatever its mode, so permission errors are injected here rather than with chmod.
 */
export function faultyReader(faults: {
  denied?: readonly string[];
  /** Paths whose next read fails once with EIO; the test may add to it between reads. */
  failOnce?: Set<string>;
}): ReadTextFile {
  return (path) => {
    if (faults.denied?.includes(path)) throw errno('EACCES', path);
    if (faults.failOnce?.delete(path)) throw errno('EIO', path);
    return readSysfsFile(path);
  };
}

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

/** A OnceLogger that records what it says, by level. */
export function recordingLogger(): {
  logger: OnceLogger;
  lines: { level: string; text: string }[];
} {
  const lines: { level: string; text: string }[] = [];
  const logger = new OnceLogger({
    debug: (text) => lines.push({ level: 'debug', text }),
    info: (text) => lines.push({ level: 'info', text }),
    warn: (text) => lines.push({ level: 'warn', text }),
    error: (text) => lines.push({ level: 'error', text }),
  });
  return { logger, lines };
}
