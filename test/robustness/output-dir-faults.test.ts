import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { type CsvWriteMode, writeRecordSync } from '../../src/output/csv-file.js';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { REPO } from '../helpers/cli.js';
import { ConstantFakeSensor, ManualClock } from '../helpers/fakes.js';
import { type RecordingLogger, recordingLogger } from '../output/csv-test-helpers.js';
import { makeRecord } from '../output/record-fixture.js';

/**
 * Issue 11: the output directory of a running tracker fails under it — made read-only,
 * removed, full, or its CSV damaged by another program. The tracker must never throw, must
 * say so once with advice, must keep measuring, and must write whole rows again as soon as
 * it can.
 */

const COLUMN_COUNT = CSV_COLUMNS.length;
const WRITE_ERROR = 'Could not write emissions to';
const ADVICE = 'exists and is writable and that the disk is not full';

interface Tracked {
  tracker: OfflineEmissionsTracker;
  logger: RecordingLogger;
  csv: string;
  /** Moves the fake clock by `seconds`, then flushes; resolves to flush()'s kg CO2eq. */
  flushAfter(seconds: number): Promise<number | undefined>;
  stopAfter(seconds: number): Promise<number | undefined>;
}

/** A running tracker on fake 30 W + 10 W sensors and a hand-moved clock, writing to `dir`. */
function startTracker(dir: string, mode: CsvWriteMode, projectName?: string): Tracked {
  const clock = new ManualClock();
  const logger = recordingLogger();
  const home = makeTempDir();
  const tracker = new OfflineEmissionsTracker(
    {
      countryIsoCode: 'FRA',
      outputDir: dir,
      onCsvWrite: mode,
      logger,
      installExitHandlers: false,
      allowMultipleRuns: true,
      ...(projectName === undefined ? {} : { projectName }),
    },
    {
      env: {},
      cwd: home,
      homeDir: home,
      sensors: [new ConstantFakeSensor('cpu', 30), new ConstantFakeSensor('ram', 10)],
      clock: clock.read,
    },
  );
  tracker.start();
  return {
    tracker,
    logger,
    csv: join(dir, 'emissions.csv'),
    flushAfter: (seconds) => {
      clock.advance(seconds);
      return tracker.flush();
    },
    stopAfter: (seconds) => {
      clock.advance(seconds);
      return tracker.stop();
    },
  };
}

/** Every record of the file (header first), cell counts as found; malformed quoting throws. */
function records(path: string): string[][] {
  return parse(readFileSync(path, 'utf8'), {
    relax_column_count: true,
    relax_quotes: true,
  }) as string[][];
}

/** Data rows as objects, read strictly: every row must have the header's cell count. */
function strictRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
}

function writeErrors(logger: RecordingLogger): string[] {
  return logger.messages
    .filter((m) => m.level === 'error' && m.message.includes(WRITE_ERROR))
    .map((m) => m.message);
}

// --- Temporary directories and mounts ---------------------------------------------------------

const made: string[] = [];
const mounted: string[] = [];

function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-outdir-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of mounted.splice(0)) spawnSync('umount', ['-l', dir]);
  for (const dir of made.splice(0)) {
    if (existsSync(dir)) chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

function mount(dir: string, options: string): boolean {
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (result.status !== 0) return false;
  mounted.push(dir);
  return true;
}

function remount(dir: string, options: string): void {
  const result = spawnSync('mount', ['-o', `remount,${options}`, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`remount ${options} failed: ${result.stderr}`);
}

/** Whether this process may mount a tmpfs (root in a container that allows it). */
const CAN_MOUNT = (() => {
  if (process.platform !== 'linux') return false;
  const probe = makeTempDir();
  const ok = mount(probe, 'size=16k');
  for (const dir of mounted.splice(0)) spawnSync('umount', ['-l', dir]);
  return ok;
})();

/** Whether permission bits stop this process's writes (false for root: CAP_DAC_OVERRIDE). */
const PERMISSIONS_APPLY = (() => {
  const probe = makeTempDir();
  chmodSync(probe, 0o555);
  try {
    writeFileSync(join(probe, 'probe'), '');
    return false;
  } catch {
    return true;
  } finally {
    chmodSync(probe, 0o755);
  }
})();

const MODES = ['append', 'update'] as const;

// --- (a) read-only output_dir ------------------------------------------------------------------

interface Breakage {
  name: string;
  /** Why the variant cannot run here; undefined when it can. */
  skip: string | undefined;
  prepare(dir: string): void;
  breakIt(dir: string, csv: string): void;
  repair(dir: string, csv: string): void;
  /** Whether the rows written before the fault survive it. */
  keepsEarlierRows: boolean;
}

const READ_ONLY: Breakage[] = [
  {
    name: 'a tmpfs remounted read-only (EROFS)',
    skip: CAN_MOUNT ? undefined : 'this process cannot mount a tmpfs (not root, or not allowed)',
    prepare: (dir) => {
      if (!mount(dir, 'size=1m')) throw new Error('mount failed');
    },
    breakIt: (dir) => remount(dir, 'ro'),
    repair: (dir) => remount(dir, 'rw'),
    keepsEarlierRows: true,
  },
  {
    name: 'chmod 0o555 on the directory and 0o444 on the file (EACCES)',
    skip: PERMISSIONS_APPLY
      ? undefined
      : 'running as root: permission bits do not stop root (CAP_DAC_OVERRIDE); the EROFS ' +
        'and ENOTDIR variants cover a read-only directory',
    prepare: () => {},
    breakIt: (dir, csv) => {
      chmodSync(csv, 0o444);
      chmodSync(dir, 0o555);
    },
    repair: (dir, csv) => {
      chmodSync(dir, 0o755);
      chmodSync(csv, 0o644);
    },
    keepsEarlierRows: true,
  },
  {
    name: 'a regular file put in place of the directory (ENOTDIR)',
    skip: undefined,
    prepare: () => {},
    breakIt: (dir) => {
      rmSync(dir, { recursive: true });
      writeFileSync(dir, 'not a directory');
    },
    repair: (dir) => {
      unlinkSync(dir);
      mkdirSync(dir);
    },
    keepsEarlierRows: false,
  },
];

describe.each(READ_ONLY)('a running tracker whose output_dir becomes $name', (breakage) => {
  it.skipIf(breakage.skip !== undefined).each(MODES)(
    '%s mode: flush() keeps counting and logs one error with advice; once writable, later rows are whole (the failed flushes leave no row)',
    async (mode) => {
      const dir = makeTempDir();
      breakage.prepare(dir);
      const t = startTracker(dir, mode);
      await t.flushAfter(10);

      breakage.breakIt(dir, t.csv);
      const during = [await t.flushAfter(10), await t.flushAfter(10)];
      expect(during[0]).toBeGreaterThan(0);
      expect(during[1]).toBeGreaterThan(during[0] as number);
      const errors = writeErrors(t.logger);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(t.csv);
      expect(errors[0]).toContain(ADVICE);

      breakage.repair(dir, t.csv);
      await t.flushAfter(10);
      const kg = await t.stopAfter(10);

      expect(writeErrors(t.logger)).toHaveLength(1);
      const rows = strictRows(t.csv);
      expect(records(t.csv).every((row) => row.length === COLUMN_COUNT)).toBe(true);
      const durations = rows.map((row) => Number(row.duration));
      if (mode === 'update') expect(durations).toEqual([50]);
      else expect(durations).toEqual(breakage.keepsEarlierRows ? [10, 40, 50] : [40, 50]);
      expect(Number(rows.at(-1)?.emissions)).toBeCloseTo(kg as number, 15);
    },
  );

  it.skipIf(breakage.skip !== undefined).each(MODES)(
    '%s mode: stop() while it is broken resolves with the run total and logs once',
    async (mode) => {
      const dir = makeTempDir();
      breakage.prepare(dir);
      const t = startTracker(dir, mode);
      await t.flushAfter(10);
      breakage.breakIt(dir, t.csv);

      await t.flushAfter(10);
      const kg = await t.stopAfter(10);

      expect(kg).toBeCloseTo(t.tracker.finalEmissionsData?.emissions as number, 15);
      expect(t.tracker.finalEmissionsData?.duration).toBeCloseTo(30, 9);
      expect(writeErrors(t.logger)).toHaveLength(1);
      breakage.repair(dir, t.csv);
      if (breakage.keepsEarlierRows) {
        expect(strictRows(t.csv).map((row) => Number(row.duration))).toEqual([10]);
      }
    },
  );
});

// --- (b) output_dir removed --------------------------------------------------------------------

describe('a running tracker whose output_dir is removed mid-run', () => {
  it.each(MODES)(
    '%s mode: the next flush() re-creates the directory (and missing parents) and starts a new file with the header, logging nothing',
    async (mode) => {
      const parent = makeTempDir();
      const dir = join(parent, 'nested', 'out');
      mkdirSync(dir, { recursive: true });
      const t = startTracker(dir, mode);
      await t.flushAfter(10);

      rmSync(join(parent, 'nested'), { recursive: true });
      await t.flushAfter(10);
      rmSync(join(parent, 'nested'), { recursive: true });
      const kg = await t.stopAfter(10);

      expect(t.logger.problems()).toEqual([]);
      const rows = strictRows(t.csv);
      // Each removal took the earlier rows with it; what is left is the final total.
      expect(rows.map((row) => Number(row.duration))).toEqual([30]);
      expect(Number(rows[0]?.emissions)).toBeCloseTo(kg as number, 15);
      expect(readFileSync(t.csv, 'utf8').startsWith(`${CSV_COLUMNS.join(',')}\n`)).toBe(true);
    },
  );

  it('its task file is written again too, once the run has finished tasks', async () => {
    const parent = makeTempDir();
    const dir = join(parent, 'out');
    mkdirSync(dir);
    const t = startTracker(dir, 'append');
    const task = t.tracker.startTask('load');
    t.tracker.stopTask(task);

    rmSync(dir, { recursive: true });
    await t.stopAfter(10);

    expect(t.logger.problems()).toEqual([]);
    const taskFile = join(dir, `emissions_base_${t.tracker.runId}.csv`);
    expect(strictRows(taskFile).map((row) => row.task_name)).toEqual(['load']);
  });

  it('while it cannot be re-created, a task file failure is logged once, not at every flush', async () => {
    const dir = makeTempDir();
    const t = startTracker(dir, 'append');
    t.tracker.stopTask(t.tracker.startTask('load'));
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');

    await t.flushAfter(10);
    await t.flushAfter(10);
    await t.stopAfter(10);

    const taskErrors = t.logger.problems().filter((m) => m.includes('task file'));
    expect(taskErrors).toHaveLength(1);
    expect(taskErrors[0]).toContain('is a file, not a directory');
    expect(writeErrors(t.logger)).toHaveLength(1);
  });
});

// --- (c) full disk ----------------------------------------------------------------------------

/**
 * Real ENOSPC, two ways. A 64 KiB tmpfs that another file fills up, freed later by deleting
 * that file: a write that needs a new page fails part-way, as on any full disk (needs mount
 * rights). And the CSV path as a symbolic link to /dev/full, where every write fails with
 * ENOSPC and every read gives endless zero bytes; freed by putting the saved file back.
 */
const FULL_DISKS = [
  {
    name: 'a tmpfs that another file filled up (ENOSPC part-way through a row)',
    skip: CAN_MOUNT ? undefined : 'this process cannot mount a tmpfs (not root, or not allowed)',
    prepare: (dir: string) => {
      if (!mount(dir, 'size=64k')) throw new Error('mount failed');
    },
    fill: (dir: string) => {
      try {
        writeFileSync(join(dir, 'filler'), Buffer.alloc(1024 * 1024, 120));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    },
    free: (dir: string) => unlinkSync(join(dir, 'filler')),
  },
  {
    name: 'a CSV path linked to /dev/full (ENOSPC at every write)',
    skip: existsSync('/dev/full') ? undefined : 'no /dev/full on this system',
    prepare: () => {},
    fill: (dir: string) => {
      const csv = join(dir, 'emissions.csv');
      renameSync(csv, `${csv}.saved`);
      symlinkSync('/dev/full', csv);
    },
    free: (dir: string) => {
      const csv = join(dir, 'emissions.csv');
      unlinkSync(csv);
      renameSync(`${csv}.saved`, csv);
    },
  },
];

describe.each(FULL_DISKS)('a running tracker on a full disk: $name', (disk) => {
  it.skipIf(disk.skip !== undefined).each(MODES)(
    '%s mode: flush() and stop() resolve, one ENOSPC error with advice, no half-written row, whole rows once space is freed',
    async (mode) => {
      const dir = makeTempDir();
      disk.prepare(dir);
      const t = startTracker(dir, mode);
      await t.flushAfter(10);

      disk.fill(dir);
      // The CSV's last page may still hold a row or two: write until the disk says no.
      let flushes = 1;
      for (; flushes < 20 && writeErrors(t.logger).length === 0; flushes++) {
        expect(await t.flushAfter(10)).toBeGreaterThan(0);
      }
      const errors = writeErrors(t.logger);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/ENOSPC/);
      expect(errors[0]).toContain(ADVICE);
      expect(await t.flushAfter(10)).toBeGreaterThan(0);

      disk.free(dir);
      await t.flushAfter(10);
      const kg = await t.stopAfter(10);

      expect(writeErrors(t.logger)).toHaveLength(1);
      expect(records(t.csv).every((row) => row.length === COLUMN_COUNT)).toBe(true);
      const rows = strictRows(t.csv);
      expect(Number(rows.at(-1)?.duration)).toBeCloseTo(10 * (flushes + 3), 9);
      expect(Number(rows.at(-1)?.emissions)).toBeCloseTo(kg as number, 15);
      if (mode === 'update') expect(rows).toHaveLength(1);
      expect(new Set(rows.map((row) => row.run_id))).toEqual(new Set([t.tracker.runId]));
    },
    20_000,
  );
});

/**
 * A file-size limit (RLIMIT_FSIZE, as a quota would be) cuts an append short with EFBIG. The
 * writer is a child of `sh` with `ulimit -f` and SIGXFSZ ignored, using the built package.
 */
describe('CSV appends cut short by a file-size limit (EFBIG)', () => {
  const DIST_CSV = join(REPO, 'dist', 'output', 'csv-file.js');
  const WRITER = `
import { writeRecordSync } from ${JSON.stringify(pathToFileURL(DIST_CSV).href)};
const record = JSON.parse(process.env.RECORD);
const logger = { debug() {}, info() {}, warn() {}, error: (m) => console.log(m) };
for (let i = 0; i < 50; i++) {
  if (!writeRecordSync(process.argv[2], { ...record, duration: i + 1 }, 'append', logger)) break;
}
`;

  it.skipIf(process.platform === 'win32')(
    'take back the part of the row that got in: every row left is whole, and the next append continues the file',
    () => {
      const built = readFileSync(join(REPO, 'dist', 'output', 'atomic-file.js'), 'utf8');
      if (!built.includes('appendWholly')) throw new Error('dist/ is stale: run `npm run build`');
      const dir = makeTempDir();
      const csv = join(dir, 'emissions.csv');
      writeFileSync(join(dir, 'writer.mjs'), WRITER);
      const result = spawnSync(
        'sh',
        [
          '-c',
          'ulimit -f 4 && trap "" XFSZ && exec "$0" "$@"',
          process.execPath,
          'writer.mjs',
          csv,
        ],
        {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, RECORD: JSON.stringify(makeRecord()) },
        },
      );

      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Could not write emissions to .*: EFBIG/);
      const written = strictRows(csv);
      expect(written.length).toBeGreaterThan(0);
      expect(written.map((row) => row.duration)).toEqual(written.map((_, i) => `${i + 1}.0`));

      expect(
        writeRecordSync(csv, makeRecord({ runId: 'after' }), 'append', recordingLogger()),
      ).toBe(true);
      expect(strictRows(csv).at(-1)?.run_id).toBe('after');
    },
  );
});

// --- (d) the CSV damaged by another program between flushes ------------------------------------

const TRICKY_NAME = 'nightly, "v2"\nGPU';

interface Damage {
  name: string;
  projectName?: string;
  damage(csv: string): void;
  /** What the product does about it, per mode (the test's name). */
  does: Record<CsvWriteMode, string>;
  /** What the tracker logs about it, per mode. */
  problems: Record<CsvWriteMode, RegExp[]>;
  /** Cells of every record, header first, after two more writes, per mode. */
  cells: Record<CsvWriteMode, number[]>;
}

const FULL = COLUMN_COUNT;
const DAMAGES: Damage[] = [
  {
    name: 'truncated in the middle of the last row, outside quotes',
    damage: (csv) => truncateSync(csv, readFileSync(csv).length - 200),
    does: {
      append: 'ends the cut row with a line end (it keeps its 14 cells), logs nothing',
      update: "replaces the run's cut row by a whole one, logs nothing",
    },
    problems: { append: [], update: [] },
    // append: the cut row keeps its 14 cells (lost cells are not invented), a line end closes
    // it; update: the cut row is the run's own and is replaced by a whole one.
    cells: { append: [FULL, FULL, 14, FULL, FULL], update: [FULL, FULL] },
  },
  {
    name: 'truncated inside a quoted cell of the last row',
    projectName: TRICKY_NAME,
    damage: (csv) => truncateSync(csv, readFileSync(csv).lastIndexOf('GPU')),
    does: {
      append: 'closes the quote, pads the cut row to 38 cells, warns once',
      update:
        "no longer finds the run's row (the cut took its run id): closes the quote, pads it " +
        'to 38 cells, warns once, then keeps one row of the run after it',
    },
    problems: {
      append: [/ended inside a quoted cell that was never closed/],
      update: [/ended inside a quoted cell that was never closed/],
    },
    cells: { append: [FULL, FULL, FULL, FULL, FULL], update: [FULL, FULL, FULL] },
  },
  {
    name: 'garbage appended without a line end',
    damage: (csv) => writeFileSync(csv, 'x\u0000\u00ff"junk, with "quotes', { flag: 'a' }),
    does: {
      append: 'ends the garbage with a line end and keeps it as a 2-cell line, logs nothing',
      update: "replaces the run's row in place and keeps the garbage line after it, logs nothing",
    },
    problems: { append: [], update: [] },
    // The junk becomes a line of its own (2 cells) and stays: it is not ours to delete.
    cells: { append: [FULL, FULL, FULL, 2, FULL, FULL], update: [FULL, FULL, 2] },
  },
  {
    name: 'overwritten whole with garbage (no header left)',
    damage: (csv) => writeFileSync(csv, '\u0000\u0001binary\njunk,"'),
    does: {
      append: 'moves it to emissions.csv.bak with one warning and starts a new file',
      update: 'moves it to emissions.csv.bak with one warning and starts a new file',
    },
    problems: {
      append: [/does not have CodeCarbon's 38 CSV columns .*moved it to .*emissions\.csv\.bak/],
      update: [/does not have CodeCarbon's 38 CSV columns .*moved it to .*emissions\.csv\.bak/],
    },
    cells: { append: [FULL, FULL, FULL], update: [FULL, FULL] },
  },
];

describe.each(DAMAGES)('a running tracker whose CSV another program has $name', (damage) => {
  it.each(MODES.map((mode) => [mode, damage.does[mode]] as const))(
    '%s mode: the next flush() %s; the rows written after it are whole',
    async (mode) => {
      const dir = makeTempDir();
      const t = startTracker(dir, mode, damage.projectName);
      await t.flushAfter(10);
      await t.flushAfter(10);

      damage.damage(t.csv);
      expect(await t.flushAfter(10)).toBeGreaterThan(0);
      const kg = await t.stopAfter(10);

      const problems = t.logger.problems();
      expect(problems).toHaveLength(damage.problems[mode].length);
      for (const [i, pattern] of damage.problems[mode].entries()) {
        expect(problems[i]).toMatch(pattern);
      }
      const found = records(t.csv);
      expect(found.map((row) => row.length)).toEqual(damage.cells[mode]);
      expect(found[0]).toEqual([...CSV_COLUMNS]);
      // The rows written after the damage come last, are whole and hold the run's totals;
      // update mode keeps one row for the run.
      const runIdAt = CSV_COLUMNS.indexOf('run_id');
      const durationAt = CSV_COLUMNS.indexOf('duration');
      const emissionsAt = CSV_COLUMNS.indexOf('emissions');
      const ours = found.filter((row) => row[runIdAt] === t.tracker.runId);
      const after = mode === 'append' ? found.slice(-2) : ours;
      expect(after.every((row) => row.length === FULL)).toBe(true);
      expect(after.map((row) => [row[runIdAt], row[durationAt]])).toEqual(
        (mode === 'append' ? ['30.0', '40.0'] : ['40.0']).map((d) => [t.tracker.runId, d]),
      );
      expect(Number(after.at(-1)?.[emissionsAt])).toBeCloseTo(kg as number, 15);
    },
  );
});
