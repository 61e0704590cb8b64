import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedLookup } from '../../src/location/shared-lookup.js';
import { tempDir } from './temp-dir.js';

/** A lookup that counts its calls and answers `{ n }` after `delayMs`. */
function countingLookup(delayMs = 0) {
  const counter = { calls: 0 };
  const lookup = async () => {
    counter.calls += 1;
    const n = counter.calls;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return { n };
  };
  return { counter, lookup };
}

const parse = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { n?: unknown }).n === 'number'
    ? (value as { n: number })
    : undefined;

function options(file: string, lookup: () => Promise<{ n: number }>, now = () => 1_000_000) {
  return { file, lookup, parse, now, lifetimeMs: () => 60_000, maxAgeMs: 60_000 };
}

describe('sharedLookup', () => {
  it('looks up once and then answers from the cache file', async () => {
    const file = join(tempDir(), 'nested', 'answer.json');
    const { counter, lookup } = countingLookup();
    const first = await sharedLookup(options(file, lookup));
    const second = await sharedLookup(options(file, lookup));
    expect(first).toEqual({ value: { n: 1 }, origin: 'lookup' });
    expect(second).toEqual({ value: { n: 1 }, origin: 'cache' });
    expect(counter.calls).toBe(1);
  });

  it('makes one lookup for eight callers starting together', async () => {
    const file = join(tempDir(), 'answer.json');
    const { counter, lookup } = countingLookup(100);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => sharedLookup({ ...options(file, lookup), pollMs: 5 })),
    );
    expect(counter.calls).toBe(1);
    expect(results.map((r) => r.value.n)).toEqual(Array(8).fill(1));
    expect(results.filter((r) => r.origin === 'lookup')).toHaveLength(1);
  });

  it('looks up again once the answer has expired', async () => {
    const file = join(tempDir(), 'answer.json');
    const { counter, lookup } = countingLookup();
    let nowMs = 1_000_000;
    const clock = () => nowMs;
    await sharedLookup(options(file, lookup, clock));
    nowMs += 59_999;
    expect((await sharedLookup(options(file, lookup, clock))).origin).toBe('cache');
    nowMs += 1;
    expect(await sharedLookup(options(file, lookup, clock))).toEqual({
      value: { n: 2 },
      origin: 'lookup',
    });
    expect(counter.calls).toBe(2);
  });

  it('keeps a short-lived answer (a failure) only for its own lifetime', async () => {
    const file = join(tempDir(), 'answer.json');
    const { counter, lookup } = countingLookup();
    let nowMs = 1_000_000;
    const short = { ...options(file, lookup, () => nowMs), lifetimeMs: () => 5_000 };
    await sharedLookup(short);
    nowMs += 5_000;
    await sharedLookup(short);
    expect(counter.calls).toBe(2);
  });

  it('does not trust an entry older than the configured lifetime, nor one from the future', async () => {
    const file = join(tempDir(), 'answer.json');
    const { counter, lookup } = countingLookup();
    const entry = (savedAtMs: number) =>
      JSON.stringify({ format: 1, savedAtMs, expiresAtMs: savedAtMs + 1e9, value: { n: 7 } });
    writeFileSync(file, entry(1_000_000 - 60_000));
    expect((await sharedLookup(options(file, lookup))).origin).toBe('lookup');
    writeFileSync(file, entry(1_000_000 + 10));
    expect((await sharedLookup(options(file, lookup))).origin).toBe('lookup');
    expect(counter.calls).toBe(2);
  });

  it('treats a corrupted or foreign cache file as a miss and replaces it', async () => {
    const file = join(tempDir(), 'answer.json');
    const { lookup } = countingLookup();
    writeFileSync(file, '{"format": 1, "savedAtMs": ');
    expect((await sharedLookup(options(file, lookup))).origin).toBe('lookup');
    expect(JSON.parse(readFileSync(file, 'utf8')).value).toEqual({ n: 1 });
  });

  it('writes the cache readable by its owner only', async () => {
    const file = join(tempDir(), 'answer.json');
    await sharedLookup(options(file, countingLookup().lookup));
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('takes over a lock left by a process that died mid-lookup', async () => {
    const file = join(tempDir(), 'answer.json');
    writeFileSync(`${file}.lock`, '{"pid": 999999}');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    const { counter, lookup } = countingLookup();
    const result = await sharedLookup({ ...options(file, lookup), staleLockMs: 10_000 });
    expect(result).toEqual({ value: { n: 1 }, origin: 'lookup' });
    expect(counter.calls).toBe(1);
  });

  it('looks up without the cache when its directory cannot be used', async () => {
    const blocker = join(tempDir(), 'not-a-dir');
    writeFileSync(blocker, 'a file where the cache directory should be');
    const problems: string[] = [];
    const { counter, lookup } = countingLookup();
    const run = () =>
      sharedLookup({
        ...options(join(blocker, 'answer.json'), lookup),
        onProblem: (m) => problems.push(m),
      });
    expect((await run()).origin).toBe('uncached');
    expect((await run()).origin).toBe('uncached');
    expect(counter.calls).toBe(2);
    expect(problems[0]).toMatch(/looking up without the cache/);
  });

  it('does not cache at all with a zero lifetime', async () => {
    const file = join(tempDir(), 'answer.json');
    const { counter, lookup } = countingLookup();
    await sharedLookup({ ...options(file, lookup), maxAgeMs: 0 });
    await sharedLookup({ ...options(file, lookup), maxAgeMs: 0 });
    expect(counter.calls).toBe(2);
    expect(() => statSync(file)).toThrow();
  });

  it('does not store the answer of an aborted lookup', async () => {
    const file = join(tempDir(), 'answer.json');
    const controller = new AbortController();
    controller.abort();
    await sharedLookup({ ...options(file, countingLookup().lookup), signal: controller.signal });
    expect(() => statSync(file)).toThrow();
    expect(() => statSync(`${file}.lock`)).toThrow();
  });
});
