import type { IntensitySource } from '../records/emissions-data.js';
import { type CountryIdentity, normalizeCountryCode } from './country-codes.js';
import { countryIntensity, worldAverage } from './country-intensity.js';
import {
  countriesWithRegion,
  countryOfRegionCode,
  describeRegionTable,
  findGridRegion,
  hasRegionTable,
} from './grid-regions.js';

/** An intensity resolved from the grid tables, before any cloud information is added. */
export interface LocationIntensity {
  intensityGPerKwh: number;
  source: Extract<IntensitySource, 'region' | 'country' | 'world'>;
  countryIsoCode?: string;
  countryName?: string;
  region?: string;
  detail: string;
  dataYear?: number;
}

/**
 * Resolves a location the caller gave: its sub-national region when the region is in a
 * table, else its country, else the world average. Every fallback adds one warning.
 */
export function locationIntensity(
  countryCode: string | undefined,
  region: string | undefined,
  warnings: string[],
): LocationIntensity {
  const country = resolveCountry(countryCode, region, warnings);
  if ('missing' in country) return worldIntensity(country.missing, warnings);

  if (region !== undefined && hasRegionTable(country.alpha3)) {
    const found = regionIntensity(country, region);
    if (found !== undefined) return found;
    warnings.push(notARegionMessage(region, country.alpha3));
  }
  return countryOrWorld(country, warnings);
}

/**
 * Resolves a location taken from our own tables (a cloud region's country and state). A state
 * outside the regional tables (`Leinster`, `Gauteng`) is expected and warns nothing.
 */
export function knownLocationIntensity(
  alpha3: string,
  state: string,
  warnings: string[],
): LocationIntensity {
  const country = normalizeCountryCode(alpha3);
  if (country === undefined) return worldIntensity(`Unknown country code "${alpha3}"`, warnings);
  const inRegion = state === '' ? undefined : regionIntensity(country, state);
  return inRegion ?? countryOrWorld(country, warnings);
}

function resolveCountry(
  countryCode: string | undefined,
  region: string | undefined,
  warnings: string[],
): CountryIdentity | { missing: string } {
  const given = countryCode === undefined ? undefined : normalizeCountryCode(countryCode);
  if (given !== undefined) return given;

  // `US-NY` or `SE3` names its country, so it can stand in for a missing or wrong one.
  const impliedAlpha3 = region === undefined ? undefined : countryOfRegionCode(region);
  const implied = impliedAlpha3 === undefined ? undefined : normalizeCountryCode(impliedAlpha3);
  const unknownCode = `Unknown country code "${countryCode}" (expected ISO 3166-1 alpha-3 or alpha-2)`;
  if (implied !== undefined) {
    if (countryCode !== undefined) {
      warnings.push(`${unknownCode}; using ${implied.alpha3}, named by region "${region}".`);
    }
    return implied;
  }

  if (countryCode !== undefined) return { missing: unknownCode };
  if (region !== undefined) {
    const owners = countriesWithRegion(region);
    const hint = owners.length > 0 ? ` (it is a region of ${owners.join(', ')})` : '';
    return { missing: `Region "${region}" was given without a country${hint}` };
  }
  return { missing: 'No country or region was given' };
}

function regionIntensity(country: CountryIdentity, region: string): LocationIntensity | undefined {
  const found = findGridRegion(country.alpha3, region);
  if (found === undefined) return undefined;
  return {
    intensityGPerKwh: found.intensityGPerKwh,
    source: 'region',
    countryIsoCode: country.alpha3,
    countryName: country.name,
    region: found.key,
    detail: found.detail,
    dataYear: found.dataYear,
  };
}

function countryOrWorld(country: CountryIdentity, warnings: string[]): LocationIntensity {
  const found = countryIntensity(country.alpha3);
  if (found === undefined) {
    return worldIntensity(
      `No carbon intensity data for ${country.name} (${country.alpha3})`,
      warnings,
    );
  }
  return {
    intensityGPerKwh: found.intensityGPerKwh,
    source: 'country',
    countryIsoCode: country.alpha3,
    countryName: found.name,
    detail: found.detail,
    dataYear: found.dataYear,
  };
}

function worldIntensity(reason: string, warnings: string[]): LocationIntensity {
  const world = worldAverage();
  warnings.push(`${reason}; using the world average of ${world.intensityGPerKwh} gCO2e/kWh.`);
  return { ...world, source: 'world' };
}

function notARegionMessage(region: string, alpha3: string): string {
  const owners = countriesWithRegion(region).filter((owner) => owner !== alpha3);
  const hint = owners.length > 0 ? `; it is a region of ${owners.join(', ')}` : '';
  return (
    `Region "${region}" is not ${describeRegionTable(alpha3)}${hint}; ` +
    `using the ${alpha3} country value.`
  );
}
