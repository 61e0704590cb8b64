import { loadDataFile } from '../data/load-data.js';

/** A TDP table row matched to a CPU brand string. */
export interface CpuTdpMatch {
  /** Name of the matched table row, e.g. `Intel Core i7-8850H`. */
  model: string;
  /** Thermal design power of one package, W. */
  tdpW: number;
}

/**
 * Finds the TDP of a CPU from its brand string (as in /proc/cpuinfo `model name`), with
 * CodeCarbon's three steps; the first that succeeds wins:
 * 1. the brand equals a table name, ignoring case;
 * 2. the brand with its decorations removed (`(R)`, ` CPU`, the clock speed) equals one;
 * 3. the brand's words and a table name's words are one a subset of the other, and exactly
 *    one row is such a candidate.
 * Unlike CodeCarbon, step 3 also accepts several candidates when they all have the same
 * TDP: the answer does not depend on which of them is meant (the first one names it).
 */
export function lookupCpuTdp(brand: string): CpuTdpMatch | undefined {
  const index = tdpIndex();

  const cleaned = cleanBrand(brand);
  const row =
    index.byLowerName.get(brand.trim().toLowerCase()) ??
    index.byLowerName.get(cleaned.toLowerCase()) ??
    tokenSubsetMatch(index, cleaned);
  // A copy, so that a caller cannot edit the shared table.
  const match = row === undefined ? undefined : index.rows[row];
  return match && { ...match };
}

/**
 * Removes what CPU vendors add around the model name. `Intel(R) Core(TM) i7-8850H CPU @
 * 2.60GHz` becomes `Intel Core(TM) i7-8850H`. Runs of spaces (old Xeons pad their brand)
 * are collapsed, and the clock suffix is matched whatever the case of `GHz`, so that
 * `... @ 2.20Ghz` cleans like `... @ 2.20GHz`.
 */
export function cleanBrand(brand: string): string {
  let cleaned = brand.replaceAll('(R)', '');
  const cpuAt = cleaned.indexOf(' CPU @ ');
  if (cpuAt > 0) cleaned = cleaned.slice(0, cpuAt);
  cleaned = cleaned.replaceAll(' CPU', '').replace(/ @\s*\d+\.\d+GHz/gi, '');
  return cleaned.replace(/\s+/g, ' ').trim();
}

/** Row index of the single token-subset candidate, or of agreeing candidates. */
function tokenSubsetMatch(index: TdpIndex, cleaned: string): number | undefined {
  const brandTokens = tokensOf(cleaned);
  if (brandTokens.length === 0) return undefined;

  // Count, per row, how many brand tokens it contains; a row is a candidate when it holds
  // all brand tokens (brand ⊆ row) or all its tokens are brand tokens (row ⊆ brand).
  const { sharedCounts } = index;
  const touched: number[] = [];
  for (const token of brandTokens) {
    for (const row of index.rowsByToken.get(token) ?? []) {
      if (sharedCounts[row] === 0) touched.push(row);
      sharedCounts[row] = (sharedCounts[row] ?? 0) + 1;
    }
  }
  const candidates = touched
    .filter((row) => {
      const shared = sharedCounts[row];
      return shared === brandTokens.length || shared === index.tokenCounts[row];
    })
    .sort((a, b) => a - b);
  for (const row of touched) sharedCounts[row] = 0;

  const first = candidates[0];
  if (first === undefined) return undefined;
  const tdpW = index.rows[first]?.tdpW;
  return candidates.every((row) => index.rows[row]?.tdpW === tdpW) ? first : undefined;
}

/** Distinct lower-case alphanumeric words of a name. */
function tokensOf(name: string): string[] {
  const words = name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, ' ')
    .split(' ')
    .filter((word) => word !== '');
  return [...new Set(words)];
}

interface TdpTable {
  columns: [string, string];
  rows: Array<[name: string, tdpW: number]>;
}

interface TdpIndex {
  rows: CpuTdpMatch[];
  /** Lower-cased name → first row with that name, in table order. */
  byLowerName: Map<string, number>;
  /** Token → rows containing it, ascending. */
  rowsByToken: Map<string, number[]>;
  /** Number of distinct tokens of each row. */
  tokenCounts: number[];
  /** Scratch space for step 3, all zeros between lookups (lookups are synchronous). */
  sharedCounts: Uint16Array;
}

let cachedIndex: TdpIndex | undefined;

/** Built on the first lookup only (a few ms for ~5,000 rows), so imports stay cheap. */
function tdpIndex(): TdpIndex {
  if (cachedIndex) return cachedIndex;
  const table = loadDataFile<TdpTable>('cpu-tdp.json');

  const index: TdpIndex = {
    rows: [],
    byLowerName: new Map(),
    rowsByToken: new Map(),
    tokenCounts: [],
    sharedCounts: new Uint16Array(table.rows.length),
  };
  for (const [name, tdpW] of table.rows) {
    const row = index.rows.length;
    index.rows.push({ model: name, tdpW });
    const lower = name.toLowerCase();
    if (!index.byLowerName.has(lower)) index.byLowerName.set(lower, row);

    const tokens = tokensOf(name);
    index.tokenCounts.push(tokens.length);
    for (const token of tokens) {
      const rows = index.rowsByToken.get(token);
      if (rows) rows.push(row);
      else index.rowsByToken.set(token, [row]);
    }
  }
  cachedIndex = index;
  return index;
}
