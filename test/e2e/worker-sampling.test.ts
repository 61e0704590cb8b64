import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, sandbox, start } from '../helpers/cli.js';
import { FakePowercap } from '../sensors/rapl/fake-powercap.js';

/** A package counter that wraps every 20 J, driven at 50 W from this (unblocked) process. */
const RANGE_UJ = 20_000_000;
const POWER_W = 50;

let stopDriver: (() => void) | undefined;
afterEach(() => stopDriver?.());

function drive(powercap: FakePowercap): void {
  const startedMs = performance.now();
  const counter = powercap.path('intel-rapl:0');
  const timer = setInterval(() => {
    const energyUj = ((performance.now() - startedMs) / 1000) * POWER_W * 1e6;
    // Replace the file whole: a reader must never see it half written (sysfs never is).
    writeFileSync(`${counter}.next`, `${Math.floor(energyUj % RANGE_UJ)}\n`);
    renameSync(`${counter}.next`, counter);
  }, 5);
  stopDriver = () => clearInterval(timer);
}

/** Runs a program that blocks its main thread for 2 s between start() and stop(). */
async function blockedRun(root: string, sampling: 'worker' | 'inline') {
  const box = sandbox();
  const index = pathToFileURL(join(REPO, 'dist', 'index.js')).href;
  const file = join(box.dir, 'blocked.mjs');
  writeFileSync(
    file,
    `import { OfflineEmissionsTracker } from ${JSON.stringify(index)};
const tracker = new OfflineEmissionsTracker(
  { countryIsoCode: 'FRA', measurePowerSecs: 0.05, saveToFile: false, forceRamPower: 0, logLevel: 'warning' },
  { root: ${JSON.stringify(root)}, env: {}, sampling: ${JSON.stringify(sampling)} },
);
tracker.start();
await new Promise((resolve) => setTimeout(resolve, 200)); // let the worker take its baseline
const until = Date.now() + 2000;
while (Date.now() < until) {} // user code blocks the main thread: no timer can run here
await tracker.stop();
const r = tracker.finalEmissionsData;
console.log(JSON.stringify({ cpuJ: r.cpuEnergy * 3.6e6, duration: r.duration, method: r.cpuMethod }));
`,
  );
  const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout.trim()) as { cpuJ: number; duration: number; method: string };
}

describe('sampling off the main thread', () => {
  it('reads a wrapping RAPL counter on schedule while user code blocks the main thread', async () => {
    const powercap = new FakePowercap().zone('intel-rapl:0', {
      name: 'package-0',
      maxUj: RANGE_UJ,
    });
    drive(powercap);

    const run = await blockedRun(powercap.root, 'worker');

    expect(run.method).toBe('rapl-package');
    expect(run.duration).toBeGreaterThanOrEqual(2.2);
    // About 110 J through five wraps of a 20 J counter: every wrap was seen.
    expect(run.cpuJ / run.duration).toBeGreaterThan(POWER_W * 0.93);
    expect(run.cpuJ / run.duration).toBeLessThan(POWER_W * 1.07);
  });

  it('(control) read only from the blocked thread, the same run loses the wraps it never saw', async () => {
    const powercap = new FakePowercap().zone('intel-rapl:0', {
      name: 'package-0',
      maxUj: RANGE_UJ,
    });
    drive(powercap);

    const run = await blockedRun(powercap.root, 'inline');

    expect(run.cpuJ / run.duration).toBeLessThan(POWER_W * 0.8);
  });
});
