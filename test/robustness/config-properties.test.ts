import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { TrackerOptions, ValueSource } from '../../src/config/options.js';
import { PARAMETERS, type ParameterSpec } from '../../src/config/parameters.js';
import { parseParameterValue } from '../../src/config/parse-value.js';
import { configDirs } from '../config/config-dirs.js';
import { propertyRuns } from './property-runs.js';

/** Parameters a file or the environment can set (objects and code-only ones cannot). */
const TEXT_PARAMETERS = PARAMETERS.filter((spec) => spec.codeOnly !== true);

/** Texts that sit near the edges of what the parsers take. */
const EDGE_TEXTS = [
  '',
  ' ',
  'true',
  'FALSE',
  'yes',
  'No',
  'on',
  'off',
  '1',
  '0',
  ' 1 ',
  '-1',
  '2',
  '1.5',
  '1e3',
  '0x10',
  '1_000',
  'NaN',
  'Infinity',
  '-Infinity',
  '1,5',
  'null',
  'undefined',
  'none',
  'csv',
  'CSV, API',
  'csv,,api',
  'machine',
  'Process',
  'debug',
  'WARNING',
  'append',
  'update',
  '[]',
  '{}',
  '"quoted"',
  'é',
  '2147484',
  '2147483',
  '65536',
  '-0',
  '+3',
  '.5',
  '5.',
  '\t7\t',
];

const valueFor = (spec: ParameterSpec) =>
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(...EDGE_TEXTS),
    fc.integer({ min: -10, max: 100_000 }).map(String),
    fc.double({ noNaN: false }).map(String),
    ...(spec.values?.length ? [fc.constantFrom(...spec.values)] : []),
  );

const BOOLEAN_TRUE = ['true', '1', 'yes', 'on'];
const BOOLEAN_FALSE = ['false', '0', 'no', 'off'];

/** Independent checks of the documented meaning of a text, per kind. */
function expectDocumentedMeaning(spec: ParameterSpec, raw: string, value: unknown): void {
  const text = raw.trim().toLowerCase();
  switch (spec.kind) {
    case 'boolean':
      // Nothing is silently flipped: only the documented spellings give a boolean.
      expect(BOOLEAN_TRUE.includes(text) || BOOLEAN_FALSE.includes(text)).toBe(true);
      expect(value).toBe(BOOLEAN_TRUE.includes(text));
      break;
    case 'number':
    case 'integer':
      if (value === undefined) break; // an optional number explicitly unset
      expect(typeof value).toBe('number');
      expect(Number.isFinite(value)).toBe(true);
      // Same number (-0 may come back as 0: no parameter tells them apart).
      expect(value === Number(raw.trim())).toBe(true);
      if (spec.kind === 'integer') expect(Number.isInteger(value)).toBe(true);
      if (spec.min !== undefined && !spec.alsoAccepted?.includes(value as number)) {
        expect(value).toBeGreaterThanOrEqual(spec.min);
      }
      if (spec.max !== undefined) expect(value).toBeLessThanOrEqual(spec.max);
      if (spec.greaterThan !== undefined) expect(value).toBeGreaterThan(spec.greaterThan);
      break;
    case 'enum':
      if (value !== undefined) expect(spec.values).toContain(value);
      break;
  }
}

describe('Configuration values under generated text (issue 11)', () => {
  it('any text for any key from the environment parses to the documented value or is rejected naming that key', () => {
    const arb = fc
      .constantFrom(...TEXT_PARAMETERS)
      .chain((spec) => fc.tuple(fc.constant(spec), valueFor(spec)));
    fc.assert(
      fc.property(arb, ([spec, raw]) => {
        const dirs = configDirs();
        const name = `CODECARBON_${spec.key.toUpperCase()}`;
        const source: ValueSource = { kind: 'env', name };
        let expected: unknown;
        let expectedError: unknown;
        try {
          expected = parseParameterValue(spec, raw, { source });
        } catch (error) {
          expectedError = error;
        }
        let config: ReturnType<typeof dirs.resolve> | undefined;
        let error: unknown;
        try {
          config = dirs.resolve({}, { env: { [name]: raw } });
        } catch (caught) {
          error = caught;
        }
        if (error !== undefined) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).key).toBe(spec.key);
          expect((error as ConfigError).source).toEqual(source);
          expect(expectedError).toBeInstanceOf(ConfigError);
          return;
        }
        expect(expectedError).toBeUndefined();
        const resolved = (config as unknown as Record<string, unknown>)[spec.option];
        expect(resolved).toEqual(expected);
        expectDocumentedMeaning(spec, raw, resolved);
        expect(config?.sources[spec.key]).toEqual(source);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('the same text gives the same value from an option, the environment and a config file', () => {
    // INI files trim values and take `;`/`#`/`%` specially: keep to texts a file holds verbatim.
    const fileSafe = (raw: string) =>
      raw === raw.trim() && !/[\r\n%;#[\]=:]/.test(raw) && !/^\s|\s$/.test(raw);
    const arb = fc
      .constantFrom(...TEXT_PARAMETERS)
      .chain((spec) => fc.tuple(fc.constant(spec), valueFor(spec).filter(fileSafe)));
    fc.assert(
      fc.property(arb, ([spec, raw]) => {
        const outcome = (resolve: () => unknown) => {
          try {
            return { value: (resolve() as Record<string, unknown>)[spec.option] };
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            return { errorKey: (error as ConfigError).key };
          }
        };
        const env = configDirs();
        const fromEnv = outcome(() =>
          env.resolve({}, { env: { [`CODECARBON_${spec.key.toUpperCase()}`]: raw } }),
        );
        const file = configDirs();
        file.writeLocal(`[codecarbon]\n${spec.key} = ${raw}\n`);
        const fromFile = outcome(() => file.resolve());
        expect(fromFile).toEqual(fromEnv);
        if (spec.kind !== 'string' && spec.kind !== 'secret') {
          // An option given as text is parsed like the environment's text.
          const option = configDirs();
          const fromOption = outcome(() =>
            option.resolve({ [spec.option]: raw } as unknown as TrackerOptions),
          );
          if ('value' in fromOption) expect(fromOption).toEqual(fromEnv);
        }
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

/** Where a value may come from, highest precedence first (configparser's order for files). */
const SOURCES = [
  'option',
  'env',
  'local [codecarbon]',
  'global [codecarbon]',
  'local [DEFAULT]',
  'global [DEFAULT]',
] as const;

describe('Configuration precedence over every combination of sources (issue 11)', () => {
  const cases: {
    key: string;
    option: string;
    textOf: (i: number) => string;
    parsed: (text: string) => unknown;
  }[] = [
    { key: 'project_name', option: 'projectName', textOf: (i) => `from-${i}`, parsed: (t) => t },
    {
      key: 'measure_power_secs',
      option: 'measurePowerSecs',
      textOf: (i) => String(i + 2),
      parsed: Number,
    },
  ];

  for (const { key, option, textOf, parsed } of cases) {
    it(`${key}: the highest-precedence source that sets it wins, in all ${2 ** SOURCES.length} combinations`, () => {
      for (let mask = 0; mask < 2 ** SOURCES.length; mask++) {
        const present = SOURCES.map((_, i) => (mask & (1 << i)) !== 0);
        const dirs = configDirs();
        const options: Record<string, unknown> = {};
        const env: Record<string, string> = {};
        const files = {
          local: { codecarbon: '', DEFAULT: '' },
          global: { codecarbon: '', DEFAULT: '' },
        };
        SOURCES.forEach((source, i) => {
          if (!present[i]) return;
          const text = textOf(i);
          if (source === 'option') options[option] = parsed(text);
          else if (source === 'env') env[`CODECARBON_${key.toUpperCase()}`] = text;
          else {
            const [where, section] = source.split(' ') as ['local' | 'global', string];
            files[where][section === '[DEFAULT]' ? 'DEFAULT' : 'codecarbon'] = `${key} = ${text}\n`;
          }
        });
        const fileText = (f: { codecarbon: string; DEFAULT: string }) =>
          `[DEFAULT]\n${f.DEFAULT}[codecarbon]\n${f.codecarbon}`;
        dirs.writeLocal(fileText(files.local));
        dirs.writeGlobal(fileText(files.global));

        const config = dirs.resolve(options as TrackerOptions, { env });
        const winner = present.indexOf(true);
        const resolved = (config as unknown as Record<string, unknown>)[option];
        const expected =
          winner < 0 ? (key === 'project_name' ? 'codecarbon' : 15) : parsed(textOf(winner));
        expect({ mask, resolved }).toEqual({ mask, resolved: expected });
        const source = config.sources[key];
        if (winner < 0) expect(source).toBeUndefined();
        else if (SOURCES[winner] === 'option') expect(source).toEqual({ kind: 'option' });
        else if (SOURCES[winner] === 'env') expect(source?.kind).toBe('env');
        else {
          const path = SOURCES[winner]?.startsWith('local') ? dirs.localPath : dirs.globalPath;
          expect(source).toEqual({ kind: 'file', path });
        }
      }
    });
  }
});
