import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  API_KEY,
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

describe('CodeCarbonApiOutput: runs and deltas', () => {
  it('creates the run on the first delta, then posts each delta in order with the x-api-token header', async () => {
    const { logger, lines } = captureLogger();
    const dir = tempDir();
    const output = makeOutput(fake, dir, logger);
    const first = delta(2, 2);

    output.liveOut(first, first);
    output.liveOut(delta(3, 5), delta(3, 5));
    await output.out(delta(4, 9), delta(4, 9));
    await output.exit();

    expect(fake.invalid).toEqual([]);
    expect(fake.runs.size).toBe(1);
    const [serverRunId, run] = fake.onlyRun();
    expect(run.body).toMatchObject({
      experiment_id: EXPERIMENT,
      python_version: first.pythonVersion,
      codecarbon_version: first.codecarbonVersion,
      os: first.os,
      cpu_count: first.cpuCount,
      cpu_model: first.cpuModel,
      ram_total_size: first.ramTotalSize,
      tracking_mode: 'machine',
    });
    const sent = fake.emissionsOf(serverRunId);
    expect(sent.map((e) => e.duration)).toEqual([2, 3, 4]);
    expect(sent.map((e) => e.energy_consumed)).toEqual([2, 3, 4].map((s) => (15 * s) / 3_600_000));
    expect(sent[0]?.timestamp).toMatch(/^2026-01-15T10:00:02\.000000[+-]\d{2}:\d{2}$/);
    expect(sent[1]?.emissions_rate).toBeCloseTo((sent[1]?.emissions_sum as number) / 3, 18);
    expect(fake.requests.every((r) => r.headers['x-api-token'] === API_KEY)).toBe(true);
    expect(lines.some((l) => l.includes(`registered run ${LOCAL_RUN} as run ${serverRunId}`))).toBe(
      true,
    );
    expect(spools(dir)).toEqual([]);
  });

  it('an offline record (no coordinates, no cloud) creates the run with null location fields', async () => {
    const output = makeOutput(fake, tempDir(), captureLogger().logger);
    const offline = delta(2, 2, { longitude: undefined, latitude: undefined });

    await output.out(offline, offline);
    await output.exit();

    const [run] = [...fake.runs.values()];
    expect(run?.body).toMatchObject({
      longitude: null,
      latitude: null,
      region: null,
      provider: null,
    });
    expect(fake.emissions).toHaveLength(1);
  });

  it('a cloud record sends coordinates rounded to 0.1° and the cloud region and provider', async () => {
    const output = makeOutput(fake, tempDir(), captureLogger().logger);
    const cloud = delta(2, 2, {
      longitude: 2.3522,
      latitude: 48.8566,
      cloudProvider: 'gcp',
      cloudRegion: 'europe-west9',
    });

    await output.out(cloud, cloud);
    await output.exit();

    const [run] = [...fake.runs.values()];
    expect(run?.body).toMatchObject({
      longitude: 2.4,
      latitude: 48.9,
      region: 'europe-west9',
      provider: 'gcp',
    });
  });

  it('merges deltas shorter than a second into the next one, and a short last one into the final send', async () => {
    const output = makeOutput(fake, tempDir(), captureLogger().logger);
    const deltas = [
      delta(2, 2),
      delta(0.4, 2, { cpuPower: 10 }),
      delta(1.5, 4, { cpuPower: 20 }),
      delta(0.3, 4),
    ];

    for (const d of deltas.slice(0, 3)) output.liveOut(d, d);
    const last = deltas[3] as (typeof deltas)[number];
    await output.out(last, last);
    await output.exit();

    expect(fake.invalid).toEqual([]);
    const sent = fake.emissions.map((e) => e.body);
    expect(sent.map((e) => e.duration)).toEqual([2, 2, 1]);
    const energies = sent.map((e) => e.energy_consumed as number);
    expect(energies[1]).toBeCloseTo((15 * 1.9) / 3_600_000, 18);
    expect(energies.reduce((a, b) => a + b, 0)).toBeCloseTo(
      deltas.reduce((sum, d) => sum + d.energyConsumed, 0),
      18,
    );
    // Mean power over the merged 1.9 s, weighted by duration.
    expect(sent[1]?.cpu_power).toBeCloseTo((10 * 0.4 + 20 * 1.5) / 1.9, 12);
    expect(sent[1]?.emissions_rate).toBeCloseTo((sent[1]?.emissions_sum as number) / 1.9, 18);
  });

  it('spools a delta synchronously in out(), so a process ending right after loses nothing', () => {
    const dir = tempDir();
    const output = makeOutput(fake, dir, captureLogger().logger);

    void output.out(delta(2, 2), delta(2, 2));

    expect(spools(dir)).toHaveLength(1);
  });

  it('a restarted tracker (new local run id) gets a new API run', async () => {
    const output = makeOutput(fake, tempDir(), captureLogger().logger);

    await output.out(delta(2, 2), delta(2, 2));
    await output.exit();
    const second = delta(3, 8, { runId: 'ffffffff-0000-4000-8000-000000000000' });
    await output.out(second, second);
    await output.exit();

    expect(fake.runs.size).toBe(2);
    const runIds = fake.emissions.map((e) => e.body.run_id);
    expect(new Set(runIds).size).toBe(2);
  });
});
