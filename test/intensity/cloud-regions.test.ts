import { describe, expect, it } from 'vitest';
import { carbonIntensity } from '../../src/intensity/carbon-intensity.js';
import { findCloudRegion, normalizeCloudProvider } from '../../src/intensity/cloud-regions.js';
import { findGridRegion } from '../../src/intensity/grid-regions.js';
import { cloudRegionsTable } from '../../src/intensity/intensity-tables.js';

const lbsPerMwhToGPerKwh = (lbsPerMwh: number) => lbsPerMwh * 0.45359237;

describe('normalizeCloudProvider', () => {
  it('accepts the usual names in any case', () => {
    expect(['AWS', 'aws', 'Amazon Web Services'].map(normalizeCloudProvider)).toEqual([
      'aws',
      'aws',
      'aws',
    ]);
    expect(['gcp', 'GCP', 'Google Cloud'].map(normalizeCloudProvider)).toEqual([
      'gcp',
      'gcp',
      'gcp',
    ]);
    expect(['Azure', 'microsoft azure'].map(normalizeCloudProvider)).toEqual(['azure', 'azure']);
    expect(normalizeCloudProvider('ibm')).toBeUndefined();
    expect(normalizeCloudProvider('constructor')).toBeUndefined();
  });
});

describe('findCloudRegion', () => {
  it('resolves a GCP zone to its region', () => {
    expect(findCloudRegion('gcp', 'us-central1-a')?.region).toBe('us-central1');
    expect(findCloudRegion('gcp', 'europe-west10-a')?.region).toBe('europe-west10');
    expect(findCloudRegion('gcp', 'europe-west1-b')?.region).toBe('europe-west1');
  });

  it('resolves an AWS availability zone to its region', () => {
    expect(findCloudRegion('aws', 'us-east-1a')?.region).toBe('us-east-1');
  });

  it('accepts Azure display names', () => {
    expect(findCloudRegion('azure', 'France Central')?.region).toBe('francecentral');
  });

  it('knows GCP me-central1 (Doha), misspelt me-cenrtal1 in the source', () => {
    expect(findCloudRegion('gcp', 'me-central1')).toMatchObject({
      alpha3: 'QAT',
      publishedGPerKwh: 575,
    });
    expect(findCloudRegion('gcp', 'me-cenrtal1')).toBeUndefined();
  });

  it('maps every AWS and Azure region in the USA or Canada to a state or province of our tables', () => {
    const northAmerican = cloudRegionsTable().rows.filter(
      ([provider, , alpha3]) => provider !== 'gcp' && (alpha3 === 'USA' || alpha3 === 'CAN'),
    );
    expect(northAmerican.length).toBeGreaterThan(15);
    for (const [, , alpha3, state] of northAmerican) {
      expect(findGridRegion(alpha3, state), `${alpha3} ${state}`).toBeDefined();
    }
  });
});

describe('carbonIntensity for AWS and Azure regions', () => {
  it('resolves aws us-east-1 through the Virginia grid', () => {
    const result = carbonIntensity({ cloudProvider: 'AWS', cloudRegion: 'US-EAST-1' });
    expect(result).toMatchObject({
      source: 'cloud',
      countryIsoCode: 'USA',
      region: 'virginia',
      cloudProvider: 'aws',
      cloudRegion: 'us-east-1',
      dataYear: 2016,
      warnings: [],
    });
    expect(result.intensityGPerKwh).toBeCloseTo(lbsPerMwhToGPerKwh(813.802), 9);
    expect(result.detail).toBe(
      'AWS region us-east-1 is in Ashburn, Virginia, USA; US state table (EIA eGRID 2016): virginia',
    );
  });

  it.each([
    ['aws', 'eu-west-3', 'FRA', 56.039],
    ['azure', 'francecentral', 'FRA', 56.039],
    ['aws', 'eu-central-1', 'DEU', 380.95],
    ['aws', 'ap-northeast-1', 'JPN', 485.392],
    ['aws', 'ap-northeast-3', 'JPN', 485.392],
    ['aws', 'ap-east-1', 'HKG', 699.499],
    ['azure', 'northeurope', 'IRL', 290.805],
  ])(
    'resolves %s %s through the %s country figure',
    (cloudProvider, cloudRegion, alpha3, gPerKwh) => {
      const result = carbonIntensity({ cloudProvider, cloudRegion });
      expect(result).toMatchObject({
        source: 'cloud',
        countryIsoCode: alpha3,
        intensityGPerKwh: gPerKwh,
      });
      expect(result.region).toBeUndefined();
      expect(result.warnings).toEqual([]);
    },
  );

  it('uses the province for Canadian regions', () => {
    expect(carbonIntensity({ cloudProvider: 'aws', cloudRegion: 'ca-central-1' })).toMatchObject({
      countryIsoCode: 'CAN',
      region: 'quebec',
    });
    expect(carbonIntensity({ cloudProvider: 'azure', cloudRegion: 'canadacentral' })).toMatchObject(
      {
        countryIsoCode: 'CAN',
        region: 'ontario',
      },
    );
  });

  it('accepts a GCP zone as its region', () => {
    const result = carbonIntensity({ cloudProvider: 'gcp', cloudRegion: 'us-central1-a' });
    expect(result).toMatchObject({
      intensityGPerKwh: 430,
      cloudRegion: 'us-central1-a',
      warnings: [],
    });
    expect(result.detail).toBe('GCP published region figure: us-central1');
  });

  it('guesses the provider of a region only one provider has, and says so', () => {
    const result = carbonIntensity({ cloudRegion: 'europe-west9' });
    expect(result).toMatchObject({ source: 'cloud', intensityGPerKwh: 34 });
    expect(result.warnings).toEqual([
      'Cloud region "europe-west9" was given without a provider; assuming gcp.',
    ]);
  });

  it('does not warn when the given location agrees with the cloud region', () => {
    const result = carbonIntensity({
      cloudProvider: 'azure',
      cloudRegion: 'eastus',
      countryIsoCode: 'US',
      region: 'VA',
    });
    expect(result).toMatchObject({ source: 'cloud', region: 'virginia', warnings: [] });
  });
});
