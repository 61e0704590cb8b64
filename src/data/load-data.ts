import { readFileSync } from 'node:fs';

/**
 * Reads one of the generated reference tables in the package's `data/` folder. Tables are
 * read on first use only, so importing the package stays cheap; each file carries its
 * source, licence and year (see scripts/generate-data.mjs).
 */
export function loadDataFile<T>(name: string): T {
  const cached = cache.get(name);
  if (cached !== undefined) return cached as T;
  // src/data/ and dist/data/ are both two levels below the package root.
  const url = new URL(`../../data/${name}`, import.meta.url);
  const parsed = JSON.parse(readFileSync(url, 'utf8')) as T;
  cache.set(name, parsed);
  return parsed;
}

const cache = new Map<string, unknown>();
