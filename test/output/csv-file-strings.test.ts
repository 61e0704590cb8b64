import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvFileOutput } from '../../src/output/csv-file.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import { readCsv, readCsvObjects, recordingLogger, useTempDir } from './csv-test-helpers.js';
import { makeRecord } from './record-fixture.js';

type StringField = 'projectName' | 'experimentId' | 'region' | 'os' | 'cpuModel' | 'gpuModel';

const awkwardText = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é', '🌍') }),
  fc.string({ unit: 'grapheme' }),
);

describe('CsvFileOutput with awkward strings', () => {
  const tempDir = useTempDir();

  it.each([
    ['a comma', 'Intel(R) Xeon(R), 2 sockets'],
    ['quotes', 'the "fast" one'],
    ['a line feed', 'two\nlines'],
    ['a CRLF', 'two\r\nlines'],
    ['a lone CR', 'cr\ronly'],
    ['unicode', 'Île-de-France 🌍 東京'],
    ['leading and trailing spaces', '  padded  '],
    ['everything', ' "a",\nb\r\n"",🌍 '],
  ])('round-trips a value with %s', (_, value) => {
    const path = join(tempDir(), 'emissions.csv');
    const output = new CsvFileOutput({ path, mode: 'append', logger: recordingLogger() });

    output.out(makeRecord({ cpuModel: value, projectName: value }), makeRecord());
    output.out(makeRecord({ region: value }), makeRecord());

    const rows = readCsvObjects(path);
    expect(rows.map((row) => [row.cpu_model, row.project_name, row.region])).toEqual([
      [value, value, ''],
      ['Intel(R) Xeon(R) Processor', 'codecarbon', value],
    ]);
    expect(readCsv(path).every((row) => row.length === 38)).toBe(true);
  });

  it('round-trips any strings, every row with 38 cells', () => {
    const anyText = awkwardText;
    const strings = fc.record<Record<StringField, string>>({
      projectName: anyText,
      experimentId: anyText,
      region: anyText,
      os: anyText,
      cpuModel: anyText,
      gpuModel: anyText,
    });
    const dir = tempDir();
    let n = 0;

    fc.assert(
      fc.property(fc.array(strings, { minLength: 1, maxLength: 3 }), (variants) => {
        const path = join(dir, `emissions-${n++}.csv`);
        const output = new CsvFileOutput({ path, mode: 'append', logger: recordingLogger() });
        const records: EmissionsData[] = variants.map((fields) => makeRecord(fields));
        for (const record of records) output.out(record, record);

        expect(readCsv(path).every((row) => row.length === 38)).toBe(true);
        const rows = readCsvObjects(path);
        expect(rows.map((row) => [row.project_name, row.experiment_id, row.region])).toEqual(
          records.map((r) => [r.projectName, r.experimentId, r.region]),
        );
        expect(rows.map((row) => [row.os, row.cpu_model, row.gpu_model])).toEqual(
          records.map((r) => [r.os, r.cpuModel, r.gpuModel]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('updates the right row whatever the strings in it and in the other rows', () => {
    const dir = tempDir();
    let n = 0;

    fc.assert(
      fc.property(awkwardText, awkwardText, awkwardText, (otherRegion, runId, ourRegion) => {
        fc.pre(runId !== '' && runId !== 'other run');
        const path = join(dir, `emissions-${n++}.csv`);
        const output = new CsvFileOutput({ path, mode: 'update', logger: recordingLogger() });
        const other = makeRecord({ runId: 'other run', region: otherRegion });

        output.out(other, other);
        output.out(makeRecord({ runId, region: ourRegion, duration: 1 }), other);
        output.out(makeRecord({ runId, region: ourRegion, duration: 2 }), other);

        const rows = readCsvObjects(path);
        expect(rows.map((row) => [row.run_id, row.region, row.duration])).toEqual([
          ['other run', otherRegion, '2.5522751380000273'],
          [runId, ourRegion, '2.0'],
        ]);
      }),
      { numRuns: 200 },
    );
  });
});
