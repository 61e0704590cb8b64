import { spawnSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spoolFileName } from '../../../src/output/api/spool-file.js';
import { waitFor } from '../../helpers/cli.js';
import {
  captureLogger,
  delta,
  EXPERIMENT,
  LOCAL_RUN,
  makeOutput,
  spools,
  tempDir,
} from './api-test-helpers.js';
import { FakeCodeCarbonApi } from './fake-codecarbon-api.js';

let fake: FakeCodeCarbonApi;
beforeEach(async () => {
  fake = await FakeCodeCarbonApi.start();
});
afterEach(() => fake.down());

const kwh = (seconds: number) => (15 * seconds) / 3_600_000;
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** Leaves a spool of three deltas (2 s, 3 s, 4 s) in `dir`, as a run whose server was down. */
async function leaveSpool(dir: string): Promise<string> {
  await fake.down();
  const output = makeOutput(fake, dir, captureLogger().logger, {
    resumeSpools: false,
    finalAttemptMs: 200,
  });
  output.liveOut(delta(2, 2), delta(2, 2));
  output.liveOut(delta(3, 5), delta(3, 5));
  await output.out(delta(4, 9), delta(4, 9));
  await output.exit();
  await fake.up();
  const [name] = spools(dir);
  return name as string;
}

/** Gives the spool to another owner pid, as if another process had written it. */
function handOver(dir: string, name: string, pid: number): void {
  renameSync(join(dir, name), join(dir, spoolFileName('api', LOCAL_RUN, pid)));
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

describe('CodeCarbonApiOutput resuming spools', () => {
  it('a new output resends, once and in order, the spool a process that ended left behind', async () => {
    const dir = tempDir();
    handOver(dir, await leaveSpool(dir), deadPid());
    const { logger, lines } = captureLogger();

    makeOutput(fake, dir, logger);
    await waitFor(() => fake.emissions.length === 3);

    expect(fake.emissions.map((e) => e.body.energy_consumed)).toEqual([kwh(2), kwh(3), kwh(4)]);
    expect(fake.emissions.map((e) => e.body.duration)).toEqual([2, 3, 4]);
    expect(fake.runs.size).toBe(1);
    expect(fake.replays).toBe(0);
    expect(lines.some((l) => /^info: Resending 3 delta\(s\) of run/.test(l))).toBe(true);
    await waitFor(() => spools(dir).length === 0);
  });

  it('a spool this process released at stop is resent when its next run starts', async () => {
    const dir = tempDir();
    await leaveSpool(dir);
    const output = makeOutput(fake, dir, captureLogger().logger, { resumeSpools: false });

    const next = delta(5, 20, { runId: 'ffffffff-0000-4000-8000-000000000000' });
    await output.out(next, next);
    await output.exit();

    expect(fake.runs.size).toBe(2);
    const durations = fake.emissions.map((e) => e.body.duration as number);
    expect(durations.sort((a, b) => a - b)).toEqual([2, 3, 4, 5]);
    expect(spools(dir)).toEqual([]);
  });

  it('leaves alone the spool of a process that still runs', async () => {
    const dir = tempDir();
    handOver(dir, await leaveSpool(dir), process.ppid);

    makeOutput(fake, dir, captureLogger().logger);
    await settle();

    expect(fake.requests).toEqual([]);
    expect(spools(dir)).toEqual([spoolFileName('api', LOCAL_RUN, process.ppid)]);
  });

  it('leaves alone spools of another endpoint or experiment', async () => {
    const dir = tempDir();
    handOver(dir, await leaveSpool(dir), deadPid());

    makeOutput(fake, dir, captureLogger().logger, { experimentId: 'another-experiment' });
    makeOutput(fake, dir, captureLogger().logger, { endpoint: `${fake.url}/v2` });
    await settle();

    expect(fake.requests).toEqual([]);
    expect(spools(dir)).toHaveLength(1);
    expect(EXPERIMENT).not.toBe('another-experiment');
  });

  it('two outputs looking at once: each spool is taken by one of them and sent once', async () => {
    const dir = tempDir();
    handOver(dir, await leaveSpool(dir), deadPid());

    makeOutput(fake, dir, captureLogger().logger);
    makeOutput(fake, dir, captureLogger().logger);
    await waitFor(() => fake.emissions.length === 3);
    await settle();

    expect(fake.emissions).toHaveLength(3);
    expect(fake.runs.size).toBe(1);
    expect(fake.replays).toBe(0);
  });
});
