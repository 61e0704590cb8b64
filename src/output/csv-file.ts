import { existsSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../log/logger.js';
import {
  CSV_COLUMNS,
  type EmissionsData,
  type TaskEmissionsData,
  toSnakeCaseRecord,
} from '../records/emissions-data.js';
import { appendWholly, replaceFileAtomically } from './atomic-file.js';
import { type CsvFileState, inspectCsvFile, readRunRows } from './csv-file-reader.js';
import { formatCsvHeader, formatCsvRow, isCodeCarbonHeader } from './csv-format.js';
import { createExclusively } from './exclusive-create.js';
import type { OutputHandler } from './handler.js';
import { makeDirectorySync } from './make-directory.js';
import { writeTaskFile } from './task-csv.js';

/** `append` adds a row at every write; `update` keeps one row per run id. */
export type CsvWriteMode = 'append' | 'update';

export interface CsvFileOutputOptions {
  /** The CSV file, e.g. `./emissions.csv`; resolved against the working directory now. */
  path: string;
  /** `append` (CodeCarbon's default) or `update` (`on_csv_write`). */
  mode: CsvWriteMode;
  /** Receives warnings (backed-up files) and write errors. */
  logger: Logger;
  /**
   * Also write at every `liveOut`, replacing this run's row, so a killed process loses at
   * most one interval; after the first live write, `out` updates too. Default false.
   */
  liveUpdate?: boolean;
  /** Path of the task file of a run (`emissions_<experiment_name>_<run_id>.csv`). */
  taskFilePath?: (runId: string) => string;
  /** Told after every record write whether it reached the file (e.g. for the CLI's report). */
  onWriteResult?: (written: boolean) => void;
}

/** Writes the cumulative total record to a CSV file at every flush and stop. */
export class CsvFileOutput implements OutputHandler {
  /** Absolute path of the file. */
  readonly path: string;
  private readonly logger: Logger;
  private readonly liveUpdate: boolean;
  private readonly taskFilePath: ((runId: string) => string) | undefined;
  private readonly onWriteResult: ((written: boolean) => void) | undefined;
  private mode: CsvWriteMode;
  private failing = false;
  private taskFileFailing = false;

  constructor(options: CsvFileOutputOptions) {
    if (typeof options.path !== 'string' || options.path === '') {
      throw new TypeError(
        `CSV output: option path must be a non-empty file path, got ${JSON.stringify(options.path)}.`,
      );
    }
    if (options.mode !== 'append' && options.mode !== 'update') {
      throw new TypeError(
        `CSV output: option mode must be 'append' or 'update', got ${JSON.stringify(options.mode)}.`,
      );
    }
    this.path = resolve(options.path);
    this.mode = options.mode;
    this.logger = options.logger;
    this.liveUpdate = options.liveUpdate ?? false;
    this.taskFilePath = options.taskFilePath;
    this.onWriteResult = options.onWriteResult;
  }

  /** True when the latest record write failed (the file lacks that record); false before any. */
  get lastWriteFailed(): boolean {
    return this.failing;
  }

  /** Writes the run's total so far; the delta is not used. */
  out(total: EmissionsData, _delta?: EmissionsData): void {
    this.write(total);
  }

  /** With `liveUpdate`, replaces this run's row with the total so far; otherwise nothing. */
  liveOut(total: EmissionsData, _delta?: EmissionsData): void {
    if (!this.liveUpdate) return;
    // From now on the run's row is being kept current, so later writes must not add rows.
    this.mode = 'update';
    this.write(total);
  }

  /** Rewrites the run's task file with every finished task. */
  taskOut(tasks: TaskEmissionsData[]): void {
    const runId = tasks[0]?.runId;
    if (!this.taskFilePath || runId === undefined) return;
    const path = this.taskFilePath(runId);
    try {
      writeTaskFile(path, tasks);
      this.taskFileFailing = false;
    } catch (error) {
      // Once per run of failures, as for the records: every flush rewrites the task file.
      if (!this.taskFileFailing) {
        this.logger.error(
          `Could not write the task file ${path} (${errorMessage(error)}). Check that ` +
            `${dirname(path)} exists and is writable and that the disk is not full. ` +
            'This message is not repeated until a write succeeds.',
        );
      }
      this.taskFileFailing = true;
    }
  }

  private write(record: EmissionsData): void {
    try {
      writeRecordOrThrow(this.path, record, this.mode, this.logger);
      this.failing = false;
    } catch (error) {
      // One message per run of failures: a full disk would otherwise log at every interval.
      if (!this.failing) {
        this.logger.error(
          `${describeWriteError(this.path, error)} Tracking goes on and the next write tries again; ` +
            'this message is not repeated until a write succeeds.',
        );
      }
      this.failing = true;
    }
    this.onWriteResult?.(!this.failing);
  }
}

/**
 * Writes one record to the CSV file at `path` with synchronous calls only (usable in a
 * process 'exit' handler). Never throws: a failure is logged through `logger` and gives
 * `false`. The common case, appending to a file with the right header, reads the header
 * and the last byte and writes with a single O_APPEND write.
 */
export function writeRecordSync(
  path: string,
  record: EmissionsData,
  mode: CsvWriteMode,
  logger: Logger,
): boolean {
  try {
    writeRecordOrThrow(resolve(path), record, mode, logger);
    return true;
  } catch (error) {
    logger.error(describeWriteError(resolve(path), error));
    return false;
  }
}

function writeRecordOrThrow(
  path: string,
  record: EmissionsData,
  mode: CsvWriteMode,
  logger: Logger,
): void {
  makeDirectorySync(dirname(path));
  const values = toSnakeCaseRecord(record);

  if (mode === 'update' && replaceRunRows(path, record.runId, values, logger)) return;
  appendRow(path, values, logger);
}

/**
 * Replaces every row of `runId` by one row holding `values`, at the first one's place, and
 * rewrites the file atomically; other rows keep their bytes. Gives false, writing nothing,
 * when there is no such row or the file is missing or has another header (appendRow then
 * deals with it). Rows appended by another process between the read and the rename are
 * lost: update mode assumes one writer per file, as CodeCarbon does.
 */
function replaceRunRows(
  path: string,
  runId: string,
  values: Record<string, unknown>,
  logger: Logger,
): boolean {
  const file = readRunRows(path, runId);
  if (file === undefined || !isCodeCarbonHeader(file.columns)) return false;

  const first = file.rows.findIndex((row) => row.matches);
  if (first < 0) return false;

  const newRow = formatCsvRow(file.columns, values);
  const lines = file.rows.flatMap((row, index) => {
    if (index === first) return [newRow];
    return row.matches ? [] : [`${row.raw}\n`];
  });
  const replaced = file.rows.filter((row) => row.matches).length;
  if (replaced > 1) {
    logger.debug(`${path} held ${replaced} rows of run ${runId}; they are now one row.`);
  }

  replaceFileAtomically(path, `${file.headerRaw}\n${lines.join('')}`);
  return true;
}

/**
 * Appends one row in the file's column order, starting a new file (header + row) when the
 * file is missing, empty or has another column set (after backing the old one up).
 */
function appendRow(path: string, values: Record<string, unknown>, logger: Logger): void {
  const fresh = formatCsvHeader(CSV_COLUMNS) + formatCsvRow(CSV_COLUMNS, values);

  // Retried only when another process creates the file between our look and our write.
  for (let attempt = 0; attempt < 3; attempt++) {
    let state: CsvFileState = settledState(path, inspectCsvFile(path));
    if (state.kind === 'existing' && !isCodeCarbonHeader(state.columns)) {
      const backup = backUpFile(path);
      logger.warn(formatBackupWarning(path, backup, state.columns));
      state = { kind: 'missing' };
    }

    switch (state.kind) {
      case 'missing':
        if (createExclusively(path, fresh)) return;
        continue;
      case 'empty':
        appendWholly(path, fresh);
        return;
      case 'existing': {
        const ending =
          state.openRecordCells === undefined
            ? state.endsWithNewline
              ? ''
              : '\n'
            : closeOpenRecord(path, state.columns.length, state.openRecordCells, logger);
        // One write with O_APPEND, so concurrent writers never interleave inside a row.
        appendWholly(path, ending + formatCsvRow(state.columns, values));
        return;
      }
    }
  }
  throw new Error(`${path} kept being created and replaced by another process while writing`);
}

/**
 * The text that ends a last record left inside an open quote (a cut write, a hand edit):
 * the closing quote, empty cells up to the header's count, and a line end. Without it every
 * reader would take our row as more text of that quoted cell.
 */
function closeOpenRecord(path: string, columnCount: number, cells: number, logger: Logger) {
  const padding = ','.repeat(Math.max(0, columnCount - cells));
  logger.warn(
    `${path} ended inside a quoted cell that was never closed (its last row was cut off or ` +
      `edited by hand); closed the quote${padding ? `, added ${padding.length} empty cells` : ''} ` +
      "and ended that row before appending this run's row.",
  );
  return `"${padding}\n`;
}

/**
 * A last row that looks cut may be another process's append still in progress (a reader can
 * see part of a write that crosses a page): look again a few ms later, a few times, before
 * repairing it. Only such a tail waits. Found by test/robustness/csv-concurrency.test.ts.
 */
function settledState(path: string, state: CsvFileState): CsvFileState {
  const looksCut = (s: CsvFileState) =>
    s.kind === 'existing' && (!s.endsWithNewline || s.openRecordCells !== undefined);
  for (let look = 0; look < 4 && looksCut(state); look++) {
    Atomics.wait(PAUSE, 0, 0, 5);
    state = inspectCsvFile(path);
  }
  return state;
}
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function describeWriteError(path: string, error: unknown): string {
  return (
    `Could not write emissions to ${path}: ${errorMessage(error)}. ` +
    `Check that ${dirname(path)} exists and is writable and that the disk is not full.`
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// --- Changing the file -----------------------------------------------------------------------

/** Renames the file to the first free `<file>.bak`, `<file>.1.bak`, `<file>.2.bak`, … */
function backUpFile(path: string): string {
  let backup = `${path}.bak`;
  for (let n = 1; existsSync(backup); n++) backup = `${path}.${n}.bak`;
  renameSync(path, backup);
  return backup;
}

function formatBackupWarning(path: string, backup: string, columns: readonly string[]): string {
  const found = columns.length === 0 ? 'no readable header' : `${columns.length} columns`;
  return (
    `${path} does not have CodeCarbon's ${CSV_COLUMNS.length} CSV columns (found ${found}); ` +
    `moved it to ${backup} and started a new ${path}.`
  );
}
