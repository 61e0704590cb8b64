import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEmissionsFiles } from '../../src/report/dataset.js';
import { ALL_FIXTURES, FIXTURES } from './fixture-files.js';

describe('loadEmissionsFiles', () => {
  it("takes a run's last cumulative row as its total and counts its rows", async () => {
    const dataset = await loadEmissionsFiles([FIXTURES.node]);
    const run = dataset.runs.find((r) => r.runId.startsWith('a1111111'));

    expect(run).toMatchObject({
      rowCount: 2,
      line: 3,
      durationS: 3600,
      cpuEnergyKwh: 0.4,
      gpuEnergyKwh: 2,
      ramEnergyKwh: 0.1,
      energyKwh: 2.5,
      timestamp: '2026-11-02T02:00:00',
      startMs: Date.UTC(2026, 10, 2, 1, 0, 0),
    });
    expect(run?.emissionsKg).toBeCloseTo(0.14, 12);
    expect(dataset.points.get(run?.key ?? '')).toHaveLength(6);
  });

  it('says how the intensity and its source were obtained', async () => {
    const dataset = await loadEmissionsFiles([FIXTURES.node, FIXTURES.python, FIXTURES.provenance]);
    const byRun = (prefix: string) => dataset.runs.find((r) => r.runId.startsWith(prefix));

    expect(byRun('a1111111')?.intensity).toMatchObject({
      method: 'emissions ÷ energy',
      source: 'country grid, France',
      sourceMethod: 'location columns',
    });
    expect(byRun('a1111111')?.intensity.gPerKwh).toBeCloseTo(56, 9);
    expect(byRun('d4444444')?.intensity.source).toBe('grid region new york, United States');
    expect(byRun('9a8b7c6d-0000-4000-8000-00000000a002')?.intensity.source).toBe(
      'cloud region gcp europe-west9',
    );
    expect(byRun('a7777777')?.intensity).toEqual({
      gPerKwh: 200,
      method: 'recorded',
      source: 'region: EIA eGRID 2016, NY',
      sourceMethod: 'recorded',
    });
  });

  it('names the tool that wrote each run', async () => {
    const dataset = await loadEmissionsFiles([FIXTURES.node, FIXTURES.python]);
    const writers = new Set(dataset.runs.map((run) => run.writer));
    expect(writers).toEqual(
      new Set([
        'codecarbon for Node.js 0.1.0 (node-20.20.2)',
        'Python CodeCarbon 3.3.0 (Python 3.11.7)',
      ]),
    );
  });

  it('sorts runs by end time and groups by project, experiment and run id across files', async () => {
    const dataset = await loadEmissionsFiles(ALL_FIXTURES);
    expect(dataset.runs).toHaveLength(13);
    expect(dataset.runs.map((run) => run.endMs)).toEqual(
      [...dataset.runs.map((run) => run.endMs)].sort((a, b) => a - b),
    );
    expect(new Set(dataset.runs.map((run) => run.key)).size).toBe(13);
  });

  it('reads a file named twice once', async () => {
    const dataset = await loadEmissionsFiles([FIXTURES.node, FIXTURES.node]);
    expect(dataset.files).toHaveLength(1);
    expect(dataset.runs).toHaveLength(5);
  });

  it('keeps one total for a run found in two files: the row with the longest duration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-report-'));
    copyFileSync(FIXTURES.node, join(dir, 'copy.csv'));
    const [header, firstRow] = readFileSync(FIXTURES.node, 'utf8').split('\n');
    writeFileSync(join(dir, 'older.csv'), `${header}\n${firstRow}\n`);

    const dataset = await loadEmissionsFiles([join(dir, 'copy.csv'), join(dir, 'older.csv')]);
    const run = dataset.runs.find((r) => r.runId.startsWith('a1111111'));
    expect(run).toMatchObject({
      rowCount: 3,
      durationS: 3600,
      energyKwh: 2.5,
      file: join(dir, 'copy.csv'),
    });
    expect(dataset.runs).toHaveLength(5);
  });
});
