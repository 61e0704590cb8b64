import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { find } from './exposition.js';
import {
  HAVE_PUSHGATEWAY,
  type RunningGateway,
  SKIP_REASON,
  startPushgateway,
} from './pushgateway-process.js';
import { fakeKwh, makeTracker } from './tracker-setup.js';

if (!HAVE_PUSHGATEWAY) console.warn(SKIP_REASON);

const FRANCE_G_PER_KWH = 56.039;

describe.skipIf(!HAVE_PUSHGATEWAY)('Prometheus pushgateway output (real gateway)', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('pushes the delta gauges and the energy counter under job <project>_<experiment>, instance <host>', async () => {
    const { tracker, clock } = makeTracker({
      outputMethods: ['prometheus'],
      prometheusUrl: `127.0.0.1:${gateway.port}`, // scheme-less, as CodeCarbon's default is
      projectName: 'fleet one',
      experimentName: 'nightly',
      prometheusDeleteOnExit: false,
    });
    tracker.start();
    clock.advance(60);
    await tracker.flush();
    clock.advance(30);
    await tracker.stop();

    const samples = await gateway.samples();
    const group = { job: 'fleet_one_nightly', instance: hostname() };
    const [cpuPower] = find(samples, 'codecarbon_cpu_power', group);
    expect(cpuPower?.value).toBeCloseTo(30, 9);
    expect(cpuPower?.labels).toMatchObject({
      project_name: 'fleet one',
      country_name: 'France',
      country_iso_code: 'FRA',
      region: '',
      cloud_provider: '',
      tracking_mode: 'machine',
      cpu_count: expect.stringMatching(/^\d+$/),
      gpu_count: '0',
      cpu_method: 'fake-cpu',
      gpu_method: 'none',
      ram_method: 'fake-ram',
      carbon_intensity_source: 'country',
      run_id: tracker.runId,
    });
    expect(Number(cpuPower?.labels.ram_total_size)).toBeGreaterThan(0);

    // The last push is the final output: its delta covers the last 30 s only.
    expect(find(samples, 'codecarbon_duration', group)[0]?.value).toBeCloseTo(30, 9);
    expect(find(samples, 'codecarbon_ram_power', group)[0]?.value).toBeCloseTo(10, 9);
    expect(find(samples, 'codecarbon_energy_consumed', group)[0]?.value).toBeCloseTo(
      fakeKwh(30),
      15,
    );
    expect(find(samples, 'codecarbon_cpu_energy', group)[0]?.value).toBeCloseTo(
      fakeKwh(30, 30),
      15,
    );
    expect(find(samples, 'codecarbon_emissions', group)[0]?.value).toBeCloseTo(
      (fakeKwh(30) * FRANCE_G_PER_KWH) / 1000,
      15,
    );
    // The counter accumulates over the whole run (60 s + 30 s).
    expect(find(samples, 'codecarbon_energy_total', group)[0]?.value).toBeCloseTo(fakeKwh(90), 15);
    // The gateway records a successful push for the group.
    expect(find(samples, 'push_time_seconds', group)[0]?.value).toBeGreaterThan(0);
  });

  it('deletes its group when the tracker stops (the default)', async () => {
    const { tracker, clock, messages } = makeTracker({
      outputMethods: ['prometheus'],
      prometheusUrl: gateway.url,
      projectName: 'deleted',
    });
    tracker.start();
    clock.advance(10);
    await tracker.flush();
    const group = { job: 'deleted_base', instance: hostname() };
    expect(find(await gateway.samples(), 'codecarbon_cpu_power', group)).toHaveLength(1);

    await tracker.stop();

    const after = await gateway.samples();
    expect(after.filter((sample) => sample.labels.job === 'deleted_base')).toEqual([]);
    expect(messages).toContain(
      `info: Deleting metrics from Prometheus Pushgateway (${gateway.url}/metrics/job/deleted_base/instance/${encodeURIComponent(hostname())}).`,
    );
  });

  it('two machines of a fleet keep separate groups under the same job', async () => {
    const { PushgatewayOutput } = await import(
      '../../../src/output/prometheus/pushgateway-output.js'
    );
    const { loadPromClient } = await import('../../../src/output/prometheus/load-prom-client.js');
    const { makeRecord } = await import('../record-fixture.js');
    const push = (host: string, powerW: number) =>
      new PushgatewayOutput(loadPromClient(), {
        url: gateway.url,
        authorization: undefined,
        job: 'fleet_base',
        grouping: { instance: host },
        deleteOnExit: false,
        logger: { debug() {}, info() {}, warn() {}, error() {} },
      }).out(makeRecord(), makeRecord({ cpuPower: powerW }));

    await push('node-a', 11);
    await push('node-b', 22);

    const samples = await gateway.samples();
    expect(
      find(samples, 'codecarbon_cpu_power', { job: 'fleet_base', instance: 'node-a' })[0]?.value,
    ).toBe(11);
    expect(
      find(samples, 'codecarbon_cpu_power', { job: 'fleet_base', instance: 'node-b' })[0]?.value,
    ).toBe(22);
  });
});
