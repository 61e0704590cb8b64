/**
 * Chooses a run's intensity feed from the configuration, and checks the online settings.
 * A forced intensity ends every lookup. The online tracker locates the machine unless a cloud
 * region is configured (the region says where it is). An Electricity Maps token adds the live
 * intensity, offline too, as in CodeCarbon: it asks for the grid's intensity, not for where
 * the machine is, so the offline tracker asks by country.
 */

import { resolve } from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import type { ResolvedConfig } from '../../config/options.js';
import { userCacheDir } from '../../location/cache-dir.js';
import type { OnceLogger } from '../../log/logger.js';
import type { IntensityFeed } from '../intensity-feed.js';
import { createOnlineIntensityFeed, type OnlineFeedOptions } from '../online-feed.js';

export interface FeedEnvironment {
  /** Environment variables, for the cache directory. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The tracker's clock; its wall time drives the live-intensity period. */
  clock?: () => { wallMs: number };
  /** The user's home (the tracker context's `homeDir`), for the default cache directory. */
  homeDir?: string;
}

/** The feed a run needs, started now; undefined when the static tables suffice. */
export function onlineIntensityFeedFor(
  config: ResolvedConfig & { deprecations?: readonly string[] },
  logger: OnceLogger,
  environment: FeedEnvironment = {},
): IntensityFeed | undefined {
  if (config.forceCarbonIntensity !== undefined) return undefined;
  const token = config.electricitymapsApiToken?.trim() || undefined;
  const configuredCloud = config.cloudProvider !== undefined || config.cloudRegion !== undefined;
  const locate = !config.offline && !configuredCloud;
  if (!locate && token === undefined) return undefined;
  if (token !== undefined) {
    for (const note of config.deprecations ?? []) logger.once(`deprecated:${note}`, 'warn', note);
  }

  const clock = environment.clock;
  const options: OnlineFeedOptions = {
    configured: {
      countryIsoCode: config.countryIsoCode,
      region: config.region,
      cloudProvider: config.cloudProvider,
      cloudRegion: config.cloudRegion,
    },
    waitMs: config.lookupWaitSecs * 1000,
    logger,
    ...(clock ? { nowMs: () => clock().wallMs } : {}),
  };
  if (locate) {
    options.locate = {
      geolocationUrl: config.geolocationUrl,
      cloudMetadataUrl: config.cloudDetection ? config.cloudMetadataUrl : undefined,
      cacheDir: cacheDirectory(config, environment),
      cacheMs: config.locationCacheSecs * 1000,
    };
  }
  if (token !== undefined) {
    options.live = {
      baseUrl: config.electricitymapsUrl,
      token,
      cacheMs: config.electricitymapsCacheSecs * 1000,
      ...(config.country2letterIsoCode ? { zone: config.country2letterIsoCode } : {}),
    };
  }
  return createOnlineIntensityFeed(options);
}

/**
 * Throws a ConfigError for online settings that can never work: a service address that is
 * not an http(s) URL, or a `country_2letter_iso_code` that is not a code. Call it where the
 * tracker is built, so the mistake shows at once rather than as a failed lookup.
 */
export function validateOnlineConfig(config: ResolvedConfig): void {
  const urls: [string, string][] = [
    ['geolocation_url', config.geolocationUrl],
    ['cloud_metadata_url', config.cloudMetadataUrl],
    ['electricitymaps_url', config.electricitymapsUrl],
  ];
  for (const [key, value] of urls) {
    if (!isHttpUrl(value)) reject(config, key, value, 'an http:// or https:// URL');
  }
  const zone = config.country2letterIsoCode;
  if (zone !== undefined && !/^[A-Za-z]{2}(-[A-Za-z0-9]+)*$/.test(zone)) {
    reject(
      config,
      'country_2letter_iso_code',
      zone,
      'an ISO 3166-1 alpha-2 code such as FR, or an Electricity Maps zone such as US-CAL-CISO',
    );
  }
}

function cacheDirectory(config: ResolvedConfig, environment: FeedEnvironment): string {
  if (config.locationCacheDir) return resolve(config.locationCacheDir);
  return userCacheDir({
    env: environment.env ?? process.env,
    ...(environment.homeDir ? { homeDir: environment.homeDir } : {}),
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function reject(config: ResolvedConfig, key: string, value: string, accepted: string): never {
  throw new ConfigError({
    key,
    value,
    source: config.sources[key] ?? { kind: 'default' },
    accepted,
  });
}
