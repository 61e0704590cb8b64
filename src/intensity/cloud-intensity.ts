import {
  type CloudRegion,
  findCloudRegion,
  normalizeCloudProvider,
  PROVIDER_NAMES,
  providersWithRegion,
} from './cloud-regions.js';
import { normalizeCountryCode } from './country-codes.js';
import { findGridRegion } from './grid-regions.js';
import { knownLocationIntensity, type LocationIntensity } from './location-intensity.js';
import { compactName } from './region-names.js';

/** A cloud region's intensity: its provider's published figure, or its location's grid. */
export type CloudIntensity = Omit<LocationIntensity, 'source'> & { source: 'cloud' };

export interface CloudLocation {
  provider?: string;
  region?: string;
  /** The caller's own location, which a known cloud region overrides. */
  countryCode?: string;
  gridRegion?: string;
}

/**
 * Resolves a cloud provider and region. GCP publishes a figure per region; AWS and Azure do
 * not, so their regions resolve through the grid tables at the region's country and state.
 * Returns undefined, with one warning, when the cloud information cannot be used.
 */
export function cloudIntensity(
  cloud: CloudLocation,
  warnings: string[],
): CloudIntensity | undefined {
  const found = findRegion(cloud, warnings);
  if (found === undefined) return undefined;
  warnOverriddenLocation(found, cloud, warnings);

  const name = PROVIDER_NAMES[found.provider] ?? found.provider;
  const country = normalizeCountryCode(found.alpha3);
  if (found.publishedGPerKwh !== undefined) {
    return {
      intensityGPerKwh: found.publishedGPerKwh,
      source: 'cloud',
      countryIsoCode: found.alpha3,
      ...(country === undefined ? {} : { countryName: country.name }),
      detail: `${name} published region figure: ${found.region}`,
    };
  }
  const grid = knownLocationIntensity(found.alpha3, found.state, warnings);
  const place = [found.city, found.state, found.alpha3].filter((part) => part !== '').join(', ');
  return {
    ...grid,
    source: 'cloud',
    detail: `${name} region ${found.region} is in ${place}; ${grid.detail}`,
  };
}

function findRegion(cloud: CloudLocation, warnings: string[]): CloudRegion | undefined {
  const { provider, region } = cloud;
  const instead = 'using the country or region instead.';
  const providerId = provider === undefined ? undefined : normalizeCloudProvider(provider);
  if (provider !== undefined && providerId === undefined) {
    const known = Object.keys(PROVIDER_NAMES).join(', ');
    warnings.push(`Unknown cloud provider "${provider}" (known: ${known}); ${instead}`);
    return undefined;
  }
  if (region === undefined) {
    warnings.push(`Cloud provider "${provider}" was given without a cloud region; ${instead}`);
    return undefined;
  }
  if (providerId === undefined) return guessProvider(region, warnings);

  const found = findCloudRegion(providerId, region);
  if (found === undefined) {
    warnings.push(
      `Cloud region "${region}" of ${providerId} is not in the region table; ${instead}`,
    );
  }
  return found;
}

// A region name without its provider is still usable when only one provider has it.
function guessProvider(region: string, warnings: string[]): CloudRegion | undefined {
  const providers = providersWithRegion(region);
  const [only] = providers;
  if (providers.length === 1 && only !== undefined) {
    warnings.push(`Cloud region "${region}" was given without a provider; assuming ${only}.`);
    return findCloudRegion(only, region);
  }
  const why =
    providers.length > 1
      ? `several providers (${providers.join(', ')}) have it`
      : 'no provider has it';
  warnings.push(
    `Cloud region "${region}" was given without a provider and ${why}; using the country or region instead.`,
  );
  return undefined;
}

// The cloud region says where the machine is, so it wins over a country or region the caller
// also gave; say so when they disagree.
function warnOverriddenLocation(
  found: CloudRegion,
  cloud: CloudLocation,
  warnings: string[],
): void {
  const { countryCode, gridRegion } = cloud;
  const countryAgrees =
    countryCode === undefined || normalizeCountryCode(countryCode)?.alpha3 === found.alpha3;
  const regionAgrees = gridRegion === undefined || sameGridRegion(found, gridRegion);
  if (countryAgrees && regionAgrees) return;

  const given = [
    countryCode === undefined ? '' : `country "${countryCode}"`,
    gridRegion === undefined ? '' : `region "${gridRegion}"`,
  ].filter((part) => part !== '');
  warnings.push(
    `Cloud region ${found.provider}/${found.region} is in ${found.alpha3}; ` +
      `it takes precedence over the given ${given.join(' and ')}.`,
  );
}

function sameGridRegion(found: CloudRegion, gridRegion: string): boolean {
  if (compactName(gridRegion) === compactName(found.state)) return true;
  const cloudKey = findGridRegion(found.alpha3, found.state)?.key;
  return cloudKey !== undefined && findGridRegion(found.alpha3, gridRegion)?.key === cloudKey;
}
