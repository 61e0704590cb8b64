import { cloudRegionsTable } from './intensity-tables.js';
import { compactName } from './region-names.js';

/** A cloud provider's region and where it is. */
export interface CloudRegion {
  /** `gcp`, `aws` or `azure`. */
  provider: string;
  /** The provider's region name, e.g. `us-central1`, `us-east-1`, `francecentral`. */
  region: string;
  /** ISO 3166-1 alpha-3 of the country the region is in. */
  alpha3: string;
  /** State or province as the source names it; empty when unknown. */
  state: string;
  city: string;
  /** The provider's own published grid intensity (GCP only), g CO2e/kWh. */
  publishedGPerKwh?: number;
}

export const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'GCP',
};

/** `AWS`, `Google Cloud`, `azure` … → `aws`, `gcp`, `azure`; undefined when unknown. */
export function normalizeCloudProvider(name: string): string | undefined {
  return PROVIDER_ALIASES.get(compactName(name));
}

/**
 * Finds a provider's region. Names compare ignoring case and punctuation, so Azure's display
 * names work (`France Central`), and a zone resolves to its region: GCP `us-central1-a` and
 * AWS `us-east-1a` (a trailing letter after the region's final number).
 */
export function findCloudRegion(provider: string, region: string): CloudRegion | undefined {
  const regions = cloudRegions().get(provider);
  if (regions === undefined) return undefined;
  const key = compactName(region);
  return regions.get(key) ?? regions.get(key.replace(/(\d)[a-z]$/, '$1'));
}

/** Providers that have a region spelt this way. */
export function providersWithRegion(region: string): string[] {
  return [...cloudRegions().keys()].filter((provider) => findCloudRegion(provider, region));
}

// A Map, not an object literal, so that input like `constructor` finds nothing.
const PROVIDER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['aws', 'aws'],
  ['amazon', 'aws'],
  ['amazonwebservices', 'aws'],
  ['azure', 'azure'],
  ['microsoftazure', 'azure'],
  ['gcp', 'gcp'],
  ['google', 'gcp'],
  ['googlecloud', 'gcp'],
  ['googlecloudplatform', 'gcp'],
]);

let regionsByProvider: Map<string, Map<string, CloudRegion>> | undefined;

function cloudRegions(): Map<string, Map<string, CloudRegion>> {
  if (regionsByProvider !== undefined) return regionsByProvider;
  const built = new Map<string, Map<string, CloudRegion>>();
  for (const [provider, region, alpha3, state, city, published] of cloudRegionsTable().rows) {
    const regions = built.get(provider) ?? new Map<string, CloudRegion>();
    built.set(provider, regions);
    const entry: CloudRegion = { provider, region, alpha3, state, city };
    if (published !== null) entry.publishedGPerKwh = published;
    regions.set(compactName(region), entry);
  }
  regionsByProvider = built;
  return built;
}
