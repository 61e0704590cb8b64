/**
 * A lookup shared by every process of the machine through a cache file: the first process
 * takes a lock file (exclusive create), looks up and writes the answer atomically (temporary
 * file + rename); the others wait for that answer instead of asking the network themselves.
 * When the directory cannot be used the lookup simply runs uncached.
 */

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pause } from './http-get.js';

export interface SharedLookupOptions<T> {
  /** The cache file (absolute); the lock is the same path plus `.lock`. */
  file: string;
  /** Runs the lookup; never rejects. */
  lookup: (signal?: AbortSignal) => Promise<T>;
  /** How long an answer stays valid, ms (a failure can say less than a success). */
  lifetimeMs: (value: T) => number;
  /** The longest any cached answer is trusted, ms (the configured lifetime); 0 disables it. */
  maxAgeMs: number;
  /** Checks what the file holds; an older format or a hand-edited file reads as a miss. */
  parse: (value: unknown) => T | undefined;
  signal?: AbortSignal;
  /** A lock older than this belongs to a process that died mid-lookup, ms. Default 10 000. */
  staleLockMs?: number;
  /** How often a waiting process looks for the answer, ms. Default 50. */
  pollMs?: number;
  /** Wall clock, ms since the epoch (shared by every process). Default `Date.now`. */
  now?: () => number;
  /** Receives cache problems (unwritable directory…) for a debug log. */
  onProblem?: (message: string) => void;
}

export interface SharedLookupResult<T> {
  value: T;
  /** `cache`: another process (or an earlier run) looked it up; `lookup`: this one did. */
  origin: 'cache' | 'lookup' | 'uncached';
}

interface CacheEntry {
  format: 1;
  savedAtMs: number;
  expiresAtMs: number;
  value: unknown;
}

/** The cached answer when fresh, else one lookup for the whole machine. Never rejects. */
export async function sharedLookup<T>(
  options: SharedLookupOptions<T>,
): Promise<SharedLookupResult<T>> {
  const now = options.now ?? Date.now;
  const uncached = async (): Promise<SharedLookupResult<T>> => ({
    value: await options.lookup(options.signal),
    origin: 'uncached',
  });
  if (options.maxAgeMs <= 0) return uncached();

  const lockFile = `${options.file}.lock`;
  const staleLockMs = options.staleLockMs ?? 10_000;
  const giveUpAtMs = performance.now() + 2 * staleLockMs;
  for (;;) {
    const cached = await readFresh(options, now());
    if (cached !== undefined) return { value: cached, origin: 'cache' };

    const lock = await acquireLock(lockFile, options.onProblem);
    if (lock === 'unavailable') return uncached();
    if (lock === 'acquired') {
      try {
        // Another process may have written its answer just before this one took the lock.
        const fresh = await readFresh(options, now());
        if (fresh !== undefined) return { value: fresh, origin: 'cache' };
        const value = await options.lookup(options.signal);
        // An aborted lookup is not an answer about the machine: others must not reuse it.
        if (!options.signal?.aborted) await writeEntry(options, value, now());
        return { value, origin: 'lookup' };
      } finally {
        await rm(lockFile, { force: true }).catch(() => {});
      }
    }

    if (options.signal?.aborted || performance.now() > giveUpAtMs) return uncached();
    // File times are real time, whatever clock the entries use.
    if (await isStale(lockFile, staleLockMs, Date.now())) {
      // Two waiters may both remove it; the worst case is one extra lookup.
      await rm(lockFile, { force: true }).catch(() => {});
      continue;
    }
    await pause(options.pollMs ?? 50, options.signal);
  }
}

async function readFresh<T>(
  options: SharedLookupOptions<T>,
  nowMs: number,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const entry = JSON.parse(text) as Partial<CacheEntry>;
    if (entry.format !== 1) return undefined;
    const { savedAtMs, expiresAtMs } = entry;
    if (typeof savedAtMs !== 'number' || typeof expiresAtMs !== 'number') return undefined;
    // An entry from the future (clock set back) or older than the configured lifetime is stale.
    if (savedAtMs > nowMs || nowMs >= expiresAtMs || nowMs - savedAtMs >= options.maxAgeMs) {
      return undefined;
    }
    return options.parse(entry.value);
  } catch {
    return undefined;
  }
}

async function writeEntry<T>(
  options: SharedLookupOptions<T>,
  value: T,
  nowMs: number,
): Promise<void> {
  const lifetimeMs = Math.min(options.lifetimeMs(value), options.maxAgeMs);
  const entry: CacheEntry = { format: 1, savedAtMs: nowMs, expiresAtMs: nowMs + lifetimeMs, value };
  const temporary = `${options.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // The answer locates the machine: readable by its user only.
    await writeFile(temporary, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    await rename(temporary, options.file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    options.onProblem?.(`could not write ${options.file} (${describe(error)})`);
  }
}

async function acquireLock(
  lockFile: string,
  onProblem: ((message: string) => void) | undefined,
): Promise<'acquired' | 'held' | 'unavailable'> {
  const unavailable = (error: unknown) => {
    onProblem?.(`could not use ${lockFile} (${describe(error)}); looking up without the cache`);
    return 'unavailable' as const;
  };
  try {
    await mkdir(dirname(lockFile), { recursive: true, mode: 0o700 });
  } catch (error) {
    return unavailable(error);
  }
  try {
    const handle = await open(lockFile, 'wx', 0o600);
    await handle.writeFile(JSON.stringify({ pid: process.pid }));
    await handle.close();
    return 'acquired';
  } catch (error) {
    return (error as { code?: unknown }).code === 'EEXIST' ? 'held' : unavailable(error);
  }
}

async function isStale(lockFile: string, staleLockMs: number, nowMs: number): Promise<boolean> {
  try {
    const { mtimeMs } = await stat(lockFile);
    return nowMs - mtimeMs > staleLockMs;
  } catch {
    return false; // released meanwhile: the next round reads the answer
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
