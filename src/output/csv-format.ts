/**
 * Emissions CSV text: cells and rows formatted as Python CodeCarbon (pandas) writes them, so
 * files from both tools look alike and can be appended to each other, and the few readers
 * needed to judge an existing file's header and find a run's rows.
 */

import { createRequire } from 'node:module';
import { CSV_COLUMNS, FLOAT_COLUMNS } from '../records/emissions-data.js';

// The CSV libraries are loaded on the first write, not at import (they cost ~20 ms to load),
// and synchronously, because the final row may be written from a process 'exit' handler.
const requireCjs = createRequire(import.meta.url);
type ParseOptions = import('csv-parse/sync').Options;
type StringifyOptions = import('csv-stringify/sync').Options;
let csvParse: ((input: string, options: ParseOptions) => unknown) | undefined;
let csvStringify: ((rows: (readonly string[])[], options: StringifyOptions) => string) | undefined;

function parse(input: string, options: ParseOptions): unknown {
  csvParse ??= (requireCjs('csv-parse/sync') as typeof import('csv-parse/sync')).parse;
  return csvParse(input, options);
}

function stringify(rows: (readonly string[])[], options: StringifyOptions): string {
  csvStringify ??= (requireCjs('csv-stringify/sync') as typeof import('csv-stringify/sync'))
    .stringify;
  return csvStringify(rows, options);
}

/**
 * A number as Python's `repr(float)` writes it: shortest digits that read back to the same
 * double, always with a decimal point or an exponent (`20.0`, `0.0`), and in exponent form
 * with a sign and at least two exponent digits below 1e-4 or from 1e16 on
 * (`8.400252221752171e-07`, `1e+16`). Non-finite values give `nan`, `inf`, `-inf`.
 */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';

  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  // With no argument, toExponential gives the shortest round-trip digits, e.g. `8.4e-7`.
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);

  if (exponent < -4 || exponent >= 16) return sign + scientific(digits, exponent);
  return sign + positional(digits, exponent);
}

/**
 * One cell's text (before CSV quoting). Missing values (`undefined`, `null`, NaN, ±Infinity)
 * are empty; numbers in float columns are written as Python floats; other integral numbers
 * (`cpu_count`, `gpu_count`) as integers; booleans as Python's `True`/`False`; strings as
 * they are.
 */
export function formatCsvValue(column: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(column, value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? String(value);
}

/**
 * One CSV line (with its `\n`) holding `values` in `columns` order: exactly one cell per
 * column, quoted only when a cell holds a comma, a quote, CR or LF.
 */
export function formatCsvRow(
  columns: readonly string[],
  values: Readonly<Record<string, unknown>>,
): string {
  return formatCsvLine(columns.map((column) => formatCsvValue(column, values[column])));
}

/** The header line (with its `\n`) for `columns`. */
export function formatCsvHeader(columns: readonly string[]): string {
  return formatCsvLine(columns);
}

/**
 * Splits at line feeds outside quoted cells. A cut last record (an unclosed quote) runs to
 * the end of the file and is kept as it is.
 */
export function splitCsvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) quoted = !quoted;
    else if (code === 0x0a && !quoted) {
      records.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

/** How CSV text ends, as a reader that starts at its first byte sees it. */
export interface CsvEnding {
  /** True when the text ends inside a quoted cell (a cut row, or a quote left open). */
  insideQuotes: boolean;
  /** Cells of the last record so far. */
  cellsInLastRecord: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Follows quoting as Python's csv module (and so pandas) reads it: a quote opens a quoted
 * cell only at the start of a cell, `""` inside one is a quote, and text after the closing
 * quote continues the cell unquoted. Works on bytes: in UTF-8 these four characters never
 * occur inside a multi-byte character, so `bytes` may be any slice that starts a record.
 */
export function csvEnding(bytes: Uint8Array): CsvEnding {
  let state: 'cell-start' | 'unquoted' | 'quoted' | 'quote-in-quoted' = 'cell-start';
  let cells = 1;
  for (const byte of bytes) {
    if (state === 'quoted') {
      if (byte === QUOTE) state = 'quote-in-quoted';
      continue;
    }
    if (state === 'quote-in-quoted' && byte === QUOTE) {
      state = 'quoted';
    } else if (byte === COMMA) {
      [state, cells] = ['cell-start', cells + 1];
    } else if (byte === LF || byte === CR) {
      [state, cells] = ['cell-start', 1];
    } else if (state === 'cell-start' && byte === QUOTE) {
      state = 'quoted';
    } else {
      state = 'unquoted';
    }
  }
  return { insideQuotes: state === 'quoted', cellsInLastRecord: cells };
}

/** Column names of a header line; `[]` when it cannot be read as CSV. */
export function parseCsvHeader(line: string): string[] {
  return parseCsvLine(line.replace(/^\uFEFF/, '')) ?? [];
}

export function parseCsvLine(line: string): string[] | undefined {
  try {
    const records = parse(line.replace(/\r$/, ''), {
      relax_column_count: true,
      relax_quotes: true,
    }) as string[][];
    return records[0] ?? [];
  } catch {
    return undefined;
  }
}

/** True when `columns` are CodeCarbon 3.x's 38 columns, in any order. */
export function isCodeCarbonHeader(columns: readonly string[]): boolean {
  const expected: ReadonlySet<string> = new Set(CSV_COLUMNS);
  return (
    columns.length === expected.size &&
    new Set(columns).size === columns.length &&
    columns.every((column) => expected.has(column))
  );
}

function formatCsvLine(cells: readonly string[]): string {
  // An explicit record delimiter turns off quoting of a lone CR unless asked for; Python's
  // csv module quotes it, and readers would otherwise split the row there.
  return stringify([cells], { eof: true, record_delimiter: 'unix', quote_record_delimiter: true });
}

function formatNumber(column: string, value: number): string {
  if (!Number.isFinite(value)) return '';
  if (FLOAT_COLUMNS.has(column)) return formatPythonFloat(value);
  // BigInt keeps every digit of large integers, where String() would switch to `1e+21`.
  if (Number.isInteger(value)) return BigInt(value).toString();
  return formatPythonFloat(value);
}

/** `d.ddd e±XX`, as Python: no decimal point when there is a single digit (`1e-05`). */
function scientific(digits: string, exponent: number): string {
  const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const exponentSign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Plain decimal notation, with `.0` when there is no fractional part. */
function positional(digits: string, exponent: number): string {
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;

  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fractionPart = digits.slice(exponent + 1);
  return `${integerPart}.${fractionPart === '' ? '0' : fractionPart}`;
}
