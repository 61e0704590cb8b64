/**
 * Where this machine is: IP geolocation and cloud detection, run in parallel and shared by
 * every tracker on the machine through the per-machine cache, so many processes starting
 * together make one lookup.
 */

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type CloudOutcome, DEFAULT_CLOUD_BUDGET_MS, detectCloud } from './cloud-metadata.js';
import { type GeoLocation, type GeoOutcome, lookupGeolocation } from './geolocation.js';
import { type SharedLookupResult, sharedLookup } from './shared-lookup.js';

export interface MachineLocation {
  geo: GeoOutcome;
  /** `none` also when cloud detection is off. */
  cloud: CloudOutcome;
}

export interface LocateOptions {
  geolocationUrl: string;
  /** Base address of the metadata services; undefined turns cloud detection off. */
  cloudMetadataUrl: string | undefined;
  /** Directory of the per-machine cache. */
  cacheDir: string;
  /** How long an answer is reused, ms; 0: no cache, every tracker looks up. */
  cacheMs: number;
  /** Per geolocation attempt, ms. Default 1000. */
  geolocationTimeoutMs?: number;
  /** Total for the cloud probes, ms. Default 1000. */
  cloudBudgetMs?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
  /** Wall clock for the cache, ms. Default `Date.now`. */
  now?: () => number;
  onProblem?: (message: string) => void;
}

/** A failed lookup is retried by the next tracker after this long at most, ms. */
export const FAILURE_LIFETIME_MS = 60_000;

export const DEFAULT_GEOLOCATION_TIMEOUT_MS = 1000;

/** Looks the machine up, or reads the answer another tracker got. Never rejects. */
export function locateMachine(
  options: LocateOptions,
): Promise<SharedLookupResult<MachineLocation>> {
  return sharedLookup<MachineLocation>({
    file: join(options.cacheDir, cacheFileName(options)),
    lookup: (signal) => lookUp(options, signal),
    lifetimeMs: (found) => (isFailure(found) ? FAILURE_LIFETIME_MS : options.cacheMs),
    maxAgeMs: options.cacheMs,
    parse: parseMachineLocation,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.onProblem ? { onProblem: options.onProblem } : {}),
  });
}

async function lookUp(options: LocateOptions, signal?: AbortSignal): Promise<MachineLocation> {
  const withSignal = signal ? { signal } : {};
  const cloudUrl = options.cloudMetadataUrl;
  const [geo, cloud] = await Promise.all([
    lookupGeolocation({
      url: options.geolocationUrl,
      timeoutMs: options.geolocationTimeoutMs ?? DEFAULT_GEOLOCATION_TIMEOUT_MS,
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
      ...withSignal,
    }),
    cloudUrl === undefined
      ? Promise.resolve<CloudOutcome>({ kind: 'none' })
      : detectCloud({
          baseUrl: cloudUrl,
          budgetMs: options.cloudBudgetMs ?? DEFAULT_CLOUD_BUDGET_MS,
          ...withSignal,
        }),
  ]);
  return { geo, cloud };
}

// One file per configuration: trackers pointed at other services never read each other's answer.
function cacheFileName(options: LocateOptions): string {
  const key = JSON.stringify([options.geolocationUrl, options.cloudMetadataUrl ?? null]);
  return `location-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`;
}

function isFailure(found: MachineLocation): boolean {
  return !found.geo.ok || found.cloud.kind === 'unexpected';
}

/** Checks a cached answer field by field; anything unexpected is a cache miss. */
export function parseMachineLocation(value: unknown): MachineLocation | undefined {
  if (!isObject(value)) return undefined;
  const geo = parseGeo(value.geo);
  const cloud = parseCloud(value.cloud);
  return geo && cloud ? { geo, cloud } : undefined;
}

function parseGeo(value: unknown): GeoOutcome | undefined {
  if (!isObject(value)) return undefined;
  if (value.ok === false) {
    return typeof value.reason === 'string' ? { ok: false, reason: value.reason } : undefined;
  }
  const found = value.location;
  if (value.ok !== true || !isObject(found)) return undefined;
  const { countryIsoCode, countryName, region, latitude, longitude } = found;
  if (typeof countryIsoCode !== 'string' || typeof countryName !== 'string') return undefined;
  const location: GeoLocation = { countryIsoCode, countryName };
  if (typeof region === 'string') location.region = region;
  if (typeof latitude === 'number' && typeof longitude === 'number') {
    Object.assign(location, { latitude, longitude });
  }
  return { ok: true, location };
}

function parseCloud(value: unknown): CloudOutcome | undefined {
  if (!isObject(value)) return undefined;
  if (value.kind === 'none') return { kind: 'none' };
  if (value.kind === 'unexpected' && typeof value.warning === 'string') {
    return { kind: 'unexpected', warning: value.warning };
  }
  const { provider, region } = value;
  if (value.kind !== 'cloud' || typeof region !== 'string') return undefined;
  if (provider !== 'aws' && provider !== 'azure' && provider !== 'gcp') return undefined;
  return { kind: 'cloud', provider, region };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
