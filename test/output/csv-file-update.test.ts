import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFileOutput } from '../../src/output/csv-file.js';
import { formatCsvHeader, formatCsvRow } from '../../src/output/csv-format.js';
import { CSV_COLUMNS, toSnakeCaseRecord } from '../../src/records/emissions-data.js';
import { readCsv, readCsvObjects, recordingLogger, useTempDir } from './csv-test-helpers.js';
import { makeRecord } from './record-fixture.js';

const RUN = makeRecord().runId;

function rowOf(overrides: Parameters<typeof makeRecord>[0]): string {
  return formatCsvRow(CSV_COLUMNS, toSnakeCaseRecord(makeRecord(overrides)));
}

describe('CsvFileOutput in update mode', () => {
  const tempDir = useTempDir();

  function setUp(options: { mode?: 'append' | 'update'; liveUpdate?: boolean } = {}) {
    const path = join(tempDir(), 'emissions.csv');
    const logger = recordingLogger();
    const output = new CsvFileOutput({ path, mode: options.mode ?? 'update', logger, ...options });
    return { path, logger, output };
  }

  it('appends a row when the file has none of this run', () => {
    const { path, output } = setUp();
    const other = rowOf({ runId: 'other', duration: 7 });
    writeFileSync(path, formatCsvHeader(CSV_COLUMNS) + other);

    output.out(makeRecord({ duration: 1 }), makeRecord());

    expect(readCsvObjects(path).map((row) => [row.run_id, row.duration])).toEqual([
      ['other', '7.0'],
      [RUN, '1.0'],
    ]);
  });

  it('starts a new file when there is none', () => {
    const { path, output } = setUp();
    output.out(makeRecord(), makeRecord());
    expect(readCsv(path)).toHaveLength(2);
  });

  it("replaces this run's row in place and keeps the other rows byte for byte", () => {
    const { path, output } = setUp();
    // Rows as another tool might write them (every cell quoted, CRLF, a newline inside a
    // cell): writing them again through a CSV writer would change their bytes.
    const foreign = (runId: string) =>
      `${CSV_COLUMNS.map((c) => `"${c === 'run_id' ? runId : c === 'region' ? 'a\nb' : 'x'}"`).join(',')}\r\n`;
    const header = formatCsvHeader(CSV_COLUMNS);
    writeFileSync(path, header + foreign('other-1') + rowOf({ duration: 1 }) + foreign('other-2'));

    output.out(makeRecord({ duration: 2 }), makeRecord());

    expect(readFileSync(path, 'utf8')).toBe(
      header + foreign('other-1') + rowOf({ duration: 2 }) + foreign('other-2'),
    );
    expect(readCsvObjects(path).map((row) => row.run_id)).toEqual(['other-1', RUN, 'other-2']);
  });

  it('collapses several rows of this run into one, at the first one', () => {
    const { path, output } = setUp();
    const header = formatCsvHeader(CSV_COLUMNS);
    const other = rowOf({ runId: 'other' });
    writeFileSync(path, header + rowOf({ duration: 1 }) + other + rowOf({ duration: 2 }));

    output.out(makeRecord({ duration: 3 }), makeRecord());

    expect(readFileSync(path, 'utf8')).toBe(header + rowOf({ duration: 3 }) + other);
  });

  it('matches the run id cell, not a run id found elsewhere in a row', () => {
    const { path, output } = setUp();
    const mention = rowOf({ runId: 'other', projectName: `after ${RUN}` });
    writeFileSync(path, formatCsvHeader(CSV_COLUMNS) + mention);

    output.out(makeRecord(), makeRecord());

    expect(readCsvObjects(path).map((row) => row.run_id)).toEqual(['other', RUN]);
  });

  it('writes in the file column order and mends a file that lacks its last newline', () => {
    const { path, output } = setUp();
    const reordered = [...CSV_COLUMNS].reverse();
    const ours = formatCsvRow(reordered, toSnakeCaseRecord(makeRecord({ duration: 1 })));
    writeFileSync(path, `${reordered.join(',')}\n${ours.trimEnd()}`);

    output.out(makeRecord({ duration: 5 }), makeRecord());

    const expected = formatCsvRow(reordered, toSnakeCaseRecord(makeRecord({ duration: 5 })));
    expect(readFileSync(path, 'utf8')).toBe(`${reordered.join(',')}\n${expected}`);
  });

  it('keeps a cut last row of another run as it is', () => {
    const { path, output } = setUp();
    const header = formatCsvHeader(CSV_COLUMNS);
    const cut = '2026-12-03T12:00:00,other,"unclosed';
    writeFileSync(path, `${header}${rowOf({ duration: 1 })}${cut}`);

    output.out(makeRecord({ duration: 2 }), makeRecord());

    expect(readFileSync(path, 'utf8')).toBe(`${header}${rowOf({ duration: 2 })}${cut}\n`);
  });

  it('leaves no temporary file behind', () => {
    const { path, output } = setUp();
    output.out(makeRecord(), makeRecord());
    output.out(makeRecord(), makeRecord());
    expect(readdirSync(dirname(path))).toEqual(['emissions.csv']);
  });
});

describe('flush() then stop()', () => {
  const tempDir = useTempDir();

  it.each([
    ['append', 2],
    ['update', 1],
  ] as const)('in %s mode leaves %i row(s) of the run', (mode, rows) => {
    const path = join(tempDir(), 'emissions.csv');
    const output = new CsvFileOutput({ path, mode, logger: recordingLogger() });

    output.out(makeRecord({ duration: 1 }), makeRecord()); // flush()
    output.out(makeRecord({ duration: 2 }), makeRecord()); // stop()

    const written = readCsvObjects(path);
    expect(written).toHaveLength(rows);
    expect(written.at(-1)?.duration).toBe('2.0');
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(rows + 2);
  });
});

describe('liveUpdate', () => {
  const tempDir = useTempDir();

  it('keeps one row per run through live writes and the final write, even in append mode', () => {
    const path = join(tempDir(), 'emissions.csv');
    const output = new CsvFileOutput({
      path,
      mode: 'append',
      logger: recordingLogger(),
      liveUpdate: true,
    });
    writeFileSync(path, formatCsvHeader(CSV_COLUMNS) + rowOf({ runId: 'earlier run' }));

    for (const duration of [1, 2, 3]) output.liveOut(makeRecord({ duration }), makeRecord());
    expect(readCsvObjects(path).map((row) => row.duration)).toEqual(['2.5522751380000273', '3.0']);

    output.out(makeRecord({ duration: 4 }), makeRecord());
    expect(readCsvObjects(path).map((row) => [row.run_id, row.duration])).toEqual([
      ['earlier run', '2.5522751380000273'],
      [RUN, '4.0'],
    ]);
  });
});
