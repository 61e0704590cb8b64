import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.js';
import { ALL_FIXTURES } from '../report/fixture-files.js';

let dashboard: Dashboard;

beforeAll(async () => {
  dashboard = await startDashboard({ files: ALL_FIXTURES, port: 0 });
});
afterAll(() => dashboard.close());

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON, checked value by value below
async function getJson(path: string): Promise<any> {
  const response = await fetch(new URL(path, dashboard.url));
  expect(response.status).toBe(200);
  return response.json();
}

/** A raw request, for headers fetch() will not let a test set. */
function rawRequest(options: { path: string; method?: string; host?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: dashboard.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.host ? { host: options.host } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard server', () => {
  it('listens on 127.0.0.1 and says where', () => {
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/`);
    expect(dashboard.port).toBeGreaterThan(0);
  });

  it('serves the page, its script and styles, and uPlot from the installed package', async () => {
    const page = await fetch(dashboard.url);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/assets/uPlot.iife.min.js" defer></script>');
    expect(html).not.toMatch(/https?:\/\//);

    const uplot = await fetch(new URL('/assets/uPlot.iife.min.js', dashboard.url));
    expect(uplot.status).toBe(200);
    expect(await uplot.text()).toMatch(/uPlot/);
    const script = await fetch(new URL('/assets/dashboard.js', dashboard.url));
    expect(await script.text()).toMatch(/^\(function \(\) \{\n'use strict';/);
    expect((await fetch(new URL('/assets/uPlot.min.css', dashboard.url))).status).toBe(200);
    expect((await fetch(new URL('/assets/nothing.js', dashboard.url))).status).toBe(404);
  });

  it('answers a summary of a few kilobytes: totals, equivalents, projects, series', async () => {
    const summary = await getJson('/api/summary');

    expect(summary.totals.runs).toBe(13);
    expect(summary.totals.emissionsKg).toBeCloseTo(0.5549976, 12);
    expect(summary.issueCount).toBe(13);
    expect(summary.files.map((f: { rows: number }) => f.rows)).toEqual([7, 3, 2, 4, 1]);
    expect(summary.choices.map((c: { projectName: string }) => c.projectName)).toEqual([
      'nightly-training',
      'legacy-etl',
      'web-api',
      'flaky',
      'codecarbon',
    ]);
    expect(summary.series.bucket).toBe('day');
    expect(summary.series.lines).toHaveLength(5);
    expect(summary.equivalents[0].value).toBeCloseTo(554.9976 / 251.0057, 3);
  });

  it('filters the summary by project', async () => {
    const summary = await getJson('/api/summary?project=web-api');
    expect(summary.totals.runs).toBe(3);
    expect(summary.totals.energyKwh).toBeCloseTo(0.084, 12);
    expect(summary.series.groupedBy).toBe('experiment');
    expect(summary.choices).toHaveLength(5);
  });

  it('sorts and pages the run table on the server', async () => {
    const page = await getJson('/api/runs?sort=energyKwh&dir=desc&offset=1&limit=2');
    expect(page).toMatchObject({ total: 13, offset: 1, limit: 2, sort: 'energyKwh', dir: 'desc' });
    expect(page.rows.map((row: { runId: string }) => row.runId.slice(0, 8))).toEqual([
      'a1111111',
      'c3333333',
    ]);
    expect(Object.keys(page.rows[0]).sort()).toEqual(
      [
        'cpuEnergyKwh',
        'durationS',
        'emissionsKg',
        'endMs',
        'energyKwh',
        'experimentId',
        'gpuEnergyKwh',
        'intensityGPerKwh',
        'key',
        'place',
        'projectName',
        'ramEnergyKwh',
        'runId',
      ].sort(),
    );

    const newest = await getJson('/api/runs');
    expect(newest).toMatchObject({ sort: 'endMs', dir: 'desc', limit: 50 });
    expect(newest.rows[0].runId.slice(0, 8)).toBe('f4000000');
    const capped = await getJson('/api/runs?limit=100000&sort=nonsense');
    expect(capped).toMatchObject({ limit: 200, sort: 'endMs' });
  });

  it("answers one run's details with its provenance and curve", async () => {
    const page = await getJson('/api/runs?project=web-api&sort=runId&dir=asc');
    const run = await getJson(`/api/runs/${page.rows[0].key}`);

    expect(run).toMatchObject({
      runId: 'a7777777-7777-4777-8777-777777777777',
      place: 'United States · new york',
      writer: 'codecarbon for Node.js 0.1.0 (node-20.20.2)',
      intensity: { gPerKwh: 200, source: 'region: EIA eGRID 2016, NY', sourceMethod: 'recorded' },
      measurement: { cpuMethod: 'rapl', trackingMode: 'process' },
      extra: { host: 'ci-runner-3' },
      rowCount: 1,
    });
    expect(run.curve).toHaveLength(1);
    expect(run.curve[0][0]).toBe(Date.UTC(2026, 10, 5, 18) / 1000);
    expect(run.curve[0][1]).toBeCloseTo(0.0072, 15);
    expect((await fetch(new URL('/api/runs/unknown', dashboard.url))).status).toBe(404);
  });

  it('lists the reading notes', async () => {
    const notes = await getJson('/api/issues');
    expect(notes.total).toBe(13);
    expect(notes.issues).toContainEqual(
      expect.objectContaining({
        line: 3,
        message: '39 cells where the header has 38: row skipped',
      }),
    );
    expect(notes.issues[0].file).toMatch(/python-codecarbon-3\.3\.0\.csv$/);
  });

  it('refuses requests for another host name (DNS rebinding) and anything but GET', async () => {
    expect((await rawRequest({ path: '/api/summary', host: 'attacker.invalid' })).status).toBe(403);
    expect(
      (await rawRequest({ path: '/api/summary', host: `localhost:${dashboard.port}` })).status,
    ).toBe(200);
    const post = await rawRequest({ path: '/api/summary', method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('rejects a port already in use', async () => {
    await expect(
      startDashboard({ files: ALL_FIXTURES, port: dashboard.port }),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});
