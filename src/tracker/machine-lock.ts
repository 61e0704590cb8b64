import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OnceLogger } from '../log/logger.js';

/** What the lock file says about its owner. */
export interface LockOwner {
  pid: number;
  /** When the owner took the lock, ms since the epoch. */
  startedAt: number;
  hostname: string;
}

export type LockResult =
  | { acquired: true; tookOverFrom?: LockOwner }
  | { acquired: false; owner: LockOwner };

/**
 * One tracker per machine when `allow_multiple_runs` is false: a file in the OS temp directory
 * holding the owner's pid and start time. A lock whose owner is no longer alive (crash,
 * SIGKILL) is taken over; releasing only ever removes our own lock.
 */
export class MachineLock {
  readonly path: string;
  private held: LockOwner | undefined;

  constructor(directory: string = tmpdir()) {
    this.path = join(directory, '.codecarbon.lock');
  }

  acquire(): LockResult {
    const me: LockOwner = { pid: process.pid, startedAt: Date.now(), hostname: hostname() };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.createExclusively(me)) {
        this.held = me;
        return { acquired: true };
      }
      const owner = this.readOwner();
      if (owner && isAlive(owner)) return { acquired: false, owner };
      if (this.removeStale(owner)) {
        if (this.createExclusively(me)) {
          this.held = me;
          return owner ? { acquired: true, tookOverFrom: owner } : { acquired: true };
        }
      }
    }
    const owner = this.readOwner();
    return owner ? { acquired: false, owner } : { acquired: false, owner: unknownOwner() };
  }

  /** Removes the lock if it is still ours. Never throws. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    const owner = this.readOwner();
    if (owner?.pid !== held.pid || owner.startedAt !== held.startedAt) return;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }

  get isHeld(): boolean {
    return this.held !== undefined;
  }

  private createExclusively(me: LockOwner): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'wx', 0o644);
    } catch {
      return false;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  private readOwner(): LockOwner | undefined {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<LockOwner>;
      if (typeof parsed.pid !== 'number' || typeof parsed.startedAt !== 'number') return undefined;
      return { pid: parsed.pid, startedAt: parsed.startedAt, hostname: parsed.hostname ?? '' };
    } catch {
      return undefined; // missing, or an empty/garbled file (e.g. CodeCarbon's own empty lock)
    }
  }

  /**
   * Moves the stale lock aside atomically, then checks that what was moved is the stale lock
   * read before: if another process replaced it meanwhile, its fresh lock is put back.
   */
  private removeStale(stale: LockOwner | undefined): boolean {
    const aside = `${this.path}.${process.pid}.${Date.now()}.stale`;
    try {
      renameSync(this.path, aside);
    } catch {
      return true; // gone already: try to create it
    }
    const moved = readOwnerAt(aside);
    const same = moved?.pid === stale?.pid && moved?.startedAt === stale?.startedAt;
    try {
      if (same) unlinkSync(aside);
      else renameSync(aside, this.path);
    } catch {
      // Best effort: a leftover .stale file is harmless.
    }
    return same;
  }
}

function readOwnerAt(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the owner process still exists (on this host; another host's lock is respected). */
function isAlive(owner: LockOwner): boolean {
  if (owner.hostname && owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function unknownOwner(): LockOwner {
  return { pid: -1, startedAt: 0, hostname: '' };
}

/**
 * Takes `lock` for a tracker; when another live tracker holds it, logs (once) who does and how
 * to allow several runs, and returns false: the tracker then measures nothing, so the machine
 * is not counted twice. A lock left by a dead owner is taken over with a warning.
 */
export function acquireOrExplain(lock: MachineLock, logger: OnceLogger): boolean {
  const result = lock.acquire();
  if (!result.acquired) {
    const { pid, startedAt } = result.owner;
    logger.once(
      'lock-refused',
      'error',
      `Another codecarbon tracker is running on this machine (pid ${pid}, started ` +
        `${new Date(startedAt).toISOString()}; lock ${lock.path}): this tracker measures ` +
        'nothing, so the machine is not counted twice. Set allow_multiple_runs=true ' +
        '(option allowMultipleRuns, or CODECARBON_ALLOW_MULTIPLE_RUNS=true) to run several.',
    );
    return false;
  }
  if (result.tookOverFrom) {
    logger.warn(
      `Took over the lock ${lock.path} left by pid ${result.tookOverFrom.pid}, which is no ` +
        'longer running.',
    );
  }
  return true;
}
