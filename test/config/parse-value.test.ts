import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { ValueSource } from '../../src/config/options.js';
import { findParameter, PARAMETERS, type ParameterSpec } from '../../src/config/parameters.js';
import { acceptedText, parseParameterValue } from '../../src/config/parse-value.js';
import { thrown } from './config-dirs.js';

const ENV: ValueSource = { kind: 'env', name: 'CODECARBON_X' };

function spec(key: string): ParameterSpec {
  const found = findParameter(key);
  if (found === undefined) throw new Error(`no parameter ${key}`);
  return found;
}

function parse(key: string, raw: unknown, source: ValueSource = ENV): unknown {
  return parseParameterValue(spec(key), raw, { source });
}

function rejection(key: string, raw: unknown): ConfigError {
  const error = thrown(() => parse(key, raw));
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('parseParameterValue: booleans', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    [' yes ', true],
    ['On', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['OFF', false],
    ['0', false],
  ])('reads %j as %s', (text, expected) => {
    expect(parse('save_to_file', text)).toBe(expected);
  });

  it.each(['', 'y', 'n', 'truthy', '2', 'enable', 'null'])('rejects %j', (text) => {
    expect(rejection('save_to_file', text).key).toBe('save_to_file');
  });

  it('takes real booleans as they are and rejects other types', () => {
    expect(parse('offline', true)).toBe(true);
    expect(parse('offline', false)).toBe(false);
    expect(rejection('offline', 1).value).toBe('1');
    expect(rejection('offline', null).value).toBe('null');
  });

  it('gives the documented boolean for accepted spellings, and otherwise a ConfigError on that key', () => {
    const booleans = PARAMETERS.filter((p) => p.kind === 'boolean');
    const spellings = ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'];
    const accepted = fc
      .tuple(fc.constantFrom(...spellings), fc.boolean(), fc.constantFrom('', ' ', '\t'))
      .map(([word, upper, pad]) => `${pad}${upper ? word.toUpperCase() : word}${pad}`);
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), accepted);

    fc.assert(
      fc.property(fc.constantFrom(...booleans), text, (parameter, raw) => {
        const word = raw.trim().toLowerCase();
        let result: unknown;
        try {
          result = parseParameterValue(parameter, raw, { source: ENV });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).key).toBe(parameter.key);
          expect(spellings).not.toContain(word);
          return;
        }
        expect(result).toBe(['true', '1', 'yes', 'on'].includes(word));
        expect(spellings).toContain(word);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseParameterValue: numbers', () => {
  it.each([
    ['10', 10],
    [' 10 ', 10],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1.5E-1', 0.15],
    ['+7', 7],
  ])('reads %j as %d', (text, expected) => {
    expect(parse('measure_power_secs', text)).toBe(expected);
  });

  it.each([
    '',
    ' ',
    '10abc',
    '1_000',
    'inf',
    'Infinity',
    'nan',
    '0x10',
    '1e',
    '1,5',
    '1e999',
    '--1',
  ])('rejects %j', (text) => {
    expect(rejection('measure_power_secs', text).key).toBe('measure_power_secs');
  });

  it('checks typed numbers the same way: finite and in range', () => {
    expect(parse('pue', 1.4, { kind: 'option' })).toBe(1.4);
    expect(rejection('measure_power_secs', Number.NaN).value).toBe('NaN');
    expect(rejection('measure_power_secs', Number.POSITIVE_INFINITY).value).toBe('Infinity');
    expect(rejection('pue', true).value).toBe('true');
  });

  it('applies inclusive minimums and strict lower bounds', () => {
    expect(parse('pue', '1')).toBe(1);
    expect(rejection('pue', '0.5').accepted).toBe('a number ≥ 1');
    expect(parse('wue', '0')).toBe(0);
    expect(parse('wue', '-0')).toBe(0);
    expect(Object.is(parse('wue', '-0'), 0)).toBe(true);
    expect(rejection('wue', '-0.1').accepted).toBe('a number ≥ 0');
    expect(parse('force_carbon_intensity', '0')).toBe(0);
    expect(rejection('force_carbon_intensity', '-1').key).toBe('force_carbon_intensity');
    expect(rejection('measure_power_secs', '0').accepted).toBe('a number > 0 and ≤ 2,147,483');
    expect(rejection('force_cpu_power', '0').accepted).toBe('a number > 0');
    expect(parse('force_ram_power', '0')).toBe(0);
  });

  it('accepts whole values for integers, including 8.0 and 1e1, and rejects fractions', () => {
    expect(parse('api_call_interval', '8')).toBe(8);
    expect(parse('api_call_interval', '8.0')).toBe(8);
    expect(parse('api_call_interval', '1e1')).toBe(10);
    expect(rejection('api_call_interval', '8.5').accepted).toBe('an integer ≥ 1, or -1');
    expect(rejection('api_call_interval', 2.5).key).toBe('api_call_interval');
    expect(rejection('api_call_interval', '1e300').key).toBe('api_call_interval');
  });

  it('accepts the extra integer values outside the range, and only those', () => {
    expect(parse('api_call_interval', '-1')).toBe(-1);
    expect(parse('api_call_interval', -1)).toBe(-1);
    expect(rejection('api_call_interval', '0').value).toBe('0');
    expect(rejection('api_call_interval', '-2').value).toBe('-2');
  });
});

describe('parseParameterValue: enums', () => {
  it('matches values in any case, trimmed', () => {
    expect(parse('tracking_mode', 'PROCESS')).toBe('process');
    expect(parse('on_csv_write', ' Update ')).toBe('update');
    expect(parse('log_level', 'DEBUG')).toBe('debug');
  });

  it('maps log_level warn to warning', () => {
    expect(parse('log_level', 'warn')).toBe('warning');
    expect(parse('log_level', 'WARNING')).toBe('warning');
  });

  it('rejects other values, and lists the accepted ones', () => {
    const error = rejection('tracking_mode', 'proces');
    expect(error.accepted).toBe('one of machine, process (any case)');
    expect(rejection('log_level', 'verbose').key).toBe('log_level');
    expect(rejection('on_csv_write', '').key).toBe('on_csv_write');
    expect(rejection('tracking_mode', 1).key).toBe('tracking_mode');
  });
});

describe('parseParameterValue: lists', () => {
  it('splits `a,b` and `[a, b]`, trims, unquotes and drops empty items', () => {
    expect(parse('output_methods', 'csv,api')).toEqual(['csv', 'api']);
    expect(parse('output_methods', '[csv, api]')).toEqual(['csv', 'api']);
    expect(parse('output_methods', ' [ "csv" , \'API\' ] ')).toEqual(['csv', 'api']);
    expect(parse('output_methods', 'csv,,logger,')).toEqual(['csv', 'logger']);
    expect(parse('output_methods', 'csv,\napi')).toEqual(['csv', 'api']);
  });

  it('reads an empty output_methods as "no built-in outputs"', () => {
    expect(parse('output_methods', '')).toEqual([]);
    expect(parse('output_methods', '[]')).toEqual([]);
    expect(parse('output_methods', [], { kind: 'option' })).toEqual([]);
  });

  it('validates each output method and names the accepted ones', () => {
    const error = rejection('output_methods', 'csv,kafka');
    expect(error.value).toBe('csv,kafka');
    expect(error.accepted).toContain('csv, api, logger, prometheus, logfire, boamps');
    expect(rejection('output_methods', '[csv').key).toBe('output_methods');
    expect(rejection('output_methods', ['csv', 3]).value).toBe('["csv",3]');
  });

  it('lower-cases and de-duplicates output methods from arrays and text', () => {
    expect(parse('output_methods', ['CSV', 'api', 'csv'], { kind: 'option' })).toEqual([
      'csv',
      'api',
    ]);
  });

  it('keeps GPU ids as strings', () => {
    expect(parse('gpu_ids', '0, 1')).toEqual(['0', '1']);
    expect(parse('gpu_ids', '[0, 1]')).toEqual(['0', '1']);
    expect(parse('gpu_ids', '0,1,2')).toEqual(['0', '1', '2']);
    expect(parse('gpu_ids', '[1]')).toEqual(['1']);
    expect(parse('gpu_ids', 'MIG-f1e')).toEqual(['MIG-f1e']);
    expect(parse('gpu_ids', 'GPU-4e81c2a0-1b2c-3d4e-5f60-718293a4b5c6')).toEqual([
      'GPU-4e81c2a0-1b2c-3d4e-5f60-718293a4b5c6',
    ]);
    expect(parse('gpu_ids', [0, '1', ' GPU-ab '], { kind: 'option' })).toEqual([
      '0',
      '1',
      'GPU-ab',
    ]);
  });

  it('reads -1 as "no GPU", as CUDA does', () => {
    expect(parse('gpu_ids', '-1')).toEqual(['-1']);
  });

  it('reads an empty gpu_ids as "no GPU"', () => {
    expect(parse('gpu_ids', '')).toEqual([]);
    expect(parse('gpu_ids', '  ')).toEqual([]);
  });

  it('rejects GPU ids that are neither indices nor UUIDs', () => {
    expect(rejection('gpu_ids', '(0, 1, 2)').key).toBe('gpu_ids');
    expect(rejection('gpu_ids', '[0, 1, 2').key).toBe('gpu_ids');
    expect(rejection('gpu_ids', 'MIG-f1e$%^').key).toBe('gpu_ids');
    expect(rejection('gpu_ids', '-2').accepted).toContain('no GPU');
    expect(rejection('gpu_ids', [1.5]).key).toBe('gpu_ids');
    expect(rejection('gpu_ids', 3).key).toBe('gpu_ids');
  });
});

describe('parseParameterValue: strings and objects', () => {
  it('keeps text as written', () => {
    expect(parse('project_name', ' my project ')).toBe(' my project ');
    expect(parse('logger_preamble', '')).toBe('');
  });

  it('reads an empty optional string as unset', () => {
    expect(parse('emissions_endpoint', '')).toBeUndefined();
    expect(parse('country_iso_code', '')).toBeUndefined();
  });

  it('rejects a non-string for a text parameter', () => {
    expect(rejection('project_name', 42).accepted).toBe('a string');
  });

  it('accepts an array of handler objects for output_handlers, as a copy', () => {
    const handlers = [{ out() {} }];
    const parsed = parse('output_handlers', handlers, { kind: 'option' });
    expect(parsed).toEqual(handlers);
    expect(parsed).not.toBe(handlers);
    expect(rejection('output_handlers', [1]).accepted).toBe('an array of output handler objects');
    expect(rejection('output_handlers', 'csv').key).toBe('output_handlers');
  });
});

describe('acceptedText', () => {
  it('describes every parameter', () => {
    for (const parameter of PARAMETERS) expect(acceptedText(parameter)).not.toBe('');
  });
});
