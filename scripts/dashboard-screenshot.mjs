#!/usr/bin/env node
// Saves docs/dashboard.png, the README's picture of `codecarbon dashboard`: a demo data set
// (three projects over three weeks, generated here, the same every time) shown in Debian's
// Chromium through playwright-core. Run after `npm run build`:
//   node scripts/dashboard-screenshot.mjs [path/to/chromium]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDashboard } from '../dist/dashboard/server.js';
import { formatCsvHeader, formatCsvRow } from '../dist/output/csv-format.js';
import { CSV_COLUMNS } from '../dist/records/emissions-data.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(REPO, 'docs', 'dashboard.png');
const CHROMIUM = process.argv[2] ?? '/usr/bin/chromium';

const csv = join(mkdtempSync(join(tmpdir(), 'cc-screenshot-')), 'emissions.csv');
writeFileSync(csv, demoCsv());
const dashboard = await startDashboard({ files: [csv], port: 0 });
const browser = await chromium.launchPersistentContext(
  mkdtempSync(join(tmpdir(), 'cc-chromium-')),
  {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
    viewport: { width: 1400, height: 1240 },
    deviceScaleFactor: 1,
  },
);
try {
  const page = await browser.newPage();
  await page.goto(dashboard.url);
  await page.waitForSelector('body[data-loaded-version]');
  // The status line holds the time of day; hide it so the picture is the same on every run.
  await page.locator('#status').evaluate((node) => {
    node.style.visibility = 'hidden';
  });
  mkdirSync(dirname(OUTPUT), { recursive: true });
  await page.screenshot({ path: OUTPUT });
  console.log(`saved ${OUTPUT}`);
} finally {
  await browser.close();
  await dashboard.close();
}

/** Three projects, 21 days, cumulative rows every 10 minutes of each run. */
function demoCsv() {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const projects = [
    {
      name: 'train-resnet50',
      cpuW: 95,
      gpuW: 310,
      ramW: 24,
      hours: [2, 5],
      gPerKwh: 56,
      place: ['France', 'FRA', ''],
      gpu: '4 x NVIDIA A100-SXM4-40GB',
      every: 2,
    },
    {
      name: 'nightly-tests',
      cpuW: 60,
      gpuW: 0,
      ramW: 12,
      hours: [0.5, 1.2],
      gPerKwh: 381,
      place: ['Germany', 'DEU', ''],
      gpu: '',
      every: 1,
    },
    {
      name: 'web-api-bench',
      cpuW: 28,
      gpuW: 0,
      ramW: 6,
      hours: [0.2, 0.6],
      gPerKwh: 367,
      place: ['United States', 'USA', 'virginia'],
      gpu: '',
      every: 1,
    },
  ];
  const rows = [];
  for (let day = 0; day < 21; day++) {
    for (const project of projects) {
      if (day % project.every !== 0 || random() < 0.15) continue;
      const hours = project.hours[0] + random() * (project.hours[1] - project.hours[0]);
      const load = 0.6 + random() * 0.4;
      const start = Date.UTC(
        2026,
        10,
        2 + day,
        1 + Math.floor(random() * 20),
        Math.floor(random() * 60),
      );
      const runId = `${(day * 7919 + project.name.length * 104_729).toString(16).padStart(8, '0')}-0000-4000-8000-${String(day).padStart(12, '0')}`;
      for (let s = 600; s <= hours * 3600 + 599; s += 600) {
        const durationS = Math.min(s, hours * 3600);
        const kwh = (w) => (w * load * durationS) / 3_600_000;
        const [cpu, gpu, ram] = [kwh(project.cpuW), kwh(project.gpuW), kwh(project.ramW)];
        const energy = cpu + gpu + ram;
        rows.push({
          timestamp: new Date(start + durationS * 1000).toISOString().slice(0, 19),
          project_name: project.name,
          run_id: runId,
          experiment_id: '5b0fa12a-3dd7-45bb-9766-cc326314d9f1',
          duration: durationS,
          emissions: (energy * project.gPerKwh) / 1000,
          cpu_energy: cpu,
          gpu_energy: gpu,
          ram_energy: ram,
          energy_consumed: energy,
          country_name: project.place[0],
          country_iso_code: project.place[1],
          region: project.place[2],
          python_version: 'node-20.20.2',
          codecarbon_version: '0.1.0',
          cpu_model: 'AMD EPYC 7R13 Processor',
          cpu_count: 32,
          gpu_count: project.gpu ? 4 : 0,
          gpu_model: project.gpu,
          tracking_mode: 'machine',
          on_cloud: 'N',
          pue: 1,
        });
      }
    }
  }
  return formatCsvHeader(CSV_COLUMNS) + rows.map((row) => formatCsvRow(CSV_COLUMNS, row)).join('');
}
