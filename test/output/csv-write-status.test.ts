import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  csvWriteFailed,
  failedCsvPaths,
  recordCsvWriteResult,
} from '../../src/output/csv-write-status.js';

afterEach(() => {
  for (const path of failedCsvPaths()) recordCsvWriteResult(path, false);
});

describe('CSV write status', () => {
  it('knows no failed file at first', () => {
    expect(failedCsvPaths()).toEqual([]);
    expect(csvWriteFailed('emissions.csv')).toBe(false);
  });

  it('remembers a failed write under the absolute path, whatever spelling asks', () => {
    recordCsvWriteResult('out/emissions.csv', true);

    const absolute = resolve('out/emissions.csv');
    expect(failedCsvPaths()).toEqual([absolute]);
    expect(csvWriteFailed(absolute)).toBe(true);
    expect(csvWriteFailed('./out/../out/emissions.csv')).toBe(true);
    expect(csvWriteFailed(join(process.cwd(), 'out', 'emissions.csv'))).toBe(true);
    expect(csvWriteFailed('out/other.csv')).toBe(false);
  });

  it('forgets the failure when the latest write to the same file succeeds', () => {
    recordCsvWriteResult('/data/runs/emissions.csv', true);
    recordCsvWriteResult('/data/runs/./emissions.csv', false);

    expect(csvWriteFailed('/data/runs/emissions.csv')).toBe(false);
    expect(failedCsvPaths()).toEqual([]);
  });

  it('lists each failing file once, however often it failed', () => {
    recordCsvWriteResult('/data/a.csv', true);
    recordCsvWriteResult('/data/b.csv', true);
    recordCsvWriteResult('/data/./a.csv', true);
    recordCsvWriteResult('/data/c.csv', false);

    expect(failedCsvPaths()).toEqual(['/data/a.csv', '/data/b.csv']);
  });

  it('hands out a copy: changing the list changes nothing recorded', () => {
    recordCsvWriteResult('/data/a.csv', true);
    failedCsvPaths().pop();
    expect(failedCsvPaths()).toEqual(['/data/a.csv']);
  });
});
