import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log/logger.js';
import { MachineLock } from '../../src/tracker/machine-lock.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { REPO, waitFor } from '../helpers/cli.js';
import { ConstantFakeSensor } from '../helpers/fakes.js';

function tracker(dir: string, messages: string[], options: Record<string, unknown> = {}) {
  const logger: Logger = {
    debug: () => {},
    info: (m) => void messages.push(`info: ${m}`),
    warn: (m) => void messages.push(`warn: ${m}`),
    error: (m) => void messages.push(`error: ${m}`),
  };
  return new OfflineEmissionsTracker(
    { countryIsoCode: 'FRA', outputDir: dir, logger, installExitHandlers: false, ...options },
    { env: {}, cwd: dir, homeDir: dir, lockDir: dir, sensors: [new ConstantFakeSensor('cpu', 5)] },
  );
}

describe('allow_multiple_runs = false (the default): one tracker per machine', () => {
  it('a second tracker logs who holds the lock and measures nothing, without throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-lock-'));
    const first = tracker(dir, []);
    const messages: string[] = [];
    const second = tracker(dir, messages, { outputFile: 'second.csv' });

    first.start();
    second.start();
    expect(await second.stop()).toBeUndefined();
    await first.stop();

    const refusal = messages.find((m) => m.startsWith('error:')) ?? '';
    expect(refusal).toContain(`pid ${process.pid}`);
    expect(refusal).toMatch(/allow_multiple_runs/);
    expect(existsSync(join(dir, 'second.csv'))).toBe(false);
    expect(existsSync(join(dir, 'emissions.csv'))).toBe(true);
  });

  it('the lock is released at stop: the next tracker runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-lock-'));
    const first = tracker(dir, []);
    first.start();
    await first.stop();
    expect(existsSync(join(dir, '.codecarbon.lock'))).toBe(false);

    const messages: string[] = [];
    const next = tracker(dir, messages);
    next.start();
    expect(await next.stop()).toBeGreaterThanOrEqual(0);
    expect(messages.filter((m) => m.startsWith('error:'))).toEqual([]);
  });

  it('a lock left by a process that died is taken over with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-lock-'));
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(
      join(dir, '.codecarbon.lock'),
      JSON.stringify({ pid: dead.pid, startedAt: Date.now() - 60_000, hostname: hostname() }),
    );

    const messages: string[] = [];
    const t = tracker(dir, messages);
    t.start();
    expect(JSON.parse(readFileSync(join(dir, '.codecarbon.lock'), 'utf8')).pid).toBe(process.pid);
    await t.stop();
    expect(messages.some((m) => m.startsWith('warn:') && m.includes(`pid ${dead.pid}`))).toBe(true);
  });

  it('an empty lock file (as Python CodeCarbon leaves) is treated as stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-lock-'));
    writeFileSync(join(dir, '.codecarbon.lock'), '');
    const lock = new MachineLock(dir);
    expect(lock.acquire().acquired).toBe(true);
    lock.release();
  });

  it('two processes contend: the live owner keeps it, the other is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-lock-'));
    const index = pathToFileURL(join(REPO, 'dist', 'index.js')).href;
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { OfflineEmissionsTracker } from ${JSON.stringify(index)};
         const t = new OfflineEmissionsTracker({ countryIsoCode: 'FRA', logLevel: 'error', outputDir: ${JSON.stringify(dir)} });
         t.start(); console.log('holding'); setTimeout(() => t.stop(), 5000);`,
      ],
      { env: { ...process.env, TMPDIR: dir }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    holder.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    await waitFor(() => out.includes('holding'));

    const messages: string[] = [];
    const contender = tracker(dir, messages, { outputFile: 'contender.csv' });
    contender.start();
    expect(await contender.stop()).toBeUndefined();
    expect(messages.some((m) => m.includes(`pid ${holder.pid}`))).toBe(true);

    holder.kill('SIGTERM');
    await new Promise((resolve) => holder.on('exit', resolve));
    // SIGTERM released the lock (and wrote the final row).
    expect(existsSync(join(dir, '.codecarbon.lock'))).toBe(false);
    expect(existsSync(join(dir, 'emissions.csv'))).toBe(true);
  });

  it('allow_multiple_runs = true: no lock, and machine mode says energy is counted per tracker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-lock-'));
    const messages: string[] = [];
    const a = tracker(dir, messages, { allowMultipleRuns: true, logLevel: 'info' });
    const b = tracker(dir, [], { allowMultipleRuns: true });
    a.start();
    b.start();
    expect(existsSync(join(dir, '.codecarbon.lock'))).toBe(false);
    expect(await b.stop()).toBeGreaterThanOrEqual(0);
    await a.stop();
    expect(messages.some((m) => m.includes('counted once per running tracker'))).toBe(true);
  });
});
