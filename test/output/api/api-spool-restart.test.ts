/**
 * Real processes using the built package (`npm run build` first): one tracks while the API is
 * down and ends (normally, or killed), the next one sends what the first left in the spool.
 */

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSpool } from '../../../src/output/api/spool-file.js';
import { REPO, sandbox, start, waitFor } from '../../helpers/cli.js';
import { FakeCodeCarbonApi } from './fake-codecarbon-api.js';

const INDEX = join(REPO, 'dist', 'index.js');
const KEY = 'restart-test-key-91c2';
const EXPERIMENT = 'e2e-experiment';

let fake: FakeCodeCarbonApi;
beforeAll(() => {
  if (!existsSync(INDEX)) throw new Error('dist/index.js is missing: run `npm run build` first.');
});
beforeEach(async () => {
  fake = await FakeCodeCarbonApi.start();
});
afterEach(() => fake.down());

/** A program that tracks with the API output on, then does `ending`. */
function program(dir: string, name: string, ending: string, extra: object = {}): string {
  const file = join(dir, name);
  const options = {
    countryIsoCode: 'FRA',
    saveToApi: true,
    saveToFile: false,
    apiEndpoint: fake.url,
    apiKey: KEY,
    experimentId: EXPERIMENT,
    outputDir: dir,
    measurePowerSecs: 0.25,
    apiCallInterval: 4,
    allowMultipleRuns: true,
    ...extra,
  };
  writeFileSync(
    file,
    `import { OfflineEmissionsTracker } from ${JSON.stringify(pathToFileURL(INDEX).href)};
const tracker = new OfflineEmissionsTracker(${JSON.stringify(options)});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
tracker.start();
console.log('started');
${ending}
`,
  );
  return file;
}

function spoolPaths(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('.codecarbon-api-spool.'))
    .map((name) => join(dir, name));
}

/** The server run created for a local run, found through its idempotency key. */
function serverRunOf(localRunId: string): string {
  const entry = [...fake.runs].find(([, run]) => run.key === `codecarbon-${localRunId}-run`);
  if (!entry) throw new Error(`no API run for local run ${localRunId}`);
  return entry[0];
}

/** A second process, with the API up: it resends the spool, tracks briefly and stops. */
async function nextProcess(box: { dir: string; env: NodeJS.ProcessEnv }) {
  const file = program(box.dir, 'second.mjs', 'await sleep(300); await tracker.stop();');
  const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
  expect(result.code).toBe(0);
  return result;
}

function expectDeliveredOnceInOrder(serverRunId: string, energyKwh: number): void {
  const sent = fake.emissions.filter((e) => e.body.run_id === serverRunId);
  const seqs = sent.map((e) => Number(e.key?.split('-').at(-1)));
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
  const timestamps = sent.map((e) => String(e.body.timestamp));
  expect(timestamps).toEqual([...timestamps].sort());
  const total = sent.reduce((sum, e) => sum + (e.body.energy_consumed as number), 0);
  expect(total / energyKwh).toBeCloseTo(1, 12);
  expect(fake.invalid).toEqual([]);
  expect(fake.replays).toBe(0);
}

describe('API deltas across a process restart', () => {
  it('a process that stops while the API is down leaves its deltas to the next one, which sends them once, in order', async () => {
    const box = sandbox();
    await fake.down();
    const first = program(
      box.dir,
      'first.mjs',
      `await sleep(2600);
await tracker.stop();
const r = tracker.finalEmissionsData;
console.log(JSON.stringify({ runId: tracker.runId, energy: r.energyConsumed }));`,
    );

    const ended = await start(process.execPath, [first], { cwd: box.dir, env: box.env }).done;

    expect(ended.code).toBe(0);
    const { runId, energy } = JSON.parse(ended.stdout.trim().split('\n').at(-1) as string);
    expect(ended.stderr.match(/could not be sent/g)).toHaveLength(1);
    const [spool] = spoolPaths(box.dir);
    expect(readSpool(spool as string)?.pending.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(spool as string, 'utf8')).not.toContain(KEY);
    expect(ended.stderr).not.toContain(KEY);

    await fake.up();
    const second = await nextProcess(box);

    expect(second.stderr).toMatch(/Resending \d+ delta\(s\) of run/);
    expectDeliveredOnceInOrder(serverRunOf(runId), energy);
    expect(fake.runs.size).toBe(2);
    expect(spoolPaths(box.dir)).toEqual([]);
  });

  it('process.exit() while tracking: the final delta is spooled synchronously, said once, and sent by the next process', async () => {
    const box = sandbox();
    const first = program(
      box.dir,
      'first.mjs',
      `await sleep(1200);
console.log(JSON.stringify({ runId: tracker.runId }));
process.exit(0);`,
      { apiCallInterval: -1 },
    );

    const ended = await start(process.execPath, [first], { cwd: box.dir, env: box.env }).done;

    expect(ended.code).toBe(0);
    const { runId } = JSON.parse(ended.stdout.trim().split('\n').at(-1) as string);
    expect(ended.stderr.match(/Process ending: \d+ delta\(s\) not yet accepted/g)).toHaveLength(1);
    expect(fake.requests).toEqual([]); // the process ended before any request could go
    const left = readSpool(spoolPaths(box.dir)[0] as string);
    const spooledKwh = (left?.pending ?? []).reduce(
      (sum, item) => sum + (item.body as { energy_consumed: number }).energy_consumed,
      0,
    );

    await nextProcess(box);

    expectDeliveredOnceInOrder(serverRunOf(runId), spooledKwh);
    expect(spoolPaths(box.dir)).toEqual([]);
  });

  it('a process killed (SIGKILL) while the API is down: the next one sends every spooled delta once', async () => {
    const box = sandbox();
    await fake.down();
    const first = program(box.dir, 'first.mjs', 'setInterval(() => {}, 1000);');
    const { child, done } = start(process.execPath, [first], { cwd: box.dir, env: box.env });
    await waitFor(() => (readSpool(spoolPaths(box.dir)[0] ?? '')?.pending.length ?? 0) >= 2);

    child.kill('SIGKILL');
    await done;
    const left = readSpool(spoolPaths(box.dir)[0] as string);
    const spooledKwh = (left?.pending ?? []).reduce(
      (sum, item) => sum + (item.body as { energy_consumed: number }).energy_consumed,
      0,
    );

    await fake.up();
    await nextProcess(box);

    expectDeliveredOnceInOrder(serverRunOf(left?.header.runId as string), spooledKwh);
    expect(spoolPaths(box.dir)).toEqual([]);
  });
});
