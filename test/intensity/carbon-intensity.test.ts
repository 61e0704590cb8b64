import { describe, expect, it } from 'vitest';
import { carbonIntensity, type IntensityQuery } from '../../src/intensity/carbon-intensity.js';

// Spec §7.8: each row gives energy E (kWh) and the emissions (kg) upstream computes; our
// intensity (g/kWh) × E / 1000 must give the same emissions.
describe('carbonIntensity reproduces the worked examples of spec §7.8', () => {
  const examples: [number, IntensityQuery, number, number, string][] = [
    [1, { countryIsoCode: 'FRA' }, 1, 0.056039, 'country'],
    [2, { countryIsoCode: 'USA', region: 'california' }, 0.3, 0.0615807, 'region'],
    [3, { countryIsoCode: 'USA', region: 'Illinois' }, 0.3, 0.1104023, 'region'],
    [4, { countryIsoCode: 'USA' }, 0.3, 0.1108419, 'country'],
    [5, { countryIsoCode: 'USA', region: 'Quebec' }, 1, 0.369473, 'country'],
    [6, { countryIsoCode: 'CAN' }, 3, 0.510129, 'country'],
    [7, { countryIsoCode: 'CAN', region: 'ontario' }, 3, 0.194167, 'region'],
    [8, { countryIsoCode: 'CAN', region: 'Unknownprov' }, 1, 0.170043, 'country'],
    [9, { countryIsoCode: 'SWE', region: 'SE2' }, 1, 0.018, 'region'],
    [10, { countryIsoCode: 'SWE', region: 'Stockholm' }, 1, 0.040695, 'country'],
    [11, { countryIsoCode: 'FIN', region: 'FI' }, 2.5, 0.18, 'region'],
    [12, { countryIsoCode: 'NOR' }, 1, 0.03008, 'country'],
    [13, { countryIsoCode: 'AAA' }, 1000, 475, 'world'],
    [13, {}, 1000, 475, 'world'],
    [14, { countryIsoCode: 'CAF' }, 1, 0.026, 'country'],
    [15, { cloudProvider: 'gcp', cloudRegion: 'us-central1' }, 10, 4.3, 'cloud'],
    [16, { cloudProvider: 'gcp', cloudRegion: 'europe-west9' }, 1, 0.034, 'cloud'],
    [17, { cloudProvider: 'gcp', cloudRegion: 'northamerica-northeast1' }, 1, 0.002, 'cloud'],
    [20, { forcedGPerKwh: 50, countryIsoCode: 'FRA', cloudProvider: 'gcp' }, 2, 0.1, 'forced'],
  ];

  for (const [row, query, energyKwh, emissionsKg, source] of examples) {
    it(`row ${row}: ${JSON.stringify(query)} → ${emissionsKg} kg for ${energyKwh} kWh`, () => {
      const result = carbonIntensity(query);
      expect((result.intensityGPerKwh * energyKwh) / 1000).toBeCloseTo(emissionsKg, 6);
      expect(result.source).toBe(source);
    });
  }

  // Upstream had no AWS figures, so it fell back to the caller's country (row 18: FRA,
  // 0.056039 kg) or to the world average (row 19: 475 g). We know us-east-1 is in Ashburn,
  // Virginia, and use that state's grid, whatever country the caller gave.
  it('rows 18 and 19: aws/us-east-1 resolves to Virginia, not to FRA or the world average', () => {
    const virginiaGPerKwh = 813.802 * 0.45359237;
    for (const query of [
      { cloudProvider: 'aws', cloudRegion: 'us-east-1', countryIsoCode: 'FRA' },
      { cloudProvider: 'aws', cloudRegion: 'us-east-1' },
    ]) {
      const result = carbonIntensity(query);
      expect(result.intensityGPerKwh).toBeCloseTo(virginiaGPerKwh, 9);
      expect(result).toMatchObject({ source: 'cloud', countryIsoCode: 'USA', region: 'virginia' });
    }
    const withFrance = carbonIntensity({
      cloudProvider: 'aws',
      cloudRegion: 'us-east-1',
      countryIsoCode: 'FRA',
    });
    expect(withFrance.warnings).toEqual([
      'Cloud region aws/us-east-1 is in USA; it takes precedence over the given country "FRA".',
    ]);
  });
});

describe('carbonIntensity pins the table values', () => {
  it.each([
    ['FRA', 56.039],
    ['USA', 369.473],
    ['CAN', 170.043],
    ['NOR', 30.08],
    ['CAF', 26],
  ])('country %s → %d g/kWh', (countryIsoCode, expected) => {
    const result = carbonIntensity({ countryIsoCode });
    expect(result.intensityGPerKwh).toBe(expected);
    expect(result.warnings).toEqual([]);
  });

  it.each([
    ['USA', 'california', 205.269],
    ['USA', 'illinois', 368.008],
    ['CAN', 'ontario', 64.722],
    ['CAN', 'quebec', 3.937],
    ['SWE', 'SE2', 18],
    ['FIN', 'FI', 72],
  ])('%s region %s → %d g/kWh', (countryIsoCode, region, expected) => {
    const result = carbonIntensity({ countryIsoCode, region });
    expect(result.intensityGPerKwh).toBeCloseTo(expected, 3);
    expect(result).toMatchObject({ source: 'region', countryIsoCode, region, warnings: [] });
  });

  it.each([
    ['us-central1', 430],
    ['europe-west9', 34],
    ['northamerica-northeast1', 2],
  ])('GCP %s → the published %d g/kWh', (cloudRegion, expected) => {
    const result = carbonIntensity({ cloudProvider: 'gcp', cloudRegion });
    expect(result.intensityGPerKwh).toBe(expected);
    expect(result.detail).toBe(`GCP published region figure: ${cloudRegion}`);
  });

  it('marks the Central African Republic figure as computed from its generation mix', () => {
    const result = carbonIntensity({ countryIsoCode: 'CAF' });
    expect(result.detail).toContain('2022 generation mix');
    expect(result).toMatchObject({ countryName: 'Central African Republic', dataYear: 2022 });
  });
});

describe('carbonIntensity resolution order', () => {
  it('uses a forced value first, 0 included, and reports no location', () => {
    const result = carbonIntensity({ forcedGPerKwh: 0, countryIsoCode: 'USA', region: 'texas' });
    expect(result).toEqual({
      intensityGPerKwh: 0,
      source: 'forced',
      detail: 'forced by the caller: 0 gCO2e/kWh',
      warnings: [],
    });
  });

  it('ignores a negative or non-finite forced value with a warning', () => {
    for (const forcedGPerKwh of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = carbonIntensity({ forcedGPerKwh, countryIsoCode: 'FRA' });
      expect(result).toMatchObject({ source: 'country', intensityGPerKwh: 56.039 });
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatch(/^Ignoring forcedGPerKwh=/);
    }
  });

  it('prefers a known cloud region over the given country and region', () => {
    const result = carbonIntensity({
      cloudProvider: 'GCP',
      cloudRegion: 'europe-west9',
      countryIsoCode: 'USA',
      region: 'texas',
    });
    expect(result).toMatchObject({
      intensityGPerKwh: 34,
      countryIsoCode: 'FRA',
      countryName: 'France',
    });
    expect(result.warnings).toHaveLength(1);
  });

  it('falls back to the country and region, with one warning, for an unknown cloud region', () => {
    const result = carbonIntensity({
      cloudProvider: 'aws',
      cloudRegion: 'mars-north-1',
      countryIsoCode: 'CAN',
      region: 'QC',
    });
    expect(result).toMatchObject({
      source: 'region',
      region: 'quebec',
      cloudRegion: 'mars-north-1',
    });
    expect(result.warnings).toEqual([
      'Cloud region "mars-north-1" of aws is not in the region table; using the country or region instead.',
    ]);
  });

  it('falls back with one warning for an unknown cloud provider or a provider without region', () => {
    const unknown = carbonIntensity({
      cloudProvider: 'ibm',
      cloudRegion: 'us-south',
      countryIsoCode: 'FRA',
    });
    expect(unknown).toMatchObject({
      source: 'country',
      countryIsoCode: 'FRA',
      cloudProvider: 'ibm',
    });
    expect(unknown.warnings).toHaveLength(1);

    const regionless = carbonIntensity({ cloudProvider: 'aws', countryIsoCode: 'FRA' });
    expect(regionless).toMatchObject({ source: 'country', cloudProvider: 'aws' });
    expect(regionless.warnings).toHaveLength(1);
  });

  it('warns once and uses the country for a region the country has no entry for', () => {
    const result = carbonIntensity({ countryIsoCode: 'USA', region: 'Quebec' });
    expect(result).toMatchObject({ source: 'country', countryIsoCode: 'USA' });
    expect(result.region).toBeUndefined();
    expect(result.warnings).toEqual([
      'Region "Quebec" is not a state of USA; it is a region of CAN; using the USA country value.',
    ]);
  });

  it('says a Nordic region that is not a bidding zone is not one, and uses the country', () => {
    const result = carbonIntensity({ countryIsoCode: 'SWE', region: 'Stockholm County' });
    expect(result).toMatchObject({ source: 'country', intensityGPerKwh: 40.695 });
    expect(result.warnings).toEqual([
      'Region "Stockholm County" is not a Nordic bidding zone of SWE (SE1, SE2, SE3, SE4); using the SWE country value.',
    ]);
  });

  it('uses the country silently where no sub-national table exists', () => {
    const result = carbonIntensity({ countryIsoCode: 'FRA', region: 'Île-de-France' });
    expect(result).toMatchObject({ source: 'country', intensityGPerKwh: 56.039, warnings: [] });
  });

  it('warns and uses the world average for a country without data or without any location', () => {
    expect(carbonIntensity({ countryIsoCode: 'ATA' }).warnings).toEqual([
      'No carbon intensity data for Antarctica (ATA); using the world average of 475 gCO2e/kWh.',
    ]);
    expect(carbonIntensity({}).warnings).toEqual([
      'No country or region was given; using the world average of 475 gCO2e/kWh.',
    ]);
  });

  it('records the provenance of every answer', () => {
    expect(carbonIntensity({ countryIsoCode: 'FRA' })).toMatchObject({
      detail: 'country table (Our World in Data / Ember), 2023: FRA (France)',
      dataYear: 2023,
    });
    expect(carbonIntensity({ countryIsoCode: 'USA', region: 'new york' })).toMatchObject({
      detail: 'US state table (EIA eGRID 2016): new york',
      dataYear: 2016,
    });
    expect(carbonIntensity({})).toMatchObject({ source: 'world', dataYear: 2019 });
    expect(carbonIntensity({}).detail).toMatch(/^world average \(IEA/);
  });
});

describe('carbonIntensity never throws', () => {
  const hostile = Object.defineProperty({}, 'countryIsoCode', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });
  const garbage: unknown[] = [
    undefined,
    null,
    42,
    'FRA',
    [],
    hostile,
    { countryIsoCode: '', region: '', cloudProvider: '', cloudRegion: '' },
    { countryIsoCode: '   ', region: '\u0000', cloudProvider: ' ', cloudRegion: '-' },
    {
      countryIsoCode: 'constructor',
      region: '__proto__',
      cloudProvider: 'toString',
      cloudRegion: 'constructor',
    },
    {
      countryIsoCode: 12,
      region: {},
      cloudProvider: [],
      cloudRegion: Symbol('x'),
      forcedGPerKwh: '50',
    },
    { countryIsoCode: Object.create(null), forcedGPerKwh: Object.create(null) },
    { countryIsoCode: '💥'.repeat(1000), region: 'é'.repeat(10_000), cloudRegion: '-a' },
  ];

  it.each(garbage.map((query, index) => [index, query]))(
    'garbage query #%d → a world or country answer',
    (_, query) => {
      const result = carbonIntensity(query as IntensityQuery);
      expect(result.intensityGPerKwh).toBeGreaterThanOrEqual(0);
      expect(['world', 'country']).toContain(result.source);
      expect(typeof result.detail).toBe('string');
      expect(Array.isArray(result.warnings)).toBe(true);
    },
  );

  it('turns a throwing query into the world average with a warning', () => {
    const result = carbonIntensity(hostile as IntensityQuery);
    expect(result).toMatchObject({ intensityGPerKwh: 475, source: 'world' });
    expect(result.warnings).toEqual([
      'Carbon intensity could not be resolved (boom); using the world average of 475 gCO2e/kWh.',
    ]);
  });
});
