import { describe, expect, it } from 'vitest';
import { carbonIntensity } from '../../src/intensity/carbon-intensity.js';
import {
  countryOfRegionCode,
  findGridRegion,
  hasRegionTable,
} from '../../src/intensity/grid-regions.js';
import {
  canadaProvincesTable,
  nordicZonesTable,
  usStatesTable,
} from '../../src/intensity/intensity-tables.js';
import { compactName } from '../../src/intensity/region-names.js';

describe('compactName', () => {
  it('folds case, accents, punctuation and spacing', () => {
    expect(compactName(' Québec ')).toBe('quebec');
    expect(compactName('new-york')).toBe('newyork');
    expect(compactName('New York')).toBe('newyork');
    expect(compactName('CA-QC')).toBe('caqc');
    expect(compactName('Île-de-France')).toBe('iledefrance');
  });
});

describe('findGridRegion', () => {
  it.each(['Québec', 'quebec', 'QC', 'qc', 'CA-QC', 'ca_qc', ' QUEBEC ', 'QUÉBEC'])(
    'finds the province of Quebec spelt %j',
    (spelling) => {
      expect(findGridRegion('CAN', spelling)?.key).toBe('quebec');
    },
  );

  it.each(['New York', 'new york', 'new-york', 'NEW_YORK', 'NY', 'ny', 'US-NY', 'us ny'])(
    'finds the state of New York spelt %j',
    (spelling) => {
      expect(findGridRegion('USA', spelling)?.key).toBe('new york');
    },
  );

  it.each(['se3', 'SE3', 'se-3', 'SE 3'])('finds the Swedish zone SE3 spelt %j', (spelling) => {
    expect(findGridRegion('SWE', spelling)?.key).toBe('SE3');
  });

  it('reaches every table entry by each of its spellings, so no alias shadows another', () => {
    for (const [name, postalCode] of usStatesTable().rows) {
      for (const spelling of [name, postalCode, `US-${postalCode}`]) {
        expect(findGridRegion('USA', spelling)?.key).toBe(name);
      }
    }
    for (const [name, isoCode] of canadaProvincesTable().rows) {
      for (const spelling of [name, isoCode, `CA-${isoCode}`]) {
        expect(findGridRegion('CAN', spelling)?.key).toBe(name);
      }
    }
    for (const [zone, alpha3] of nordicZonesTable().rows) {
      expect(findGridRegion(alpha3, zone)?.key).toBe(zone);
    }
  });

  it('looks only within the given country', () => {
    expect(findGridRegion('USA', 'QC')).toBeUndefined();
    expect(findGridRegion('NOR', 'SE3')).toBeUndefined();
    expect(findGridRegion('FRA', 'paris')).toBeUndefined();
  });

  it('knows which countries have sub-national tables', () => {
    expect(['USA', 'CAN', 'SWE', 'NOR', 'FIN'].every(hasRegionTable)).toBe(true);
    expect(hasRegionTable('FRA')).toBe(false);
  });
});

describe('countryOfRegionCode', () => {
  it('reads the country from ISO 3166-2 codes and bidding zones only', () => {
    expect(countryOfRegionCode('US-NY')).toBe('USA');
    expect(countryOfRegionCode('ca-qc')).toBe('CAN');
    expect(countryOfRegionCode('SE3')).toBe('SWE');
    expect(countryOfRegionCode('no5')).toBe('NOR');
    expect(countryOfRegionCode('FI')).toBe('FIN');
    expect(countryOfRegionCode('NY')).toBeUndefined();
    expect(countryOfRegionCode('quebec')).toBeUndefined();
  });
});

describe('carbonIntensity with a region', () => {
  it.each(['Québec', 'quebec', 'QC', 'CA-QC', ' QUEBEC '])('treats %j as Quebec', (region) => {
    const result = carbonIntensity({ countryIsoCode: 'CAN', region });
    expect(result).toMatchObject({ source: 'region', region: 'quebec', warnings: [] });
    expect(result.intensityGPerKwh).toBeCloseTo(3.937, 3);
  });

  it.each(['New York', 'new-york', 'NY', 'US-NY'])('treats %j as New York', (region) => {
    const result = carbonIntensity({ countryIsoCode: 'usa', region });
    expect(result).toMatchObject({ source: 'region', region: 'new york', warnings: [] });
    expect(result.intensityGPerKwh).toBeCloseTo(210.476, 3);
  });

  it('takes the country from an ISO 3166-2 code or a bidding zone given without one', () => {
    expect(carbonIntensity({ region: 'US-NY' })).toMatchObject({
      countryIsoCode: 'USA',
      countryName: 'United States',
      region: 'new york',
      warnings: [],
    });
    expect(carbonIntensity({ region: 'CA-QC' })).toMatchObject({
      countryIsoCode: 'CAN',
      region: 'quebec',
    });
    expect(carbonIntensity({ region: 'se3' })).toMatchObject({
      countryIsoCode: 'SWE',
      intensityGPerKwh: 18,
    });
  });

  it('does not guess a country from a plain name, but names the candidate', () => {
    const result = carbonIntensity({ region: 'california' });
    expect(result).toMatchObject({ source: 'world', intensityGPerKwh: 475 });
    expect(result.warnings).toEqual([
      'Region "california" was given without a country (it is a region of USA); using the world average of 475 gCO2e/kWh.',
    ]);
  });

  it('uses the country a region code names when the country code is unusable', () => {
    const result = carbonIntensity({ countryIsoCode: 'XX', region: 'CA-QC' });
    expect(result).toMatchObject({ source: 'region', countryIsoCode: 'CAN', region: 'quebec' });
    expect(result.warnings).toHaveLength(1);
  });

  it('keeps a valid country over a region code of another country, with a warning', () => {
    const result = carbonIntensity({ countryIsoCode: 'USA', region: 'CA-QC' });
    expect(result).toMatchObject({
      source: 'country',
      countryIsoCode: 'USA',
      intensityGPerKwh: 369.473,
    });
    expect(result.warnings[0]).toContain('it is a region of CAN');
  });
});
