import { countriesTable, countryCodesTable } from './intensity-tables.js';

export interface CountryIdentity {
  /** ISO 3166-1 alpha-3, upper case. */
  alpha3: string;
  /** English name: the energy-mix table's when it has the country, else the ISO name. */
  name: string;
}

/**
 * Turns an ISO 3166-1 alpha-3 or alpha-2 code, in any case and with surrounding spaces,
 * into the alpha-3 code and an English name; undefined when it is not a country code.
 */
export function normalizeCountryCode(code: string): CountryIdentity | undefined {
  if (typeof code !== 'string') return undefined;
  const key = code.trim().toUpperCase();
  if (!/^[A-Z]{2,3}$/.test(key)) return undefined;
  return countryIndex().get(key);
}

let index: Map<string, CountryIdentity> | undefined;

// One map for both code lengths: alpha-2 and alpha-3 codes never collide by length.
function countryIndex(): Map<string, CountryIdentity> {
  if (index !== undefined) return index;
  const energyMixNames = new Map(countriesTable().rows.map(([alpha3, name]) => [alpha3, name]));
  const built = new Map<string, CountryIdentity>();
  for (const [alpha2, alpha3, isoName] of countryCodesTable().rows) {
    const identity = { alpha3, name: energyMixNames.get(alpha3) ?? isoName };
    built.set(alpha2, identity);
    built.set(alpha3, identity);
  }
  index = built;
  return built;
}
