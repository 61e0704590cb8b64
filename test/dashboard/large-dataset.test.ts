import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.js';
import { formatCsvHeader } from '../../src/output/csv-format.js';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';

const RUNS = 20_000;
const ROWS_PER_RUN = 5;
const LONG_RUN_ROWS = 1_000;
const PROJECTS = 12;
const TOTAL_ROWS = (RUNS - 1) * ROWS_PER_RUN + LONG_RUN_ROWS;

/**
 * About 100,000 cumulative rows over a year: 20,000 runs of 12 projects, each run 5 rows of
 * 0.01 kWh more each (0.05 kWh, 5 g at 100 g/kWh), except run 0 with 1,000 rows.
 */
function writeLargeCsv(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cc-dashboard-large-')), 'emissions.csv');
  const parts = [formatCsvHeader(CSV_COLUMNS)];
  const index = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, i]));
  const start = Date.UTC(2026, 0, 1);
  for (let run = 0; run < RUNS; run++) {
    const rows = run === 0 ? LONG_RUN_ROWS : ROWS_PER_RUN;
    const runStart = start + run * 26 * 60_000;
    for (let row = 1; row <= rows; row++) {
      const cells: string[] = new Array(CSV_COLUMNS.length).fill('');
      const kwh = row * 0.01;
      cells[index.timestamp as number] = new Date(runStart + row * 60_000)
        .toISOString()
        .slice(0, 19);
      cells[index.project_name as number] = `project-${run % PROJECTS}`;
      cells[index.run_id as number] = `run-${run}`;
      cells[index.experiment_id as number] = 'base';
      cells[index.duration as number] = String(row * 60);
      cells[index.emissions as number] = String(kwh * 0.1);
      cells[index.cpu_energy as number] = String(kwh);
      cells[index.energy_consumed as number] = String(kwh);
      cells[index.country_name as number] = 'France';
      cells[index.on_cloud as number] = 'N';
      parts.push(`${cells.join(',')}\n`);
    }
  }
  writeFileSync(file, parts.join(''));
  return file;
}

let dashboard: Dashboard;

beforeAll(async () => {
  dashboard = await startDashboard({ files: [writeLargeCsv()], port: 0 });
}, 120_000);
afterAll(() => dashboard?.close());

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON, checked value by value below
async function answer(path: string): Promise<{ bytes: number; json: any }> {
  const text = await (await fetch(new URL(path, dashboard.url))).text();
  return { bytes: Buffer.byteLength(text), json: JSON.parse(text) };
}

describe('dashboard with 100,000 rows', () => {
  it('reads every row into 20,000 runs', () => {
    expect(dashboard.data.dataset.files[0]).toMatchObject({
      rows: TOTAL_ROWS,
      skippedRows: 0,
      runs: RUNS,
    });
  });

  it('sends a summary of a few tens of kilobytes: totals and at most ~180 buckets of 8 lines', async () => {
    const { bytes, json } = await answer('/api/summary');

    expect(bytes).toBeLessThan(48 * 1024);
    expect(json.totals.runs).toBe(RUNS);
    expect(json.totals.energyKwh).toBeCloseTo((RUNS - 1) * 0.05 + LONG_RUN_ROWS * 0.01, 6);
    expect(json.series.bucket).toBe('week');
    expect(json.series.x.length).toBeLessThanOrEqual(60);
    expect(json.series.lines).toHaveLength(8);
    expect(json.series.lines.at(-1).name).toBe('other');
    const charted = json.series.lines.flatMap((line: { energyKwh: number[] }) => line.energyKwh);
    expect(charted.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(
      json.totals.energyKwh,
      6,
    );
  });

  it('sends one page of the run table, sorted on the server', async () => {
    const { bytes, json } = await answer('/api/runs?sort=emissionsKg&dir=desc&limit=50');

    expect(bytes).toBeLessThan(20 * 1024);
    expect(json.total).toBe(RUNS);
    expect(json.rows).toHaveLength(50);
    expect(json.rows[0].runId).toBe('run-0');
    const filtered = await answer('/api/runs?project=project-3&offset=1600&limit=50');
    expect(filtered.json.total).toBe(Math.ceil((RUNS - 3) / PROJECTS));
    expect(filtered.json.rows.length).toBeLessThanOrEqual(50);
  });

  it("thins a long run's curve to a few hundred points", async () => {
    const { json: page } = await answer('/api/runs?sort=emissionsKg&dir=desc&limit=1');
    const { bytes, json } = await answer(`/api/runs/${page.rows[0].key}`);

    expect(json.rowCount).toBe(LONG_RUN_ROWS);
    expect(json.curve.length).toBeLessThanOrEqual(301);
    expect(json.curve.at(-1)[2]).toBeCloseTo(10, 9);
    expect(bytes).toBeLessThan(24 * 1024);
  });
});
