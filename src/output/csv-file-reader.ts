/**
 * Reading an existing emissions CSV without loading more than needed: the header line and the
 * last few KB for appends, the whole file (split into raw rows) for updates.
 */

import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { csvEnding, parseCsvHeader, parseCsvLine, splitCsvRecords } from './csv-format.js';

export type CsvFileState =
  | { kind: 'missing' }
  | { kind: 'empty' }
  | {
      kind: 'existing';
      columns: string[];
      endsWithNewline: boolean;
      /** Cells of a last record that ends inside an open quote; undefined when none does. */
      openRecordCells?: number;
    };

export interface RunRows {
  /** The header line as found, without its `\n` (a BOM or `\r` stays). */
  headerRaw: string;
  columns: string[];
  rows: { raw: string; matches: boolean }[];
}

const HEADER_CHUNK_BYTES = 64 * 1024;
// No CodeCarbon header comes near this; a longer first line is not one.
const HEADER_LIMIT_BYTES = 1024 * 1024;
const NEWLINE = 0x0a; // \n
// Enough for any cut row of ours (about 1 KB); a file this small is read from its start.
const TAIL_BYTES = 16 * 1024;

/** Looks at the first line and the last few KB only, so appending stays cheap on big files. */
export function inspectCsvFile(path: string): CsvFileState {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }

  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { kind: 'empty' };

    const tail = readTail(fd, size);
    const openRecordCells = openRecordCellCount(tail, size);
    return {
      kind: 'existing',
      columns: parseCsvHeader(readFirstLine(fd, size)),
      endsWithNewline: tail.bytes[tail.bytes.length - 1] === NEWLINE,
      ...(openRecordCells === undefined ? {} : { openRecordCells }),
    };
  } finally {
    closeSync(fd);
  }
}

function readTail(fd: number, size: number): { bytes: Buffer; start: number } {
  const start = Math.max(0, size - TAIL_BYTES);
  const bytes = Buffer.alloc(size - start);
  const read = readSync(fd, bytes, 0, bytes.length, start);
  return { bytes: bytes.subarray(0, read), start };
}

/**
 * Whether the file ends inside a quoted cell. Read from the file's start when the tail is the
 * whole file; otherwise from the tail's first line start, which is a record start unless a
 * quoted cell spans lines there (quoting rules make a wrong start rarely matter, and then
 * only when a quote opens that line's first cell). No line start in the tail: no verdict.
 */
function openRecordCellCount(tail: { bytes: Buffer; start: number }, size: number) {
  let from = 0;
  if (tail.start > 0) {
    from = tail.bytes.indexOf(NEWLINE) + 1;
    if (from === 0 || tail.start + from >= size) return undefined;
  }
  const ending = csvEnding(tail.bytes.subarray(from));
  return ending.insideQuotes ? ending.cellsInLastRecord : undefined;
}

function readFirstLine(fd: number, size: number): string {
  const chunks: Buffer[] = [];
  let position = 0;
  while (position < size && position < HEADER_LIMIT_BYTES) {
    const chunk = Buffer.alloc(Math.min(HEADER_CHUNK_BYTES, size - position));
    const read = readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    const newline = chunk.subarray(0, read).indexOf(NEWLINE);
    if (newline >= 0) {
      chunks.push(chunk.subarray(0, newline));
      break;
    }
    chunks.push(chunk.subarray(0, read));
    position += read;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The whole file split into rows, each marked when its `run_id` cell is `runId`. */
export function readRunRows(path: string, runId: string): RunRows | undefined {
  let text: string | undefined;
  try {
    text = readRegularFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (text === undefined) return undefined;

  const [headerRaw, ...records] = splitCsvRecords(text);
  if (headerRaw === undefined) return undefined;

  const columns = parseCsvHeader(headerRaw);
  const runIdIndex = columns.indexOf('run_id');
  const rows = records
    .filter((raw) => raw.trim() !== '')
    .map((raw) => ({ raw, matches: rowHasRunId(raw, runIdIndex, runId) }));
  return { headerRaw, columns, rows };
}

/**
 * The file's text; undefined when the path is not a regular file. A device such as /dev/full
 * or /dev/zero reads as endless zero bytes: reading it whole would exhaust memory (found by
 * test/robustness/output-dir-faults.test.ts with the CSV linked to /dev/full).
 */
function readRegularFile(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
  } finally {
    closeSync(fd);
  }
}

function rowHasRunId(raw: string, runIdIndex: number, runId: string): boolean {
  // The substring test skips parsing for almost every other run's row; in the file a quote
  // inside a cell is doubled.
  if (runIdIndex < 0 || runId === '' || !raw.includes(runId.replaceAll('"', '""'))) return false;
  return parseCsvLine(raw)?.[runIdIndex] === runId;
}
