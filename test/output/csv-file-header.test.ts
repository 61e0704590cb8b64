import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFileOutput } from '../../src/output/csv-file.js';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';
import { readCsv, readCsvObjects, recordingLogger, useTempDir } from './csv-test-helpers.js';
import { makeRecord } from './record-fixture.js';

/** A shorter header, as older CodeCarbon versions wrote before water and utilisation data. */
const OLDER_COLUMNS = CSV_COLUMNS.filter(
  (column) => !['water_consumed', 'gpu_utilization_percent', 'ram_used_gb', 'wue'].includes(column),
);

describe('CsvFileOutput with an existing header', () => {
  const tempDir = useTempDir();

  function setUp(mode: 'append' | 'update' = 'append') {
    const path = join(tempDir(), 'emissions.csv');
    const logger = recordingLogger();
    return { path, logger, output: new CsvFileOutput({ path, mode, logger }) };
  }

  it.each(['append', 'update'] as const)(
    'writes in the file column order when the same columns come in another order (%s)',
    (mode) => {
      const { path, output, logger } = setUp(mode);
      const reordered = [...CSV_COLUMNS].reverse();
      writeFileSync(path, `${reordered.join(',')}\n`);

      output.out(makeRecord(), makeRecord());

      const [header, row] = readCsv(path);
      expect(header).toEqual(reordered);
      expect(row?.[0]).toBe('0.0'); // wue
      expect(row?.[1]).toBe('1.0'); // pue
      expect(row?.[2]).toBe('N'); // on_cloud
      expect(readCsvObjects(path)[0]).toMatchObject({
        run_id: makeRecord().runId,
        emissions: '8.400252221752171e-07',
        country_name: 'France',
      });
      expect(logger.problems()).toEqual([]);
    },
  );

  it('backs up a file with another column set, says both paths, and starts afresh', () => {
    const { path, output, logger } = setUp();
    const olderText = `${OLDER_COLUMNS.join(',')}\n${OLDER_COLUMNS.map(() => '1').join(',')}\n`;
    writeFileSync(path, olderText);

    output.out(makeRecord(), makeRecord());

    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(olderText);
    expect(readCsv(path)[0]).toEqual([...CSV_COLUMNS]);
    expect(readCsv(path)).toHaveLength(2);
    expect(logger.problems()).toHaveLength(1);
    expect(logger.problems()[0]).toContain(path);
    expect(logger.problems()[0]).toContain(`${path}.bak`);
    expect(logger.problems()[0]).toContain('34 columns');
  });

  it('picks the first free backup name: .bak, then .1.bak, then .2.bak', () => {
    const { path, output } = setUp();
    const older = (n: number) => `${OLDER_COLUMNS.join(',')}\nversion ${n}\n`;

    writeFileSync(path, older(1));
    output.out(makeRecord(), makeRecord());
    writeFileSync(path, older(2));
    output.out(makeRecord(), makeRecord());
    writeFileSync(path, older(3));
    output.out(makeRecord(), makeRecord());

    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(older(1));
    expect(readFileSync(`${path}.1.bak`, 'utf8')).toBe(older(2));
    expect(readFileSync(`${path}.2.bak`, 'utf8')).toBe(older(3));
    expect(readCsv(path)).toHaveLength(2);
  });

  it('backs up only once: the next write appends to the fresh file', () => {
    const { path, output, logger } = setUp();
    writeFileSync(path, `${OLDER_COLUMNS.join(',')}\n`);

    output.out(makeRecord(), makeRecord());
    output.out(makeRecord(), makeRecord());

    expect(existsSync(`${path}.1.bak`)).toBe(false);
    expect(readCsv(path)).toHaveLength(3);
    expect(logger.problems()).toHaveLength(1);
  });

  it.each([
    ['binary garbage', '\u0000\u0001\u0002garbage'],
    ['a cut header', 'timestamp,project_name,run_'],
    ['an unclosed quote', '"timestamp,project_name\n1,2\n'],
    ['a header with an extra column', `${CSV_COLUMNS.join(',')},energy_j\n`],
    ['a header with a duplicated column', `${[...CSV_COLUMNS.slice(1), 'run_id'].join(',')}\n`],
  ])('treats %s as another column set', (_, content) => {
    const { path, output } = setUp();
    writeFileSync(path, content);

    expect(() => output.out(makeRecord(), makeRecord())).not.toThrow();

    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(content);
    expect(readCsv(path)).toHaveLength(2);
  });

  it('accepts a header with a byte order mark and CRLF line ends', () => {
    const { path, output, logger } = setUp();
    const windows = `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
    writeFileSync(path, windows);

    output.out(makeRecord(), makeRecord());

    expect(readFileSync(path, 'utf8').startsWith(windows)).toBe(true);
    expect(readCsvObjects(path)).toHaveLength(1);
    expect(logger.problems()).toEqual([]);
  });
});
