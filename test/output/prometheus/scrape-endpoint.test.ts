import { describe, expect, it } from 'vitest';
import { loadPromClient } from '../../../src/output/prometheus/load-prom-client.js';
import { PrometheusScrapeOutput } from '../../../src/output/prometheus/scrape-output.js';
import { waitFor } from '../../helpers/cli.js';
import { makeRecord } from '../record-fixture.js';
import { find, parseExposition } from './exposition.js';
import { fakeKwh, makeTracker } from './tracker-setup.js';

const FRANCE_G_PER_KWH = 56.039;

/** The URL the tracker logged when its endpoint started listening. */
function servedUrl(messages: string[]): string | undefined {
  for (const message of messages) {
    const match = /Serving Prometheus metrics at (http:\/\/\S+\/metrics)/.exec(message);
    if (match) return match[1];
  }
  return undefined;
}

async function scrape(url: string) {
  const response = await fetch(url);
  return { response, samples: parseExposition(await response.text()) };
}

describe('Prometheus scrape endpoint', () => {
  it('serves cumulative energy and emissions counters and power gauges, labelled by run, component and method', async () => {
    const { tracker, clock, messages } = makeTracker({
      outputMethods: [],
      prometheusPort: 0,
      projectName: 'agents',
      experimentName: 'fleet',
    });
    await waitFor(() => servedUrl(messages) !== undefined);
    const url = servedUrl(messages) as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    tracker.start();
    clock.advance(60);
    await tracker.flush();
    clock.advance(30);
    await tracker.flush();

    const { response, samples } = await scrape(url);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const run = {
      project_name: 'agents',
      experiment_name: 'fleet',
      run_id: tracker.runId,
    };
    const cpu = find(samples, 'codecarbon_energy_joules_total', { ...run, component: 'cpu' });
    expect(cpu).toHaveLength(1);
    expect(cpu[0]?.labels.method).toBe('fake-cpu');
    expect(cpu[0]?.value).toBeCloseTo(30 * 90, 6); // 30 W × 90 s, cumulative
    const ram = find(samples, 'codecarbon_energy_joules_total', { ...run, component: 'ram' });
    expect(ram[0]?.value).toBeCloseTo(10 * 90, 6);
    expect(ram[0]?.labels.method).toBe('fake-ram');
    const gpu = find(samples, 'codecarbon_energy_joules_total', { ...run, component: 'gpu' });
    expect(gpu[0]).toMatchObject({ value: 0, labels: { method: 'none' } });

    expect(find(samples, 'codecarbon_power_watts', { ...run, component: 'cpu' })[0]?.value).toBe(
      30,
    );
    const [emissions] = find(samples, 'codecarbon_emissions_kg_total', run);
    expect(emissions?.labels.carbon_intensity_source).toBe('country');
    expect(emissions?.value).toBeCloseTo((fakeKwh(90) * FRANCE_G_PER_KWH) / 1000, 12);
    expect(find(samples, 'codecarbon_duration_seconds_total', run)[0]?.value).toBeCloseTo(90, 9);
    expect(find(samples, 'codecarbon_carbon_intensity_grams_per_kwh', run)[0]?.value).toBeCloseTo(
      FRANCE_G_PER_KWH,
      3,
    );
    expect(find(samples, 'codecarbon_run_info', run)[0]?.labels).toMatchObject({
      country_iso_code: 'FRA',
      tracking_mode: 'machine',
    });

    await tracker.stop();
    await expect(fetch(url)).rejects.toThrow(); // closed at stop
  });

  it('declares counter and gauge types with units in the names', async () => {
    const output = new PrometheusScrapeOutput(loadPromClient(), {
      host: '127.0.0.1',
      port: 0,
      experimentName: 'base',
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const address = await output.ready();
    output.out(makeRecord(), makeRecord());
    const text = await (await fetch(`http://127.0.0.1:${address?.port}/metrics`)).text();
    await output.exit();

    expect(text).toContain('# TYPE codecarbon_energy_joules_total counter');
    expect(text).toContain('# TYPE codecarbon_emissions_kg_total counter');
    expect(text).toContain('# TYPE codecarbon_duration_seconds_total counter');
    expect(text).toContain('# TYPE codecarbon_power_watts gauge');
    expect(text).toContain('# TYPE codecarbon_carbon_intensity_grams_per_kwh gauge');
    const names = new Set(parseExposition(text).map((sample) => sample.name));
    expect([...names].sort()).toEqual([
      'codecarbon_carbon_intensity_grams_per_kwh',
      'codecarbon_duration_seconds_total',
      'codecarbon_emissions_kg_total',
      'codecarbon_energy_joules_total',
      'codecarbon_power_watts',
      'codecarbon_run_info',
    ]);
  });

  it('answers only GET /metrics', async () => {
    const output = new PrometheusScrapeOutput(loadPromClient(), {
      host: '127.0.0.1',
      port: 0,
      experimentName: 'base',
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const address = await output.ready();
    const base = `http://127.0.0.1:${address?.port}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/metrics?x=1`)).status).toBe(200);
    await output.exit();
  });

  it('a port already in use is logged once and tracking goes on', async () => {
    const first = makeTracker({ outputMethods: [], prometheusPort: 0 });
    await waitFor(() => servedUrl(first.messages) !== undefined);
    const port = Number(new URL(servedUrl(first.messages) as string).port);

    const second = makeTracker({ outputMethods: [], prometheusPort: port });
    await waitFor(() => second.messages.some((m) => m.startsWith('error:')));
    second.tracker.start();
    second.clock.advance(10);
    await expect(second.tracker.flush()).resolves.toBeGreaterThan(0);
    await second.tracker.flush();
    await second.tracker.stop();

    const errors = second.messages.filter((m) => m.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      `Cannot serve Prometheus metrics on 127.0.0.1:${port} (EADDRINUSE)`,
    );
    first.tracker.start();
    await first.tracker.stop();
  });

  it('rejects a port above 65535 when the tracker is built', () => {
    expect(() => makeTracker({ prometheusPort: 70_000 })).toThrow(
      /Invalid prometheus_port "70000" from option prometheusPort: expected a TCP port/,
    );
  });
});
