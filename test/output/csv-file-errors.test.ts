import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFileOutput, writeRecordSync } from '../../src/output/csv-file.js';
import { readCsvObjects, recordingLogger, useTempDir } from './csv-test-helpers.js';
import { makeRecord } from './record-fixture.js';

describe('CsvFileOutput when the file cannot be written', () => {
  const tempDir = useTempDir();

  /** A directory path under a regular file: unwritable even for root. */
  function blockedPath() {
    const blocker = join(tempDir(), 'not-a-directory');
    writeFileSync(blocker, '');
    return { blocker, path: join(blocker, 'sub', 'emissions.csv') };
  }

  it.each(['append', 'update'] as const)(
    'never throws, and logs one error naming the directory to check (%s)',
    (mode) => {
      const { blocker, path } = blockedPath();
      const logger = recordingLogger();
      const output = new CsvFileOutput({ path, mode, logger, liveUpdate: true });

      expect(() => {
        output.out(makeRecord(), makeRecord());
        output.liveOut(makeRecord(), makeRecord());
        output.out(makeRecord(), makeRecord());
      }).not.toThrow();

      const errors = logger.messages.filter((m) => m.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain(path);
      expect(errors[0]?.message).toContain(
        `Check that ${join(blocker, 'sub')} exists and is writable`,
      );
    },
  );

  it('tries again at the next write, and logs again only after a success', () => {
    const { blocker, path } = blockedPath();
    const logger = recordingLogger();
    const output = new CsvFileOutput({ path, mode: 'append', logger });

    output.out(makeRecord({ duration: 1 }), makeRecord());
    rmSync(blocker);
    output.out(makeRecord({ duration: 2 }), makeRecord());
    expect(readCsvObjects(path).map((row) => row.duration)).toEqual(['2.0']);

    rmSync(join(blocker, 'sub'), { recursive: true });
    writeFileSync(join(blocker, 'sub'), '');
    output.out(makeRecord({ duration: 3 }), makeRecord());
    expect(logger.messages.filter((m) => m.level === 'error')).toHaveLength(2);
  });

  it('logs and goes on when the path is a directory', () => {
    const path = join(tempDir(), 'emissions.csv');
    mkdirSync(path);
    const logger = recordingLogger();

    new CsvFileOutput({ path, mode: 'update', logger }).out(makeRecord(), makeRecord());

    expect(logger.problems()).toHaveLength(1);
    expect(logger.problems()[0]).toMatch(/EISDIR/);
  });
});

describe('CsvFileOutput: whether the last write reached the file', () => {
  const tempDir = useTempDir();

  it('says so through lastWriteFailed and onWriteResult, write by write', () => {
    const blocker = join(tempDir(), 'blocker');
    writeFileSync(blocker, '');
    const results: boolean[] = [];
    const output = new CsvFileOutput({
      path: join(blocker, 'emissions.csv'),
      mode: 'append',
      logger: recordingLogger(),
      onWriteResult: (written) => results.push(written),
    });
    expect(output.lastWriteFailed).toBe(false);

    output.out(makeRecord(), makeRecord());
    expect(output.lastWriteFailed).toBe(true);

    rmSync(blocker);
    output.out(makeRecord(), makeRecord());
    expect(output.lastWriteFailed).toBe(false);
    expect(results).toEqual([false, true]);
    expect(readCsvObjects(join(blocker, 'emissions.csv'))).toHaveLength(1);
  });
});

describe('writeRecordSync when the file cannot be written', () => {
  const tempDir = useTempDir();

  it('gives false and logs the error instead of throwing', () => {
    const blocker = join(tempDir(), 'file');
    writeFileSync(blocker, 'x');
    const logger = recordingLogger();

    const written = writeRecordSync(join(blocker, 'e.csv'), makeRecord(), 'append', logger);

    expect(written).toBe(false);
    expect(logger.problems()).toHaveLength(1);
    expect(readFileSync(blocker, 'utf8')).toBe('x');
  });
});

describe('CsvFileOutput options', () => {
  it('rejects an unknown mode, naming the option and the value', () => {
    const make = () =>
      new CsvFileOutput({
        path: 'emissions.csv',
        mode: 'overwrite' as 'append',
        logger: recordingLogger(),
      });
    expect(make).toThrow(/option mode must be 'append' or 'update', got "overwrite"/);
  });

  it('rejects an empty path', () => {
    const make = () => new CsvFileOutput({ path: '', mode: 'append', logger: recordingLogger() });
    expect(make).toThrow(/option path/);
  });

  it('resolves a relative path once, at construction', () => {
    const output = new CsvFileOutput({ path: 'x.csv', mode: 'append', logger: recordingLogger() });
    expect(output.path).toBe(join(process.cwd(), 'x.csv'));
  });
});
