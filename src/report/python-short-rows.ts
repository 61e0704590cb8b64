/**
 * Python CodeCarbon (3.3.0 and earlier) drops every empty cell from a row it appends, so the
 * row is shorter than its header and later values shift left (spec 9.1 [BUG]). The cells that
 * can be empty are few — region, coordinates, country — so the row can be put back: try the
 * ways of re-inserting that many empty cells, most frequent first, and keep the first whose
 * values all fit their columns.
 */

import type { CsvSchema } from './csv-schema.js';
import { type RowCore, readRowCore } from './row-facts.js';

/** Columns Python leaves empty in real runs, the most frequently empty first. */
const NULLABLE_COLUMNS = ['region', 'longitude', 'latitude', 'country_name', 'country_iso_code'];

export interface RepairedRow {
  /** The cells realigned under the header. */
  cells: string[];
  core: RowCore;
  /** The columns assumed empty. */
  emptied: string[];
}

export function repairShortRow(
  schema: CsvSchema,
  cells: readonly string[],
): RepairedRow | undefined {
  const { columns } = schema;
  const missing = columns.length - cells.length;
  const candidates = NULLABLE_COLUMNS.filter((column) => schema.index.has(column));
  if (missing < 1 || missing > candidates.length) return undefined;

  for (const emptied of subsets(candidates, missing)) {
    const realigned = realign(columns, cells, new Set(emptied));
    if (!fitsColumns(schema, realigned)) continue;
    const result = readRowCore(realigned, schema);
    if (result.ok) return { cells: realigned, core: result.core, emptied };
  }
  return undefined;
}

function realign(
  columns: readonly string[],
  cells: readonly string[],
  emptied: ReadonlySet<string>,
) {
  let next = 0;
  return columns.map((column) => (emptied.has(column) ? '' : (cells[next++] ?? '')));
}

/** Text columns with a known shape; numbers are checked by `readRowCore`. */
function fitsColumns(schema: CsvSchema, cells: readonly string[]): boolean {
  const at = (column: string) => cells[schema.index.get(column) ?? -1] ?? '';
  const iso = at('country_iso_code');
  const onCloud = at('on_cloud');
  const mode = at('tracking_mode');
  return (
    (!iso || /^[A-Z]{3}$/.test(iso)) &&
    (!onCloud || onCloud === 'Y' || onCloud === 'N') &&
    (!mode || mode === 'machine' || mode === 'process')
  );
}

/** Subsets of `size` items, those made of earlier (more likely) items first. */
function subsets(items: readonly string[], size: number): string[][] {
  const all: { members: string[]; rank: number }[] = [];
  const walk = (from: number, members: string[], rank: number) => {
    if (members.length === size) {
      all.push({ members, rank });
      return;
    }
    for (let i = from; i < items.length; i++) {
      walk(i + 1, [...members, items[i] as string], rank + i);
    }
  };
  walk(0, [], 0);
  return all.sort((a, b) => a.rank - b.rank).map((entry) => entry.members);
}
