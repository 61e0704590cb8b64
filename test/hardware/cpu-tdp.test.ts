import { describe, expect, it } from 'vitest';
import { cleanBrand, lookupCpuTdp } from '../../src/hardware/cpu-tdp.js';

describe('lookupCpuTdp', () => {
  describe('finds the CPUs CodeCarbon finds', () => {
    it.each([
      ['Intel(R) Core(TM) i7-8850H CPU @ 2.60GHz', 'Intel Core i7-8850H', 45],
      ['Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz', 'Intel Xeon E5-2620 v3', 85],
      ['AMD Ryzen Threadripper 1950X 16-Core Processor', 'AMD Ryzen Threadripper 1950X', 180],
      ['AMD EPYC 7742 64-Core Processor', 'AMD EPYC 7742', 225],
      ['AMD Ryzen 5 3600 6-Core Processor', 'AMD Ryzen 5 3600', 65],
      ['Intel(R) Core(TM) i5-8265U CPU @ 1.60GHz', 'Intel Core i5-8265U', 15],
      ['Apple M1', 'Apple M1', 10],
      ['Intel(R) Xeon(R) Gold 6330N CPU @ 2.20Ghz', 'Intel Xeon Gold 6330N', 165],
      ['Intel(R) Xeon(R) Platinum 8480+', 'Intel Xeon Platinum 8480+', 350],
      ['AMD EPYC 9654 96-Core Processor', 'AMD EPYC 9654', 360],
      ['Intel(R) Core(TM) i7-7600U CPU @ 2.80GHz', 'Intel Core i7-7600U', 15],
      ['Intel(R) Core(TM) Ultra 7 265H', 'Intel Core Ultra 7 265H', 28],
      ['Intel(R) Xeon(R) CPU E3-1240 V2 @ 3.40GHz', 'Intel Xeon E3-1240 v2', 69],
      ['AMD EPYC 8024P 8-Core Processor', 'AMD EPYC 8024P', 90],
      ['Intel(R) Core(TM) i9-9900K CPU @ 3.60GHz', 'Intel Core i9-9900K', 95],
      ['Intel Core i7-8850H', 'Intel Core i7-8850H', 45],
      ['AMD Ryzen Threadripper 1950X', 'AMD Ryzen Threadripper 1950X', 180],
      ['Intel(R) Xeon(R) Silver 4208 CPU @ 2.10GHz', 'Intel Xeon Silver 4208', 85],
    ])('%s → %s, %i W', (brand, model, tdpW) => {
      expect(lookupCpuTdp(brand)).toEqual({ model, tdpW });
    });
  });

  describe('matches partial and differently written names when one row fits', () => {
    it.each([
      ['amd ryzen 3 1200', 'AMD Ryzen 3 1200'],
      ['AMD Ryzen 1950', 'AMD Ryzen Threadripper 1950'],
      ['5800K', 'AMD A10-5800K'],
      ['AMD Ryzen 1950x', 'AMD Ryzen Threadripper 1950X'],
      ['AMD Ryzen Threadripper 1950 16-Core Processor', 'AMD Ryzen Threadripper 1950'],
      ['AMD 4600M', 'AMD A10-4600M'],
    ])('%s → %s', (brand, model) => {
      expect(lookupCpuTdp(brand)?.model).toBe(model);
    });
  });

  describe('gives no TDP when nothing or several different TDPs fit', () => {
    it.each([
      'Apple M2 Max',
      '13th Gen Intel(R) Core(TM) i7-13700K',
      'Intel(R) Xeon(R) Processor',
      'Intel 5800K',
      'AMD Ryzen 3',
      'AMD Ryzen PRO 3',
      'AMD A10-4600',
      'AMD A10-4650M',
      'AMD Threadripper 1950X 16-Core Processor',
      'Mystery CPU',
      '',
      '   ',
      '(R) @ ',
    ])('%j → none', (brand) => {
      expect(lookupCpuTdp(brand)).toBeUndefined();
    });
  });

  it('accepts several candidates that share one TDP, named after the first in the table', () => {
    // CodeCarbon rejects this brand as ambiguous (tests/test_cpu.py): both `AMD Ryzen 3 1200`
    // and `AMD Ryzen 3 PRO 1200` fit. Both are 65 W, so the power is not in doubt; we return
    // it rather than fall back to 4 W per thread.
    expect(lookupCpuTdp('AMD Ryzen 3 1200 PRO')).toEqual({ model: 'AMD Ryzen 3 1200', tdpW: 65 });
  });

  it('ignores padding spaces around and inside the brand', () => {
    expect(lookupCpuTdp('  Intel(R) Xeon(R) CPU   E5-2620 v3 @ 2.40GHz  ')).toEqual({
      model: 'Intel Xeon E5-2620 v3',
      tdpW: 85,
    });
  });
});

describe('cleanBrand', () => {
  it.each([
    ['Intel(R) Core(TM) i7-8850H CPU @ 2.60GHz', 'Intel Core(TM) i7-8850H'],
    ['Intel(R) Xeon(R) Gold 6330N CPU @ 2.20Ghz', 'Intel Xeon Gold 6330N'],
    ['Intel(R) Xeon(R) Platinum 8480+ @ 2.0Ghz', 'Intel Xeon Platinum 8480+'],
    ['Intel(R) Xeon(R) CPU           E5-2620 0 @ 2.00GHz', 'Intel Xeon E5-2620 0'],
    ['AMD EPYC 7742 64-Core Processor', 'AMD EPYC 7742 64-Core Processor'],
  ])('%j → %j', (brand, cleaned) => {
    expect(cleanBrand(brand)).toBe(cleaned);
  });
});
