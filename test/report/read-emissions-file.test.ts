import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FileReading, readEmissionsFile } from '../../src/report/read-emissions-file.js';
import { toRunTotal } from '../../src/report/run-total.js';
import { FIXTURES } from './fixture-files.js';

/** The runs read, as reports see them. */
function runsOf(reading: FileReading) {
  return [...reading.runs.runs.values()].map(toRunTotal);
}

describe('readEmissionsFile', () => {
  it('reports each malformed row with its line, skips it and reads on', async () => {
    const reading = await readEmissionsFile(FIXTURES.malformed);

    expect(reading.rows).toBe(4);
    expect(reading.skippedRows).toBe(6);
    expect(reading.issues.map(({ line, message }) => `${line}: ${message}`)).toEqual([
      '3: 39 cells where the header has 38: row skipped',
      '4: emissions "abc" is not a number: row skipped',
      '5: run_id is empty: row skipped',
      '6: timestamp "yesterday" is not a date: row skipped',
      '7: emissions is negative (-0.5): row skipped',
      '10: the header is repeated (files joined together?): rows go on',
      '12: a new header with 39 columns (mixed schemas): rows below are read with it',
      '12: unknown column ci_job: kept as extra fields of each run',
      '14: not readable as CSV (an unclosed quote?): row skipped',
    ]);
    expect(reading.issues.every((issue) => issue.file === FIXTURES.malformed)).toBe(true);
  });

  it('reads rows under a changed header by their column names, unknown cells kept', async () => {
    const reading = await readEmissionsFile(FIXTURES.malformed);
    const run = runsOf(reading).find((r) => r.runId.startsWith('f4'));

    expect(run?.line).toBe(13);
    expect(run?.durationS).toBe(400);
    expect(run?.energyKwh).toBeCloseTo(0.0048, 15);
    expect(run?.emissionsKg).toBeCloseTo(0.00096, 15);
    expect(run?.extra).toEqual({ ci_job: 'build #42' });
  });

  it('reads a quoted CPU model with a comma and quotes', async () => {
    const reading = await readEmissionsFile(FIXTURES.malformed);
    const run = runsOf(reading).find((r) => r.runId.startsWith('f2'));
    expect(run?.hardware.cpuModel).toBe('Intel(R), "Xeon"');
  });

  it("repairs Python CodeCarbon's short appended rows and says so", async () => {
    const reading = await readEmissionsFile(FIXTURES.python);

    expect(reading).toMatchObject({ rows: 3, skippedRows: 0 });
    expect(reading.issues.map((issue) => issue.line)).toEqual([3, 4]);
    expect(reading.issues[0]?.message).toMatch(
      /35 cells .* read with region, longitude, latitude empty/,
    );
    const cloud = runsOf(reading).find((r) => r.runId.endsWith('a002'));
    expect(cloud?.location).toMatchObject({
      cloudProvider: 'gcp',
      cloudRegion: 'europe-west9',
      region: 'paris',
    });
    expect(cloud?.hardware.ramTotalSizeGiB).toBe(62.5);
  });

  it('reads an older schema, naming the missing columns once', async () => {
    const reading = await readEmissionsFile(FIXTURES.olderSchema);

    expect(reading).toMatchObject({ rows: 2, skippedRows: 0 });
    expect(reading.issues).toEqual([
      {
        file: FIXTURES.olderSchema,
        line: 1,
        message:
          'no experiment_id, water_consumed, cpu_utilization_percent, gpu_utilization_percent, ' +
          'ram_utilization_percent, ram_used_gb, wue columns (an older CodeCarbon version?): read as empty',
      },
    ]);
    const [run] = runsOf(reading);
    expect(run).toMatchObject({ experimentId: '', waterL: undefined, durationS: 3600 });
    expect(run?.energyKwh).toBeCloseTo(0.12, 15);
  });

  it('reads provenance columns when a writer adds them', async () => {
    const reading = await readEmissionsFile(FIXTURES.provenance);
    const [run] = runsOf(reading);
    expect(run?.measurement).toMatchObject({
      cpuMethod: 'rapl',
      ramMethod: 'ram-dimm-model',
      carbonIntensityGPerKwh: 200,
      carbonIntensitySource: 'region',
    });
    expect(run?.extra).toEqual({ host: 'ci-runner-3' });
    expect(reading.issues.map((issue) => issue.message)).toEqual([
      'unknown column host: kept as extra fields of each run',
    ]);
  });

  it('skips every row under a header without the columns a run needs', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-report-')), 'partial.csv');
    writeFileSync(file, 'timestamp,project_name,emissions\n2026-11-01T00:00:00,p,0.1\n');
    const reading = await readEmissionsFile(file);
    expect(reading).toMatchObject({ rows: 0, skippedRows: 1 });
    expect(reading.issues[0]?.message).toBe(
      'header lacks run_id, duration, energy_consumed: the rows under it cannot be read',
    );
  });

  it('says when a file is missing or empty instead of throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-report-'));
    writeFileSync(join(dir, 'empty.csv'), '');

    const missing = await readEmissionsFile(join(dir, 'missing.csv'));
    const empty = await readEmissionsFile(join(dir, 'empty.csv'));
    expect(missing).toMatchObject({ found: false, rows: 0 });
    expect(missing.issues[0]).toMatchObject({ line: 0, message: 'no such file' });
    expect(empty).toMatchObject({ found: true, rows: 0 });
    expect(empty.issues[0]).toMatchObject({ line: 0, message: 'empty file' });
  });
});
