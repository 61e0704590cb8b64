/**
 * Reads one emissions CSV file — from this tool or Python CodeCarbon — into runs. Nothing in
 * the file stops the reading: a header change, a short or long row, a value that does not
 * parse is reported with its line and the reading goes on.
 */

import { readFile } from 'node:fs/promises';
import { csvRecords } from './csv-records.js';
import { type CsvSchema, describeSchema, looksLikeHeader, readSchema } from './csv-schema.js';
import { printable } from './printable.js';
import { repairShortRow } from './python-short-rows.js';
import { type RowCore, readRowCore } from './row-facts.js';
import { RunCollector } from './run-collector.js';

/**
 * Something in a file the reader worked around; `line` 0 is the file as a whole. `file` and
 * `message` quote the file's name and cells as `printable`: they are printed on a terminal.
 */
export interface ReadIssue {
  file: string;
  line: number;
  message: string;
}

export interface FileReading {
  file: string;
  /** False when the file could not be read at all (missing, unreadable). */
  found: boolean;
  /** Data rows read (repaired ones included). */
  rows: number;
  /** Data rows left out. */
  skippedRows: number;
  runs: RunCollector;
  issues: ReadIssue[];
}

// Reading gives the event loop back every few thousand rows, so a dashboard re-reading a
// 100,000-row file keeps answering.
const ROWS_PER_SLICE = 5000;

export async function readEmissionsFile(file: string): Promise<FileReading> {
  const reading: FileReading = {
    file,
    found: true,
    rows: 0,
    skippedRows: 0,
    runs: new RunCollector(),
    issues: [],
  };
  const shownFile = printable(file);
  let line = 0;
  const note = (message: string) =>
    reading.issues.push({ file: shownFile, line, message: printable(message) });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    reading.found = false;
    note(describeReadError(error));
    return reading;
  }

  let schema: CsvSchema | undefined;
  let sinceYield = 0;
  for (const record of csvRecords(text)) {
    if (++sinceYield >= ROWS_PER_SLICE) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }

    line = record.line;
    if (record.cells === undefined) {
      note('not readable as CSV (an unclosed quote?): row skipped');
      reading.skippedRows++;
      continue;
    }
    if (schema === undefined || looksLikeHeader(record.cells)) {
      if (schema !== undefined) note(headerChange(schema, record.cells));
      schema = readSchema(record.cells);
      for (const finding of describeSchema(schema)) note(finding);
      continue;
    }
    if (schema.missingRequired.length > 0) {
      reading.skippedRows++;
      continue;
    }

    const result = readRow(schema, record.cells);
    if (!result.ok) {
      note(`${result.message}: row skipped`);
      reading.skippedRows++;
      continue;
    }
    if (result.note) note(result.note);
    reading.rows++;
    reading.runs.add(result.core, { cells: result.cells, schema, file, line: record.line });
  }

  if (schema === undefined) {
    line = 0;
    note('empty file');
  }
  return reading;
}

type RowReading =
  | { ok: true; core: RowCore; cells: readonly string[]; note?: string }
  | { ok: false; message: string };

function readRow(schema: CsvSchema, cells: readonly string[]): RowReading {
  const expected = schema.columns.length;
  if (cells.length < expected) {
    const repaired = repairShortRow(schema, cells);
    if (!repaired)
      return { ok: false, message: `${cells.length} cells where the header has ${expected}` };
    return {
      ok: true,
      core: repaired.core,
      cells: repaired.cells,
      note:
        `${cells.length} cells where the header has ${expected} (Python CodeCarbon drops ` +
        `empty cells when appending): read with ${repaired.emptied.join(', ')} empty`,
    };
  }
  if (cells.length > expected) {
    return { ok: false, message: `${cells.length} cells where the header has ${expected}` };
  }
  const result = readRowCore(cells, schema);
  return result.ok ? { ok: true, core: result.core, cells } : result;
}

function headerChange(previous: CsvSchema, cells: readonly string[]): string {
  const same =
    cells.length === previous.columns.length &&
    cells.every((cell, i) => cell.trim() === previous.columns[i]);
  return same
    ? 'the header is repeated (files joined together?): rows go on'
    : `a new header with ${cells.length} columns (mixed schemas): rows below are read with it`;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a CSV file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
