import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvFileOutput } from '../../src/output/csv-file.js';
import { formatCsvHeader, formatCsvRow } from '../../src/output/csv-format.js';
import { CSV_COLUMNS, toSnakeCaseRecord } from '../../src/records/emissions-data.js';
import { recordingLogger, useTempDir } from './csv-test-helpers.js';
import { makeRecord } from './record-fixture.js';

const OUR_RUN = 'a1b2c3d4-0000-4000-8000-000000000001';

/** Rows as csv-parse reads them with strict quoting and column counts: any defect throws. */
function strictRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
}

/** Rows as Python's csv module (and so pandas) reads them; undefined without python3. */
function pythonRows(path: string): Record<string, string>[] | undefined {
  const script =
    'import csv, json, sys\n' +
    'with open(sys.argv[1], newline="") as f: print(json.dumps(list(csv.DictReader(f))))';
  const result = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
  if (result.error !== undefined) return undefined;
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, string>[];
}

function validRow(runId: string, projectName = 'earlier'): string {
  return formatCsvRow(CSV_COLUMNS, toSnakeCaseRecord(makeRecord({ runId, projectName })));
}

describe('CsvFileOutput appending after a last row left inside an open quote', () => {
  const tempDir = useTempDir();

  function setUp(content: string) {
    const path = join(tempDir(), 'emissions.csv');
    writeFileSync(path, content);
    const logger = recordingLogger();
    const output = new CsvFileOutput({ path, mode: 'append', logger });
    return { path, logger, append: () => output.out(makeRecord({ runId: OUR_RUN }), makeRecord()) };
  }

  it('closes a cut row (no line end) so our row stays a row of its own', () => {
    const cut = '2026-12-03T10:00:00,"my, proj';
    const { path, logger, append } = setUp(formatCsvHeader(CSV_COLUMNS) + validRow('r-1') + cut);

    append();

    const rows = strictRows(path);
    expect(rows.map((row) => row.run_id)).toEqual(['r-1', '', OUR_RUN]);
    expect(rows[1]).toMatchObject({ timestamp: '2026-12-03T10:00:00', project_name: 'my, proj' });
    expect(pythonRows(path)?.map((row) => row.run_id) ?? rows.map((r) => r.run_id)).toEqual([
      'r-1',
      '',
      OUR_RUN,
    ]);
    expect(logger.problems()).toEqual([
      `${path} ended inside a quoted cell that was never closed (its last row was cut off or ` +
        "edited by hand); closed the quote, added 36 empty cells and ended that row before appending this run's row.",
    ]);
  });

  it('closes an open quote that a line end follows (a hand edit)', () => {
    const { path, append } = setUp(`${formatCsvHeader(CSV_COLUMNS)}2026-12-03T10:00:00,"abc\n`);

    append();

    const rows = strictRows(path);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.project_name).toBe('abc\n');
    expect(rows[1]?.run_id).toBe(OUR_RUN);
    const python = pythonRows(path);
    if (python) expect(python.map((row) => row.run_id)).toEqual(['', OUR_RUN]);
  });

  it('reads only the end of a large file, and still repairs it', () => {
    const many = Array.from({ length: 200 }, (_, i) => validRow(`r-${i}`)).join('');
    expect(many.length).toBeGreaterThan(64 * 1024);
    const { path, logger, append } = setUp(`${formatCsvHeader(CSV_COLUMNS)}${many}x,"cut`);

    append();

    const rows = strictRows(path);
    expect(rows).toHaveLength(202);
    expect(rows[200]).toMatchObject({ timestamp: 'x', project_name: 'cut' });
    expect(rows[201]?.run_id).toBe(OUR_RUN);
    expect(logger.problems()).toHaveLength(1);
  });

  it('warns once: the repaired file ends cleanly for the next row', () => {
    const { path, logger, append } = setUp(`${formatCsvHeader(CSV_COLUMNS)}x,"cut`);
    append();
    append();
    expect(strictRows(path).map((row) => row.run_id)).toEqual(['', OUR_RUN, OUR_RUN]);
    expect(logger.problems()).toHaveLength(1);
  });

  it('leaves a valid file alone, even with quotes and line ends inside quoted cells', () => {
    const header = formatCsvHeader(CSV_COLUMNS);
    const tricky = validRow('r-1', 'line one\nsaid ""hi"", then "left"');
    const before = `${header}${validRow('r-0')}${tricky}`;
    const { path, logger, append } = setUp(before);

    append();

    expect(readFileSync(path, 'utf8').startsWith(before)).toBe(true);
    const rows = strictRows(path);
    expect(rows[1]?.project_name).toBe('line one\nsaid ""hi"", then "left"');
    expect(rows.map((row) => row.run_id)).toEqual(['r-0', 'r-1', OUR_RUN]);
    expect(logger.problems()).toEqual([]);
  });

  it('reads a quote inside an unquoted cell as Python does: text, not an opening quote', () => {
    const header = formatCsvHeader(CSV_COLUMNS);
    const before = `${header}${validRow('r-0').replace('earlier', 'say "cheese')}`;
    const { path, logger, append } = setUp(before);

    append();

    expect(logger.problems()).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(
      before + validRow(OUR_RUN).replace('earlier', 'codecarbon'),
    );
    const python = pythonRows(path);
    if (python) {
      expect(python.map((row) => [row.project_name, row.run_id])).toEqual([
        ['say "cheese', 'r-0'],
        ['codecarbon', OUR_RUN],
      ]);
    }
  });

  it('still adds only a line end to a cut row outside quotes', () => {
    const { path, logger, append } = setUp(`${formatCsvHeader(CSV_COLUMNS)}x,cut`);
    append();
    expect(readFileSync(path, 'utf8')).toContain('x,cut\n');
    expect(logger.problems()).toEqual([]);
  });
});
