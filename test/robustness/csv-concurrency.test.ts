import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeRecordSync } from '../../src/output/csv-file.js';
import {
  readCsv,
  readCsvObjects,
  recordingLogger,
  useTempDir,
} from '../output/csv-test-helpers.js';
import { makeRecord } from '../output/record-fixture.js';
import { propertyRuns } from './property-runs.js';

/**
 * Real processes writing through the built package (dist/, made by `npm run build`), as
 * several tracked programs sharing one output_dir do.
 */
const DIST_CSV = resolve('dist/output/csv-file.js');
const COLUMN_COUNT = 38;

/** A child that waits for "go" on stdin, then appends `count` rows (count 0: until killed). */
const WRITER = `
import { writeRecordSync } from ${JSON.stringify(pathToFileURL(DIST_CSV).href)};
const [path, writer, count] = process.argv.slice(2);
const base = JSON.parse(process.env.RECORD);
const logger = { debug() {}, info() {}, warn: (m) => process.stderr.write(m + '\\n'),
  error: (m) => process.stderr.write(m + '\\n') };
process.stdout.write('ready\\n');
process.stdin.once('data', () => {
  for (let i = 0; Number(count) === 0 || i < Number(count); i++) {
    const record = { ...base, runId: writer + '-' + i,
      projectName: 'p, "' + writer + '"\\nline two é ☃ ' + 'x'.repeat(i % 50) };
    if (!writeRecordSync(path, record, 'append', logger)) process.exit(3);
  }
  process.exit(0);
});
`;

interface Writer {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWriter(dir: string, path: string, name: string, count: number): Writer {
  const script = join(dir, 'writer.mjs');
  if (!existsSync(script)) writeFileSync(script, WRITER);
  const child = spawn(process.execPath, [script, path, name, String(count)], {
    env: { ...process.env, RECORD: JSON.stringify(makeRecord()) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const ready = new Promise<void>((done) => child.stdout?.once('data', () => done()));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((done) => child.on('exit', (code, signal) => done({ code, signal, stderr })));
  return { child, ready, exited };
}

const tempDir = useTempDir();

describe('CSV file under concurrent writers and crashes (issue 11)', () => {
  beforeAll(() => {
    if (!existsSync(DIST_CSV)) throw new Error(`${DIST_CSV} is missing: run \`npm run build\``);
  });

  it('eight processes appending at once: header once, every row intact, none lost', async () => {
    const dir = tempDir();
    const path = join(dir, 'emissions.csv');
    const rowsEach = 150;
    const writers = Array.from({ length: 8 }, (_, w) => startWriter(dir, path, `w${w}`, rowsEach));
    await Promise.all(writers.map((writer) => writer.ready));
    // All start at once, on a file that does not exist yet: creation races too.
    for (const writer of writers) writer.child.stdin?.write('go\n');
    const results = await Promise.all(writers.map((writer) => writer.exited));

    expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
    expect(results.map((r) => r.stderr)).toEqual(Array(8).fill(''));
    const rows = readCsv(path);
    expect(rows.filter((row) => row[0] === 'timestamp')).toHaveLength(1);
    expect(rows[0]?.[0]).toBe('timestamp');
    expect(rows.every((row) => row.length === COLUMN_COUNT)).toBe(true);
    const objects = readCsvObjects(path);
    const expectedIds = writers.flatMap((_, w) =>
      Array.from({ length: rowsEach }, (_, i) => `w${w}-${i}`),
    );
    expect(objects.map((row) => row.run_id).sort()).toEqual(expectedIds.sort());
    for (const row of objects) {
      const [writer, i] = (row.run_id ?? '').split('-');
      expect(row.project_name).toBe(`p, "${writer}"\nline two é ☃ ${'x'.repeat(Number(i) % 50)}`);
      expect(Number(row.emissions)).toBe(makeRecord().emissions);
    }
    // The files each creator wrote beside the CSV before linking it into place are gone.
    expect(readdirSync(dir).sort()).toEqual(['emissions.csv', 'writer.mjs']);
  }, 60_000);

  it('SIGKILL in the middle of a stream of writes leaves a file the next append continues', async () => {
    const dir = tempDir();
    const path = join(dir, 'emissions.csv');
    const writer = startWriter(dir, path, 'killed', 0);
    await writer.ready;
    writer.child.stdin?.write('go\n');
    // Kill it once it has written a good number of rows (no wall-clock assertion).
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        if (existsSync(path) && readFileSync(path).length > 200_000) {
          clearInterval(poll);
          done();
        }
      }, 5);
    });
    writer.child.kill('SIGKILL');
    expect((await writer.exited).signal).toBe('SIGKILL');

    const logger = recordingLogger();
    expect(writeRecordSync(path, makeRecord({ runId: 'after-kill' }), 'append', logger)).toBe(true);
    const rows = readCsv(path);
    expect(rows.every((row) => row.length === COLUMN_COUNT)).toBe(true);
    expect(rows.filter((row) => row[0] === 'timestamp')).toHaveLength(1);
    const objects = readCsvObjects(path);
    expect(objects.at(-1)?.run_id).toBe('after-kill');
    expect(objects.length).toBeGreaterThan(10);
    // Every row the killed writer left is whole: its ids are consecutive from 0.
    const killedIds = objects.slice(0, -1).map((row) => row.run_id);
    expect(killedIds).toEqual(killedIds.map((_, i) => `killed-${i}`));
  }, 60_000);

  it('a file cut at any byte (a write killed part-way) still takes complete rows after it', () => {
    const dir = tempDir();
    const base = join(dir, 'base.csv');
    const logger = recordingLogger();
    for (let i = 0; i < 3; i++) {
      writeRecordSync(
        base,
        makeRecord({ runId: `before-${i}`, projectName: `a "quoted", multi\nline ☃ ${i}` }),
        'append',
        logger,
      );
    }
    const full = readFileSync(base);
    const headerBytes = full.indexOf('\n') + 1;
    let n = 0;
    fc.assert(
      fc.property(fc.integer({ min: headerBytes, max: full.length }), (cutAt) => {
        const path = join(dir, `cut-${n++}.csv`);
        writeFileSync(path, full);
        truncateSync(path, cutAt);
        expect(writeRecordSync(path, makeRecord({ runId: 'next' }), 'append', logger)).toBe(true);
        expect(writeRecordSync(path, makeRecord({ runId: 'next-2' }), 'append', logger)).toBe(true);

        const rows = readCsv(path);
        expect(rows[0]?.[0]).toBe('timestamp');
        // Only the row that was cut may be short (its lost cells cannot be invented); every
        // other row, and both rows written after the cut, keep the header's cell count.
        expect(rows.filter((row) => row.length !== COLUMN_COUNT).length).toBeLessThanOrEqual(1);
        expect(rows.slice(-2).map((row) => row.length)).toEqual([COLUMN_COUNT, COLUMN_COUNT]);
        const objects = readCsvObjects(path);
        expect(objects.slice(-2).map((row) => row.run_id)).toEqual(['next', 'next-2']);
        expect(objects.at(-1)?.project_name).toBe(makeRecord().projectName);
      }),
      { numRuns: Math.min(propertyRuns(), full.length - headerBytes + 1) },
    );
  }, 300_000);
});
