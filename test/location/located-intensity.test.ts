import { describe, expect, it } from 'vitest';
import type { CloudOutcome } from '../../src/location/cloud-metadata.js';
import type { GeoOutcome } from '../../src/location/geolocation.js';
import {
  configuredIntensity,
  locatedIntensity,
  provisionalIntensity,
} from '../../src/location/located-intensity.js';

const CHICAGO: GeoOutcome = {
  ok: true,
  location: {
    countryIsoCode: 'USA',
    countryName: 'United States',
    region: 'Illinois',
    latitude: 41.85,
    longitude: -87.65,
  },
};
const NO_CLOUD: CloudOutcome = { kind: 'none' };
const FAILED: GeoOutcome = { ok: false, reason: 'timed out (no answer within 1000 ms)' };

describe('locatedIntensity', () => {
  it('uses the geolocated state and keeps the coordinates', () => {
    const { place, messages } = locatedIntensity({}, { geo: CHICAGO, cloud: NO_CLOUD });
    expect(place).toMatchObject({
      source: 'region',
      countryIsoCode: 'USA',
      countryName: 'United States',
      region: 'illinois',
      latitude: 41.85,
      longitude: -87.65,
    });
    expect(place.intensityGPerKwh).toBeCloseTo(368.008, 3);
    expect(place.detail).toMatch(/located by IP geolocation: Illinois, United States$/);
    expect(messages.map((m) => m.key)).toEqual(['geo-found']);
  });

  it('uses the country, without a warning, when the geolocated region is in no table', () => {
    const stockholm: GeoOutcome = {
      ok: true,
      location: { countryIsoCode: 'SWE', countryName: 'Sweden', region: 'Stockholm County' },
    };
    const { place, messages } = locatedIntensity({}, { geo: stockholm, cloud: NO_CLOUD });
    expect(place).toMatchObject({
      source: 'country',
      countryIsoCode: 'SWE',
      intensityGPerKwh: 40.695,
    });
    expect(place.region).toBeUndefined();
    expect(messages.filter((m) => m.level === 'warn')).toEqual([]);
  });

  it('falls back to the world average with an empty location, never to an invented country', () => {
    const { place, messages } = locatedIntensity({}, { geo: FAILED, cloud: NO_CLOUD });
    expect(place).toMatchObject({ source: 'world', intensityGPerKwh: 475 });
    expect(place.countryIsoCode).toBeUndefined();
    expect(place.countryName).toBeUndefined();
    expect(place.region).toBeUndefined();
    expect(place.latitude).toBeUndefined();
    expect(place.detail).toMatch(/^location unknown \(IP geolocation failed: timed out/);
    expect(messages).toEqual([
      expect.objectContaining({
        level: 'warn',
        key: 'geo-failed',
        text: expect.stringContaining('world average of 475'),
      }),
    ]);
  });

  it('falls back to the configured country when the machine cannot be located', () => {
    const { place, messages } = locatedIntensity(
      { countryIsoCode: 'FRA' },
      { geo: FAILED, cloud: NO_CLOUD },
    );
    expect(place).toMatchObject({
      source: 'country',
      countryIsoCode: 'FRA',
      intensityGPerKwh: 56.039,
    });
    expect(place.detail).toMatch(/configured location \(IP geolocation failed/);
    expect(messages[0]?.text).toMatch(/using the configured location/);
  });

  it('keeps the configured country when geolocation disagrees (VPN), and says so', () => {
    const { place, messages } = locatedIntensity(
      { countryIsoCode: 'fr' },
      { geo: CHICAGO, cloud: NO_CLOUD },
    );
    expect(place).toMatchObject({ countryIsoCode: 'FRA', source: 'country' });
    expect(place.latitude).toBeUndefined();
    expect(messages[0]?.text).toMatch(
      /places this machine in United States \(USA\) but country_iso_code is fr/,
    );
  });

  it('refines a configured country with the geolocated region when they agree', () => {
    const { place } = locatedIntensity({ countryIsoCode: 'US' }, { geo: CHICAGO, cloud: NO_CLOUD });
    expect(place).toMatchObject({ source: 'region', region: 'illinois', latitude: 41.85 });
  });

  it('resolves a detected GCP region through its published figure, without coordinates', () => {
    const cloud: CloudOutcome = { kind: 'cloud', provider: 'gcp', region: 'us-central1' };
    const { place, messages } = locatedIntensity({}, { geo: CHICAGO, cloud });
    expect(place).toMatchObject({
      source: 'cloud',
      cloudProvider: 'gcp',
      cloudRegion: 'us-central1',
      countryIsoCode: 'USA',
    });
    expect(place.latitude).toBeUndefined();
    expect(messages.map((m) => m.text)).toContain(
      'Running on GCP, region us-central1 (cloud metadata).',
    );
  });

  it('keeps AWS and Azure on the cloud, resolved through the grid of the region (CodeCarbon drops them)', () => {
    const aws = locatedIntensity(
      {},
      { geo: CHICAGO, cloud: { kind: 'cloud', provider: 'aws', region: 'eu-west-3' } },
    );
    expect(aws.place).toMatchObject({
      source: 'cloud',
      cloudProvider: 'aws',
      cloudRegion: 'eu-west-3',
      countryIsoCode: 'FRA',
    });
    const azure = locatedIntensity(
      {},
      { geo: FAILED, cloud: { kind: 'cloud', provider: 'azure', region: 'westeurope' } },
    );
    expect(azure.place).toMatchObject({
      source: 'cloud',
      cloudProvider: 'azure',
      countryIsoCode: 'NLD',
    });
  });

  it('uses the geolocated grid for a cloud region missing from the tables, still naming the cloud', () => {
    const cloud: CloudOutcome = { kind: 'cloud', provider: 'aws', region: 'xx-nowhere-9' };
    const { place, messages } = locatedIntensity({}, { geo: CHICAGO, cloud });
    expect(place).toMatchObject({
      source: 'region',
      region: 'illinois',
      cloudProvider: 'aws',
      cloudRegion: 'xx-nowhere-9',
    });
    expect(place.latitude).toBeUndefined();
    expect(messages.some((m) => m.level === 'warn' && m.text.includes('xx-nowhere-9'))).toBe(true);
  });

  it('passes on the warning about unexpected cloud metadata and uses the grid', () => {
    const cloud: CloudOutcome = {
      kind: 'unexpected',
      warning: 'Cloud metadata answered unexpectedly',
    };
    const { place, messages } = locatedIntensity({}, { geo: CHICAGO, cloud });
    expect(place.source).toBe('region');
    expect(place.cloudProvider).toBeUndefined();
    expect(messages[0]).toEqual({ level: 'warn', key: 'cloud-unexpected', text: cloud.warning });
  });
});

describe('provisionalIntensity and configuredIntensity', () => {
  it('stand for the configured place (or the world) until the lookup answers', () => {
    expect(provisionalIntensity({})).toMatchObject({
      source: 'world',
      intensityGPerKwh: 475,
      warnings: [],
    });
    expect(provisionalIntensity({ countryIsoCode: 'FRA' }).detail).toMatch(
      /^provisional while this machine is being located/,
    );
    expect(configuredIntensity({ countryIsoCode: 'FRA' }).place.countryIsoCode).toBe('FRA');
  });
});
