import { describe, expect, it } from 'vitest';
import { carbonIntensity, normalizeCountryCode } from '../../src/intensity/carbon-intensity.js';

describe('normalizeCountryCode', () => {
  it.each(['FRA', 'fra', 'Fra', 'FR', 'fr', ' fr ', '\tFRA\n'])('reads %j as France', (code) => {
    expect(normalizeCountryCode(code)).toEqual({ alpha3: 'FRA', name: 'France' });
  });

  it('prefers the energy table name and falls back to the ISO name', () => {
    expect(normalizeCountryCode('us')).toEqual({ alpha3: 'USA', name: 'United States' });
    expect(normalizeCountryCode('AQ')).toEqual({ alpha3: 'ATA', name: 'Antarctica' });
  });

  it.each(['', ' ', 'AAA', 'XX', 'F', 'FRAN', 'France', 'F-R', '12', 'constructor'])(
    'rejects %j',
    (code) => {
      expect(normalizeCountryCode(code)).toBeUndefined();
    },
  );
});

describe('carbonIntensity with a country code', () => {
  it.each(['FRA', 'fra', 'FR', 'fr', ' Fr '])('gives France for %j', (countryIsoCode) => {
    expect(carbonIntensity({ countryIsoCode })).toMatchObject({
      intensityGPerKwh: 56.039,
      source: 'country',
      countryIsoCode: 'FRA',
      countryName: 'France',
      warnings: [],
    });
  });

  it('warns about an unknown code and uses the world average', () => {
    const result = carbonIntensity({ countryIsoCode: 'AAA' });
    expect(result).toMatchObject({ intensityGPerKwh: 475, source: 'world' });
    expect(result.countryIsoCode).toBeUndefined();
    expect(result.warnings).toEqual([
      'Unknown country code "AAA" (expected ISO 3166-1 alpha-3 or alpha-2); using the world average of 475 gCO2e/kWh.',
    ]);
  });
});
