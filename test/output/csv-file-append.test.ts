import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFileOutput, writeRecordSync } from '../../src/output/csv-file.js';
import { formatCsvValue } from '../../src/output/csv-format.js';
import { CSV_COLUMNS, toSnakeCaseRecord } from '../../src/records/emissions-data.js';
import { readCsv, readCsvObjects, recordingLogger, useTempDir } from './csv-test-helpers.js';
import { makeRecord } from './record-fixture.js';

const PYTHON_FILE = join(import.meta.dirname, 'fixtures', 'python-codecarbon-3.3.0.csv');

describe('CsvFileOutput in append mode', () => {
  const tempDir = useTempDir();

  function setUp() {
    const path = join(tempDir(), 'emissions.csv');
    const logger = recordingLogger();
    return { path, logger, output: new CsvFileOutput({ path, mode: 'append', logger }) };
  }

  it('starts a new file with the 38-column header and one row', () => {
    const { path, output } = setUp();
    const record = makeRecord();

    output.out(record, makeRecord({ duration: 1 }));

    const [header, row, ...rest] = readCsv(path);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(row).toHaveLength(38);
    expect(rest).toEqual([]);
    expect(readCsvObjects(path)[0]).toMatchObject({
      run_id: record.runId,
      duration: '2.5522751380000273',
      emissions: '8.400252221752171e-07',
      ram_power: '20.0',
      gpu_power: '0.0',
      cpu_count: '2',
      gpu_count: '0',
      region: '',
      on_cloud: 'N',
      pue: '1.0',
    });
  });

  it('writes the total record, not the delta', () => {
    const { path, output } = setUp();
    output.out(makeRecord({ duration: 10 }), makeRecord({ duration: 2 }));
    expect(readCsvObjects(path)[0]?.duration).toBe('10.0');
  });

  it('appends later rows without a header', () => {
    const { path, output } = setUp();
    output.out(makeRecord({ duration: 1 }), makeRecord());
    output.out(makeRecord({ duration: 2 }), makeRecord());

    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.filter((line) => line.startsWith('timestamp,'))).toHaveLength(1);
    expect(readCsvObjects(path).map((row) => row.duration)).toEqual(['1.0', '2.0']);
  });

  it('writes an empty cell for every missing value, so every row keeps 38 cells', () => {
    const { path, output } = setUp();
    const sparse = makeRecord({
      region: undefined,
      latitude: undefined,
      longitude: undefined,
      countryName: undefined,
      countryIsoCode: undefined,
      cpuModel: undefined,
      emissionsRate: Number.NaN,
    });
    output.out(makeRecord({ region: 'île-de-france', latitude: 48.8, longitude: 2.3 }), sparse);
    output.out(sparse, sparse);

    const [, ...rows] = readCsv(path);
    for (const row of rows) expect(row).toHaveLength(38);
    const expected = toSnakeCaseRecord(sparse);
    expect(rows[1]).toEqual(CSV_COLUMNS.map((column) => formatCsvValue(column, expected[column])));
    expect(readCsvObjects(path)[1]).toMatchObject({
      region: '',
      latitude: '',
      longitude: '',
      country_name: '',
      emissions_rate: '',
      tracking_mode: 'machine',
    });
  });

  it('gives numbers that read back exactly', () => {
    const { path, output } = setUp();
    const record = makeRecord({ latitude: 48.85661400000001, longitude: -0.1 });
    output.out(record, record);

    const row = readCsvObjects(path)[0] ?? {};
    expect(Number(row.emissions)).toBe(record.emissions);
    expect(Number(row.ram_energy)).toBe(record.ramEnergy);
    expect(Number(row.latitude)).toBe(48.85661400000001);
    expect(Number(row.longitude)).toBe(-0.1);
  });

  it('appends to a file written by Python CodeCarbon 3.3, and both rows read back', () => {
    const { path, output } = setUp();
    copyFileSync(PYTHON_FILE, path);
    const pythonText = readFileSync(PYTHON_FILE, 'utf8');

    output.out(makeRecord({ runId: 'node-run' }), makeRecord());

    expect(readFileSync(path, 'utf8').startsWith(pythonText)).toBe(true);
    const rows = readCsvObjects(path);
    expect(rows.map((row) => row.run_id)).toEqual([
      '25d88bf5-11e0-4e5b-949e-134f8e2b9784',
      'node-run',
    ]);
    expect(readCsv(path).every((row) => row.length === 38)).toBe(true);
    // Same record, same text: only the cells that differ by nature may differ.
    const [python = {}, node = {}] = rows;
    const differing = CSV_COLUMNS.filter((column) => python[column] !== node[column]);
    expect(differing).toEqual(['run_id', 'os', 'python_version', 'gpu_utilization_percent']);
    expect([python.gpu_utilization_percent, node.gpu_utilization_percent]).toEqual(['0', '0.0']);
  });

  it('starts a new line before appending to a file that does not end with one', () => {
    const { path, output } = setUp();
    writeFileSync(path, readFileSync(PYTHON_FILE, 'utf8').trimEnd());

    output.out(makeRecord({ runId: 'after-cut' }), makeRecord());

    expect(readCsvObjects(path).map((row) => row.run_id)).toEqual([
      '25d88bf5-11e0-4e5b-949e-134f8e2b9784',
      'after-cut',
    ]);
  });

  it('keeps a row cut in the middle apart from the next one', () => {
    const { path, output } = setUp();
    const full = readFileSync(PYTHON_FILE, 'utf8');
    writeFileSync(path, full.slice(0, full.length - 60));

    output.out(makeRecord({ runId: 'after-cut' }), makeRecord());

    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]?.split(',')[2]).toBe('after-cut');
    expect(lines[2]?.split(',')).toHaveLength(38);
  });

  it('treats an empty file as new and writes the header', () => {
    const { path, output, logger } = setUp();
    writeFileSync(path, '');

    output.out(makeRecord(), makeRecord());

    expect(readCsv(path)[0]).toEqual([...CSV_COLUMNS]);
    expect(readCsv(path)).toHaveLength(2);
    expect(logger.problems()).toEqual([]);
  });

  it('creates missing directories', () => {
    const path = join(tempDir(), 'a', 'b', 'emissions.csv');
    new CsvFileOutput({ path, mode: 'append', logger: recordingLogger() }).out(
      makeRecord(),
      makeRecord(),
    );
    expect(readCsv(path)).toHaveLength(2);
  });

  it('does nothing on liveOut without liveUpdate', () => {
    const { path, output } = setUp();
    output.liveOut(makeRecord(), makeRecord());
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });
});

describe('writeRecordSync', () => {
  const tempDir = useTempDir();

  it('has written the rows when it returns, and reports success', () => {
    const path = join(tempDir(), 'emissions.csv');
    const logger = recordingLogger();

    expect(writeRecordSync(path, makeRecord({ duration: 1 }), 'append', logger)).toBe(true);
    expect(writeRecordSync(path, makeRecord({ duration: 2 }), 'append', logger)).toBe(true);

    expect(readCsvObjects(path).map((row) => row.duration)).toEqual(['1.0', '2.0']);
    expect(logger.problems()).toEqual([]);
  });
});
