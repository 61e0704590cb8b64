import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/server.js';
import { formatCsvRow } from '../../src/output/csv-format.js';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';
import { FIXTURES } from '../report/fixture-files.js';
import { emissionsRow } from './emissions-csv.js';

/** The browser globals the checks below read (this project's TypeScript has no DOM types). */
interface PageGlobals {
  document: {
    body: { dataset: Record<string, string | undefined> };
    getElementById(id: string): { textContent: string | null } | null;
  };
}

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Screenshots are test artifacts, kept out of the repository (the path is printed). */
const ARTIFACTS =
  process.env.CODECARBON_TEST_ARTIFACTS ?? join(tmpdir(), 'codecarbon-test-artifacts');

if (!HAS_CHROMIUM) {
  console.warn(
    `dashboard browser test skipped: ${CHROMIUM} not found (.ci/run installs Debian's chromium)`,
  );
}

describe.skipIf(!HAS_CHROMIUM)('codecarbon dashboard in Chromium', () => {
  let dashboard: Dashboard;
  let browser: BrowserContext;
  let page: Page;
  let liveFile: string;
  const problems: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    liveFile = join(mkdtempSync(join(tmpdir(), 'cc-dashboard-e2e-')), 'node-two-projects.csv');
    copyFileSync(FIXTURES.node, liveFile);
    dashboard = await startDashboard({
      files: [
        liveFile,
        FIXTURES.python,
        FIXTURES.olderSchema,
        FIXTURES.malformed,
        FIXTURES.provenance,
      ],
      port: 0,
      pollIntervalMs: 100,
    });

    const { chromium } = await import('playwright-core');
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'cc-chromium-')), {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(dashboard.url)) foreignRequests.push(request.url());
    });
    await page.goto(dashboard.url);
    await page.waitForSelector('body[data-loaded-version]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
  /** A table row's cells, tab-separated. */
  const rowText = async (row: ReturnType<Page['locator']>) =>
    (await row.locator('td').allTextContents()).join('\t');
  /** Waits until the page shows the data of this project filter (set once it rendered). */
  const shownFor = (project: string) =>
    page.waitForFunction(
      (expected) =>
        (globalThis as unknown as PageGlobals).document.body.dataset.loadedFilter === expected,
      `${project}|`,
    );

  it('shows the totals, equivalents and component split of the fixture files', async () => {
    expect(await text('total-emissions')).toBe('555 g');
    expect(await text('total-energy')).toBe('8.98 kWh');
    expect(await text('total-runs')).toBe('13');
    expect(await text('total-duration')).toBe('5 h 59 min');
    expect(await text('total-intensity')).toBe('61.8 g/kWh');
    const car = page.getByTestId('equivalent-car-km');
    expect(await car.locator('strong').textContent()).toBe('≈ 2.21 km');
    expect(await car.textContent()).toContain('driven by an average passenger car');
    expect(await car.locator('small').textContent()).toMatch(/^251 g CO2\/km: .* US EPA/);
    expect(await text('equivalent-tv-hours')).toMatch(/^≈ 89\.8 h of a large flat-screen TV/);
    expect(await text('component-cpu')).toBe('1.59 kWh');
    expect(await text('component-gpu')).toBe('7.00 kWh');
    expect(await text('component-ram')).toBe('388 Wh');
  });

  it('draws both charts and lists projects and runs', async () => {
    expect(await page.locator('#chart-emissions canvas').count()).toBe(1);
    expect(await page.locator('#chart-energy canvas').count()).toBe(1);
    const projects = await page.locator('#projects tbody tr td:first-child').allTextContents();
    expect(projects.slice(0, 2)).toEqual(['nightly-training', 'experiment 5b0fa12a']);
    expect(await page.locator('#runs tbody tr').count()).toBe(13);
    expect(await rowText(page.locator('#runs tbody tr').first())).toMatch(
      /^2026-11-07 12:30\tflaky\tf4000000/,
    );
    expect(await text('runs-count')).toBe('13 runs, sorted on the server');
  });

  it('sorts the run table on the server when a header is clicked', async () => {
    await page.locator('#runs th', { hasText: 'Emissions' }).click();
    await page.waitForSelector('#runs th[aria-sort="descending"]:has-text("Emissions")');
    const first = await rowText(page.locator('#runs tbody tr').first());
    expect(first).toMatch(
      /nightly-training\tb2222222\t1 h 30 min\t600 Wh\t3\.00 kWh\t150 Wh\t3\.75 kWh\t210 g\t56\.0 g\/kWh/,
    );
  });

  it('filters to one project', async () => {
    await page.getByTestId('project-filter').selectOption('web-api');
    await shownFor('web-api');

    expect(await text('total-emissions')).toBe('16.8 g');
    expect(await text('total-energy')).toBe('84.0 Wh');
    expect(await text('total-runs')).toBe('3');
    expect(await page.locator('#runs tbody tr').count()).toBe(3);
    expect(await page.locator('#series-note').textContent()).toMatch(/^per experiment, per day/);
  });

  it('opens a run with its intensity source, location, hardware and methods', async () => {
    await page.locator('#runs tbody tr', { hasText: 'a7777777' }).click();
    await page.waitForSelector('#run-detail:not([hidden])');

    expect(await page.locator('#detail-title').textContent()).toBe('Run a7777777 · web-api');
    expect(await text('detail-intensity')).toBe('200 g/kWh (recorded)');
    expect(await text('detail-intensity-source')).toBe('region: EIA eGRID 2016, NY (recorded)');
    expect(await text('detail-where')).toBe('United States · new york');
    expect(await text('detail-processor')).toBe('AMD EPYC 7R13 Processor · 16 threads');
    expect(await text('detail-cpu')).toBe('30.0 Wh · mean 60.0 W');
    expect(await text('detail-cpu-method')).toBe('rapl');
    expect(await text('detail-tracking-mode')).toBe('process');
    expect(await text('detail-written-by')).toBe('codecarbon for Node.js 0.1.0 (node-20.20.2)');
    expect(await text('detail-host')).toBe('ci-runner-3');

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'dashboard-run-detail.png');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.locator('#close-detail').click();
    await page.waitForSelector('#run-detail[hidden]', { state: 'attached' });
  });

  it('lists the reading notes with file and line', async () => {
    await page.getByTestId('project-filter').selectOption('');
    await shownFor('');
    await page.getByTestId('issues-button').click();
    await page.waitForSelector('#issues-panel:not([hidden])');

    const notes = await page.locator('#issues li').allTextContents();
    expect(notes).toHaveLength(13);
    expect(notes).toContainEqual(
      expect.stringMatching(/malformed\.csv:4 emissions "abc" is not a number: row skipped$/),
    );
  });

  it('follows the file as a tracker appends a run', async () => {
    appendFileSync(
      liveFile,
      formatCsvRow(
        CSV_COLUMNS,
        emissionsRow({
          timestamp: '2026-11-08T10:00:00',
          project_name: 'web-api',
          run_id: 'live-run',
          duration: 60,
          energy_consumed: 0.5,
        }),
      ),
    );
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.getElementById('total-runs')
          ?.textContent === '14',
      undefined,
      { timeout: 15_000 },
    );
    expect(await text('total-energy')).toBe('9.48 kWh');

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'dashboard-full-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(50_000);
    console.info(`dashboard screenshots saved in ${ARTIFACTS}`);
  });

  it('loads nothing from anywhere else and logs no error', () => {
    expect(foreignRequests).toEqual([]);
    expect(problems).toEqual([]);
  });
});
