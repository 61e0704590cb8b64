/**
 * What a header line tells the reader: where each column is, which it does not know and which
 * of CodeCarbon's columns are absent (older CodeCarbon versions wrote fewer).
 */

import { CSV_COLUMNS, FLOAT_COLUMNS } from '../records/emissions-data.js';

/** Columns without which a row cannot be placed in a run or counted. */
export const REQUIRED_COLUMNS = [
  'timestamp',
  'run_id',
  'duration',
  'emissions',
  'energy_consumed',
] as const;

/** Columns some writers add to say how numbers were obtained; read when present. */
export const PROVENANCE_COLUMNS = [
  'cpu_method',
  'gpu_method',
  'ram_method',
  'carbon_intensity',
  'carbon_intensity_source',
  'carbon_intensity_detail',
] as const;

const KNOWN_COLUMNS: ReadonlySet<string> = new Set([...CSV_COLUMNS, ...PROVENANCE_COLUMNS]);
const NUMBER_COLUMNS: ReadonlySet<string> = new Set([
  ...FLOAT_COLUMNS,
  'cpu_count',
  'gpu_count',
  'carbon_intensity',
]);
/** Numbers that may be negative; every other number is an amount (≥ 0). */
const SIGNED_COLUMNS: ReadonlySet<string> = new Set(['longitude', 'latitude']);

export interface NumberColumn {
  column: string;
  index: number;
  signed: boolean;
  required: boolean;
}

export interface CsvSchema {
  columns: string[];
  /** Position of each column by name. */
  index: ReadonlyMap<string, number>;
  /** The columns holding numbers, checked on every row. */
  numbers: NumberColumn[];
  /** Required columns the header lacks: no row under it can be read. */
  missingRequired: string[];
  /** CodeCarbon columns the header lacks: read as empty. */
  missingOptional: string[];
  /** Columns neither CodeCarbon nor this reader know: kept as extra cells. */
  unknown: { column: string; index: number }[];
}

export function readSchema(cells: readonly string[]): CsvSchema {
  const columns = cells.map((cell) => cell.trim());
  const index = new Map(columns.map((column, i) => [column, i] as const));
  const required: ReadonlySet<string> = new Set(REQUIRED_COLUMNS);
  return {
    columns,
    index,
    numbers: columns.flatMap((column, i) =>
      NUMBER_COLUMNS.has(column)
        ? [{ column, index: i, signed: SIGNED_COLUMNS.has(column), required: required.has(column) }]
        : [],
    ),
    missingRequired: REQUIRED_COLUMNS.filter((column) => !index.has(column)),
    missingOptional: CSV_COLUMNS.filter((column) => !index.has(column) && !required.has(column)),
    unknown: columns.flatMap((column, i) =>
      KNOWN_COLUMNS.has(column) ? [] : [{ column, index: i }],
    ),
  };
}

/** A record that is a header rather than data: files concatenated, or a schema change. */
export function looksLikeHeader(cells: readonly string[]): boolean {
  // `includes` first: it rejects a data row without building anything.
  return cells.includes('run_id') && cells.includes('timestamp') && cells.includes('emissions');
}

/** What the reader says about a header, one sentence per finding (empty when clean). */
export function describeSchema(schema: CsvSchema): string[] {
  const notes: string[] = [];
  const unknown = schema.unknown.map((entry) => entry.column);
  if (schema.missingRequired.length > 0) {
    notes.push(
      `header lacks ${schema.missingRequired.join(', ')}: the rows under it cannot be read`,
    );
  }
  if (unknown.length > 0) {
    notes.push(
      `unknown column${plural(unknown)} ${unknown.join(', ')}: kept as extra fields of each run`,
    );
  }
  if (schema.missingOptional.length > 0 && schema.missingRequired.length === 0) {
    notes.push(
      `no ${schema.missingOptional.join(', ')} column${plural(schema.missingOptional)} ` +
        '(an older CodeCarbon version?): read as empty',
    );
  }
  return notes;
}

function plural(list: readonly unknown[]): string {
  return list.length === 1 ? '' : 's';
}
