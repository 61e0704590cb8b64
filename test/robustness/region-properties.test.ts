import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carbonIntensity } from '../../src/intensity/carbon-intensity.js';
import {
  canadaProvincesTable,
  nordicZonesTable,
  usStatesTable,
} from '../../src/intensity/intensity-tables.js';
import { propertyRuns } from './property-runs.js';

/** A known region: the key the tables use, its country (alpha-3, alpha-2) and its spellings. */
interface KnownRegion {
  key: string;
  alpha3: string;
  alpha2: string;
  /** Name, postal / ISO 3166-2 code, `US-NY` style code (Nordic zones: the zone only). */
  spellings: string[];
  /** Spellings that name the country by themselves (ISO 3166-2 codes, bidding zones). */
  selfLocating: string[];
}

const NORDIC_ALPHA2: Record<string, string> = { SWE: 'SE', NOR: 'NO', DNK: 'DK', FIN: 'FI' };

const known: KnownRegion[] = [
  ...usStatesTable().rows.map(([name, postal]) => ({
    key: name,
    alpha3: 'USA',
    alpha2: 'US',
    spellings: [name, postal, `US-${postal}`],
    selfLocating: [`US-${postal}`],
  })),
  ...canadaProvincesTable().rows.map(([name, iso]) => ({
    key: name,
    alpha3: 'CAN',
    alpha2: 'CA',
    spellings: [name, iso, `CA-${iso}`],
    selfLocating: [`CA-${iso}`],
  })),
  ...nordicZonesTable().rows.map(([zone, alpha3]) => ({
    key: zone,
    alpha3,
    alpha2: NORDIC_ALPHA2[alpha3] ?? alpha3,
    spellings: [zone],
    selfLocating: [zone],
  })),
];

const SEPARATORS = [' ', '-', '_', '.', '  ', ' - '];
const ACCENTS = ['\u0301', '\u0300', '\u0302', '\u0308'];

/**
 * How people mistype a name without changing it: any case per letter, accents added
 * (precomposed or combining), separators between characters, spaces around.
 */
const variantOf = (spelling: string) =>
  fc
    .record({
      upper: fc.array(fc.boolean(), { minLength: spelling.length, maxLength: spelling.length }),
      accent: fc.array(fc.option(fc.constantFrom(...ACCENTS), { freq: 4 }), {
        minLength: spelling.length,
        maxLength: spelling.length,
      }),
      separator: fc.array(fc.option(fc.constantFrom(...SEPARATORS), { freq: 4 }), {
        minLength: spelling.length,
        maxLength: spelling.length,
      }),
      composed: fc.boolean(),
      pad: fc.tuple(fc.constantFrom('', ' ', '\t', '  '), fc.constantFrom('', ' ', '\n')),
    })
    .map(({ upper, accent, separator, composed, pad }) => {
      let out = '';
      [...spelling].forEach((char, i) => {
        const cased = upper[i] ? char.toUpperCase() : char.toLowerCase();
        const accented = /\p{L}/u.test(char) && accent[i] ? cased + accent[i] : cased;
        out += accented;
        if (i < spelling.length - 1 && separator[i]) out += separator[i];
      });
      return pad[0] + (composed ? out.normalize('NFC') : out) + pad[1];
    });

const anyCase = (code: string) =>
  fc.constantFrom(code.toUpperCase(), code.toLowerCase(), code[0] + code.slice(1).toLowerCase());

describe('Region normalisation under generated spellings (issue 11)', () => {
  it('every spelling of every known US state, Canadian province and Nordic zone gives its key', () => {
    const arb = fc
      .constantFrom(...known)
      .chain((region) =>
        fc.tuple(
          fc.constant(region),
          fc.constantFrom(...region.spellings).chain(variantOf),
          fc.constantFrom(region.alpha3, region.alpha2).chain(anyCase),
        ),
      );
    fc.assert(
      fc.property(arb, ([region, spelling, country]) => {
        const result = carbonIntensity({ countryIsoCode: country, region: spelling });
        expect(result.region).toBe(region.key);
        expect(result.countryIsoCode).toBe(region.alpha3);
        expect(result.source).toBe('region');
        expect(result.warnings).toEqual([]);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('an ISO 3166-2 code or a bidding zone finds its region (and country) with no country given', () => {
    const arb = fc
      .constantFrom(...known)
      .chain((region) =>
        fc.tuple(fc.constant(region), fc.constantFrom(...region.selfLocating).chain(variantOf)),
      );
    fc.assert(
      fc.property(arb, ([region, spelling]) => {
        const result = carbonIntensity({ region: spelling });
        expect(result.region).toBe(region.key);
        expect(result.countryIsoCode).toBe(region.alpha3);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('all spellings of one region give the same intensity, as its canonical key does', () => {
    for (const region of known) {
      const canonical = carbonIntensity({ countryIsoCode: region.alpha3, region: region.key });
      fc.assert(
        fc.property(fc.constantFrom(...region.spellings).chain(variantOf), (spelling) => {
          const result = carbonIntensity({ countryIsoCode: region.alpha3, region: spelling });
          expect(result.intensityGPerKwh).toBe(canonical.intensityGPerKwh);
          expect(result.detail).toBe(canonical.detail);
        }),
        { numRuns: Math.max(5, Math.ceil(propertyRuns() / 20)) },
      );
    }
  });
});
