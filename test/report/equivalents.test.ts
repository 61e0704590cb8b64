import { describe, expect, it } from 'vitest';
import { EQUIVALENT_FACTORS, equivalentsOf } from '../../src/report/equivalents.js';

describe('everyday equivalents', () => {
  it('turns emissions into km driven: 8,887 g CO2 per gallon at 22 mpg (US EPA) = 251 g/km', () => {
    const [car] = equivalentsOf({ emissionsKg: 1, energyKwh: 0 });
    expect(car?.factor).toBeCloseTo(8887 / 22 / 1.609344, 9);
    expect(car?.factor).toBeCloseTo(251.0, 1);
    expect(car?.value).toBeCloseTo(1000 / 251.0057, 3);
    expect(car?.source).toMatch(/US EPA/);
    expect(car?.url).toMatch(/^https:\/\/www\.epa\.gov\//);
  });

  it('turns energy, not emissions, into hours of a 100 W TV', () => {
    const tv = equivalentsOf({ emissionsKg: 123, energyKwh: 1 }).find((e) => e.id === 'tv-hours');
    expect(tv).toMatchObject({ basis: 'energy', factor: 100, unit: 'h', value: 10 });
    expect(tv?.source).toMatch(/ENERGY STAR/);
  });

  it('states a factor and a source for every equivalent', () => {
    for (const factor of EQUIVALENT_FACTORS) {
      expect(factor.factorText).not.toBe('');
      expect(factor.source).not.toBe('');
      expect(factor.url).toMatch(/^https:\/\//);
    }
  });
});
