import { canadaProvincesTable, nordicZonesTable, usStatesTable } from './intensity-tables.js';
import { compactName } from './region-names.js';

/** A sub-national grid region found in one of the regional tables. */
export interface GridRegion {
  /** ISO 3166-1 alpha-3 of the region's country. */
  alpha3: string;
  /** The table's key: `new york`, `quebec`, `SE3`. */
  key: string;
  intensityGPerKwh: number;
  dataYear: number;
  /** Human provenance, e.g. `US state table (EIA eGRID 2016): new york`. */
  detail: string;
}

interface RegionTable {
  /** What one entry is, for messages: `state`, `Nordic bidding zone`. */
  noun: string;
  /** Every accepted spelling, compacted (see compactName), → the region. */
  byAlias: Map<string, GridRegion>;
  /** Compacted codes that name this table's country on their own (`usny`, `se3`). */
  countryCodes: Set<string>;
  /** The table's own codes, listed in messages when there are few. */
  codes: string[];
}

/** Whether sub-national figures exist for this country (USA, CAN, SWE, NOR, FIN). */
export function hasRegionTable(alpha3: string): boolean {
  return regionTables().has(alpha3);
}

/**
 * Finds a region of the given country by name, postal code, ISO 3166-2 code or bidding zone,
 * ignoring case, accents, punctuation and spacing.
 */
export function findGridRegion(alpha3: string, region: string): GridRegion | undefined {
  return regionTables().get(alpha3)?.byAlias.get(compactName(region));
}

/** The country that a self-contained region code implies: `US-NY` → USA, `SE3` → SWE. */
export function countryOfRegionCode(region: string): string | undefined {
  const alias = compactName(region);
  for (const [alpha3, table] of regionTables()) {
    if (table.countryCodes.has(alias)) return alpha3;
  }
  return undefined;
}

/** Countries having a region spelt this way, for hints in messages. */
export function countriesWithRegion(region: string): string[] {
  const alias = compactName(region);
  return [...regionTables()].filter(([, table]) => table.byAlias.has(alias)).map(([a3]) => a3);
}

/** Describes what a region of this country should be, e.g. `a Nordic bidding zone of SWE`. */
export function describeRegionTable(alpha3: string): string {
  const table = regionTables().get(alpha3);
  if (table === undefined) return `a region of ${alpha3}`;
  const codes =
    table.codes.length > 0 && table.codes.length <= 13 ? ` (${table.codes.join(', ')})` : '';
  return `a ${table.noun} of ${alpha3}${codes}`;
}

let tables: Map<string, RegionTable> | undefined;

function regionTables(): Map<string, RegionTable> {
  tables ??= new Map([['USA', usStates()], ['CAN', canadaProvinces()], ...nordicZones()]);
  return tables;
}

function usStates(): RegionTable {
  const table = newTable('state');
  const { label, year, rows } = usStatesTable();
  for (const [name, postalCode, intensityGPerKwh] of rows) {
    const region = { alpha3: 'USA', key: name, intensityGPerKwh, dataYear: year };
    addRegion(
      table,
      { ...region, detail: `${label}: ${name}` },
      [name, postalCode],
      `US-${postalCode}`,
    );
  }
  return table;
}

function canadaProvinces(): RegionTable {
  const table = newTable('province or territory');
  const { label, year, rows } = canadaProvincesTable();
  for (const [name, isoCode, intensityGPerKwh] of rows) {
    const region = { alpha3: 'CAN', key: name, intensityGPerKwh, dataYear: year };
    addRegion(table, { ...region, detail: `${label}: ${name}` }, [name, isoCode], `CA-${isoCode}`);
    table.codes.push(isoCode);
  }
  return table;
}

function nordicZones(): [string, RegionTable][] {
  const byCountry = new Map<string, RegionTable>();
  const { label, rows } = nordicZonesTable();
  for (const [zone, alpha3, intensityGPerKwh, dataYear] of rows) {
    const table = byCountry.get(alpha3) ?? newTable('Nordic bidding zone');
    byCountry.set(alpha3, table);
    const detail = `${label}: ${zone} (${dataYear} figure)`;
    addRegion(table, { alpha3, key: zone, intensityGPerKwh, dataYear, detail }, [], zone);
    table.codes.push(zone);
  }
  return [...byCountry];
}

function newTable(noun: string): RegionTable {
  return { noun, byAlias: new Map(), countryCodes: new Set(), codes: [] };
}

function addRegion(table: RegionTable, region: GridRegion, names: string[], code: string): void {
  for (const name of names) table.byAlias.set(compactName(name), region);
  table.byAlias.set(compactName(code), region);
  table.countryCodes.add(compactName(code));
}
