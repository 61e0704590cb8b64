import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import type { TrackerOptions } from '../../../src/config/options.js';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import {
  onlineIntensityFeedFor,
  validateOnlineConfig,
} from '../../../src/intensity/live/online-settings.js';
import { OnceLogger, silentLogger } from '../../../src/log/logger.js';
import { tempDir } from '../../location/temp-dir.js';

function config(options: TrackerOptions, env: Record<string, string> = {}) {
  const dir = tempDir();
  // Every address points at a host that cannot exist, should anything be sent.
  return resolveConfig(
    {
      geolocationUrl: 'http://geolocation.invalid/geo.json',
      cloudMetadataUrl: 'http://metadata.invalid',
      electricitymapsUrl: 'http://electricitymaps.invalid/v3',
      locationCacheDir: dir,
      ...options,
    },
    { env, cwd: dir, homeDir: dir },
  );
}

function feedFor(options: TrackerOptions) {
  const feed = onlineIntensityFeedFor(config(options), new OnceLogger(silentLogger));
  feed?.close();
  return feed;
}

describe('onlineIntensityFeedFor', () => {
  it('leaves the static tables in charge when nothing needs the network', () => {
    expect(feedFor({ offline: true, countryIsoCode: 'FRA' })).toBeUndefined();
    expect(feedFor({ cloudProvider: 'gcp', cloudRegion: 'us-central1' })).toBeUndefined();
    expect(feedFor({ forceCarbonIntensity: 12, electricitymapsApiToken: 'tok' })).toBeUndefined();
  });

  it('makes a feed for the online tracker, and for any tracker with a token', () => {
    expect(feedFor({})).toBeDefined();
    expect(feedFor({ countryIsoCode: 'FRA' })).toBeDefined();
    expect(
      feedFor({ offline: true, countryIsoCode: 'FRA', electricitymapsApiToken: 'tok' }),
    ).toBeDefined();
  });

  it('starts provisional: the lookups have not answered yet', () => {
    const feed = onlineIntensityFeedFor(config({}), new OnceLogger(silentLogger));
    expect(feed?.current()).toMatchObject({ provisional: true });
    feed?.close();
  });
});

describe('validateOnlineConfig', () => {
  it('accepts the defaults and a zone for country_2letter_iso_code', () => {
    const dir = tempDir();
    expect(() =>
      validateOnlineConfig(resolveConfig({}, { env: {}, cwd: dir, homeDir: dir })),
    ).not.toThrow();
    expect(() =>
      validateOnlineConfig(config({ country2letterIsoCode: 'US-CAL-CISO' })),
    ).not.toThrow();
  });

  it('rejects a service address that is not an http(s) URL, naming key, value and source', () => {
    const error = (() => {
      try {
        const dir = tempDir();
        const env = { CODECARBON_GEOLOCATION_URL: 'get.geojs.io/v1/ip/geo.json' };
        validateOnlineConfig(resolveConfig({}, { env, cwd: dir, homeDir: dir }));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('geolocation_url');
    expect((error as ConfigError).message).toContain('CODECARBON_GEOLOCATION_URL');
    expect((error as ConfigError).message).toContain('an http:// or https:// URL');
    expect(() => validateOnlineConfig(config({ electricitymapsUrl: 'ftp://x.invalid' }))).toThrow(
      /electricitymaps_url/,
    );
  });

  it('rejects a country_2letter_iso_code that is not a code', () => {
    expect(() => validateOnlineConfig(config({ country2letterIsoCode: 'France' }))).toThrow(
      /country_2letter_iso_code/,
    );
  });
});
