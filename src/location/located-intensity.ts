/**
 * Turns what the lookups found, and what the user configured, into the intensity in force and
 * the place records carry. What the user configured wins over IP geolocation (a VPN or proxy
 * moves the address, not the machine); a cloud region wins over both, as in the offline
 * tracker. A machine that cannot be located gets the configured country or the world average,
 * and its records leave the location empty: a country is never invented.
 */

import { carbonIntensity, type IntensityQuery } from '../intensity/carbon-intensity.js';
import { PROVIDER_NAMES } from '../intensity/cloud-regions.js';
import { normalizeCountryCode } from '../intensity/country-codes.js';
import { findGridRegion } from '../intensity/grid-regions.js';
import type { IntensityNow } from '../intensity/intensity-feed.js';
import type { GeoLocation, GeoOutcome } from './geolocation.js';
import type { MachineLocation } from './machine-location.js';

/** The location as configured (options, environment, config files); every field optional. */
export type ConfiguredLocation = Pick<
  IntensityQuery,
  'countryIsoCode' | 'region' | 'cloudProvider' | 'cloudRegion'
>;

export interface LocatedMessage {
  level: 'info' | 'warn';
  /** Said once per run per key. */
  key: string;
  text: string;
}

export interface LocatedIntensity {
  place: IntensityNow;
  messages: LocatedMessage[];
}

/** The configured location as it stands, for a tracker that looks nothing up. */
export function configuredIntensity(configured: ConfiguredLocation): LocatedIntensity {
  const result = carbonIntensity(configured);
  return { place: result, messages: warningsOf(result.warnings) };
}

/** What applies while the lookup runs: the configured location, or the world average. */
export function provisionalIntensity(configured: ConfiguredLocation): IntensityNow {
  const result = carbonIntensity(configured);
  return {
    ...result,
    detail: `provisional while this machine is being located: ${result.detail}`,
    warnings: [],
  };
}

/** Combines the lookups' answer with the configuration. */
export function locatedIntensity(
  configured: ConfiguredLocation,
  found: MachineLocation,
): LocatedIntensity {
  const messages: LocatedMessage[] = [];
  const { cloud } = found;
  if (cloud.kind === 'unexpected') {
    messages.push({ level: 'warn', key: 'cloud-unexpected', text: cloud.warning });
  }
  if (cloud.kind !== 'cloud') return gridIntensity(configured, found.geo, messages);

  const name = PROVIDER_NAMES[cloud.provider] ?? cloud.provider;
  messages.push({
    level: 'info',
    key: 'cloud-found',
    text: `Running on ${name}, region ${cloud.region} (cloud metadata).`,
  });
  const query = { ...configured, cloudProvider: cloud.provider, cloudRegion: cloud.region };
  const onCloud = carbonIntensity(query);
  messages.push(...warningsOf(onCloud.warnings));
  if (onCloud.source === 'cloud') return { place: { ...onCloud, warnings: [] }, messages };

  // A region missing from the tables: the grid where the machine is, with the cloud named.
  // Like CodeCarbon, records on a cloud carry no coordinates.
  const grid = gridIntensity(configured, found.geo, messages);
  const { latitude: _lat, longitude: _lon, ...place } = grid.place;
  return {
    place: { ...place, cloudProvider: cloud.provider, cloudRegion: cloud.region },
    messages: grid.messages,
  };
}

function gridIntensity(
  configured: ConfiguredLocation,
  geo: GeoOutcome,
  messages: LocatedMessage[],
): LocatedIntensity {
  const given = configured.countryIsoCode ?? configured.region;
  if (!geo.ok) {
    const why = `IP geolocation failed: ${geo.reason}`;
    if (given !== undefined) {
      const result = carbonIntensity(configured);
      messages.push(...warningsOf(result.warnings), {
        level: 'warn',
        key: 'geo-failed',
        text: `Could not locate this machine (${why}); using the configured location.`,
      });
      return { place: note(result, `configured location (${why})`), messages };
    }
    const world = carbonIntensity({});
    messages.push({
      level: 'warn',
      key: 'geo-failed',
      text:
        `Could not locate this machine (${why}); using the world average of ` +
        `${world.intensityGPerKwh} g CO2eq/kWh and leaving the records' location empty. ` +
        'Set country_iso_code (and region) to use your grid.',
    });
    return { place: { ...world, detail: `location unknown (${why}); ${world.detail}` }, messages };
  }

  const location = geo.location;
  const configuredCountry =
    configured.countryIsoCode === undefined
      ? undefined
      : normalizeCountryCode(configured.countryIsoCode);
  if (configuredCountry !== undefined && configuredCountry.alpha3 !== location.countryIsoCode) {
    const result = carbonIntensity(configured);
    messages.push(...warningsOf(result.warnings), {
      level: 'warn',
      key: 'geo-disagrees',
      text:
        `IP geolocation places this machine in ${location.countryName} ` +
        `(${location.countryIsoCode}) but country_iso_code is ${configured.countryIsoCode}; ` +
        'using the configured country (a VPN or proxy can explain the difference).',
    });
    return { place: note(result, 'configured location; IP geolocation disagreed'), messages };
  }

  const region = configured.region ?? tableRegion(location);
  const result = carbonIntensity({ countryIsoCode: location.countryIsoCode, region });
  const where =
    location.region === undefined
      ? location.countryName
      : `${location.region}, ${location.countryName}`;
  messages.push(...warningsOf(result.warnings), {
    level: 'info',
    key: 'geo-found',
    text: `Located this machine by IP geolocation: ${where}.`,
  });
  const place: IntensityNow = note(result, `located by IP geolocation: ${where}`);
  if (location.latitude !== undefined && location.longitude !== undefined) {
    place.latitude = location.latitude;
    place.longitude = location.longitude;
  }
  return { place, messages };
}

// Geolocation names administrative regions; only those in a regional table (US states,
// Canadian provinces) change the intensity, and the others are not worth a warning.
function tableRegion(location: GeoLocation): string | undefined {
  if (location.region === undefined) return undefined;
  return findGridRegion(location.countryIsoCode, location.region) === undefined
    ? undefined
    : location.region;
}

function note(result: IntensityNow, how: string): IntensityNow {
  return { ...result, detail: `${result.detail}; ${how}`, warnings: [] };
}

function warningsOf(warnings: readonly string[]): LocatedMessage[] {
  return warnings.map((text) => ({ level: 'warn', key: `intensity:${text}`, text }));
}
