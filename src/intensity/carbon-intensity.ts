import type { IntensitySource } from '../records/emissions-data.js';
import { cloudIntensity } from './cloud-intensity.js';
import { locationIntensity } from './location-intensity.js';

export { type CountryIdentity, normalizeCountryCode } from './country-codes.js';

/** Where the machine runs, as the caller knows it. Every field is optional. */
export interface IntensityQuery {
  /** ISO 3166-1 alpha-3 or alpha-2, any case. */
  countryIsoCode?: string;
  /** US state, Canadian province or territory, or Nordic bidding zone; names or codes. */
  region?: string;
  /** `gcp`, `aws` or `azure`, any case. */
  cloudProvider?: string;
  /** The provider's region (`us-central1`, `us-east-1`, `francecentral`) or a zone in it. */
  cloudRegion?: string;
  /** An intensity the user imposes, g CO2e/kWh; 0 is valid. */
  forcedGPerKwh?: number;
}

export interface IntensityResult {
  /** g CO2e/kWh. */
  intensityGPerKwh: number;
  source: IntensitySource;
  /** ISO 3166-1 alpha-3 actually used (upper case). */
  countryIsoCode?: string;
  countryName?: string;
  /** The regional table's key actually used (`new york`, `quebec`, `SE3`); absent when none. */
  region?: string;
  /** Normalised lower case, when given. */
  cloudProvider?: string;
  /** Normalised lower case, when given. */
  cloudRegion?: string;
  /** Human provenance: table, key, year. */
  detail: string;
  /** Year of the figure, when the table says. */
  dataYear?: number;
  /** Fallbacks and ignored input, for the caller to log once; never thrown. */
  warnings: string[];
}

/**
 * Resolves the grid carbon intensity for a location, most specific first: a forced value, the
 * cloud region, the sub-national region of the country, the country, the world average.
 * It never throws: unusable input becomes a warning and a less specific answer.
 */
export function carbonIntensity(query: IntensityQuery): IntensityResult {
  const warnings: string[] = [];
  let cloud: Pick<IntensityResult, 'cloudProvider' | 'cloudRegion'> = {};
  try {
    const input = readQuery(query, warnings);
    cloud = cloudEcho(input);
    return { ...resolve(input, warnings), ...cloud, warnings };
  } catch (error) {
    // Only a broken installation (unreadable data/ files) or a hostile query object (a getter
    // that throws) gets here.
    const reason = error instanceof Error ? error.message : typeof error;
    warnings.push(
      `Carbon intensity could not be resolved (${reason}); using the world average of ` +
        `${FALLBACK_WORLD_AVERAGE_G_PER_KWH} gCO2e/kWh.`,
    );
    return {
      intensityGPerKwh: FALLBACK_WORLD_AVERAGE_G_PER_KWH,
      source: 'world',
      detail: 'world average (IEA 2019), built in',
      ...cloud,
      warnings,
    };
  }
}

// The same figure as data/countries.json, kept here for when that file cannot be read.
const FALLBACK_WORLD_AVERAGE_G_PER_KWH = 475;

interface CleanQuery {
  countryIsoCode: string | undefined;
  region: string | undefined;
  cloudProvider: string | undefined;
  cloudRegion: string | undefined;
  forcedGPerKwh: number | undefined;
}

function resolve(input: CleanQuery, warnings: string[]): Omit<IntensityResult, 'warnings'> {
  if (input.forcedGPerKwh !== undefined) {
    const detail = `forced by the caller: ${input.forcedGPerKwh} gCO2e/kWh`;
    return { intensityGPerKwh: input.forcedGPerKwh, source: 'forced', detail };
  }

  if (input.cloudProvider !== undefined || input.cloudRegion !== undefined) {
    const location = {
      provider: input.cloudProvider,
      region: input.cloudRegion,
      countryCode: input.countryIsoCode,
      gridRegion: input.region,
    };
    const cloud = cloudIntensity(location, warnings);
    if (cloud !== undefined) return cloud;
  }

  return locationIntensity(input.countryIsoCode, input.region, warnings);
}

// Accepts whatever a JavaScript caller passes: blank strings count as absent, values of the
// wrong type are ignored with a warning.
function readQuery(query: IntensityQuery, warnings: string[]): CleanQuery {
  const raw: Record<string, unknown> =
    typeof query === 'object' && query !== null ? { ...query } : {};
  const text = (name: keyof IntensityQuery): string | undefined => {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      warnings.push(`Ignoring ${name}: expected a string, got ${typeof value}.`);
      return undefined;
    }
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  };
  return {
    countryIsoCode: text('countryIsoCode'),
    region: text('region'),
    cloudProvider: text('cloudProvider'),
    cloudRegion: text('cloudRegion'),
    forcedGPerKwh: readForced(raw.forcedGPerKwh, warnings),
  };
}

function cloudEcho(input: CleanQuery): Pick<IntensityResult, 'cloudProvider' | 'cloudRegion'> {
  const echo: Pick<IntensityResult, 'cloudProvider' | 'cloudRegion'> = {};
  if (input.cloudProvider !== undefined) echo.cloudProvider = input.cloudProvider.toLowerCase();
  if (input.cloudRegion !== undefined) echo.cloudRegion = input.cloudRegion.toLowerCase();
  return echo;
}

function readForced(value: unknown, warnings: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  warnings.push(`Ignoring forcedGPerKwh=${String(value)}: expected a finite number ≥ 0 gCO2e/kWh.`);
  return undefined;
}
