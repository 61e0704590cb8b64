import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { ValueSource } from '../../src/config/options.js';
import { findParameter, MAX_TIMER_SECS, PARAMETERS } from '../../src/config/parameters.js';
import { isInPseudoFileSystem, parseParameterValue } from '../../src/config/parse-value.js';
import { thrown } from './config-dirs.js';

const ENV: ValueSource = { kind: 'env', name: 'CODECARBON_X' };

function parse(key: string, raw: unknown): unknown {
  const spec = findParameter(key);
  if (spec === undefined) throw new Error(`no parameter ${key}`);
  return parseParameterValue(spec, raw, { source: ENV });
}

function rejection(key: string, raw: unknown): ConfigError {
  const error = thrown(() => parse(key, raw));
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('parseParameterValue: upper bounds', () => {
  it('takes measure_power_secs up to the longest delay a Node timer keeps', () => {
    expect(MAX_TIMER_SECS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(parse('measure_power_secs', String(MAX_TIMER_SECS))).toBe(MAX_TIMER_SECS);
  });

  it('rejects a longer period, which Node would turn into a 1 ms busy loop', () => {
    const error = rejection('measure_power_secs', '3000000');
    expect(error.key).toBe('measure_power_secs');
    expect(error.accepted).toBe('a number > 0 and ≤ 2,147,483');
    expect(error.message).toContain('Invalid measure_power_secs "3000000"');
    expect(rejection('measure_power_secs', 2_147_484).key).toBe('measure_power_secs');
  });

  it('bounds every period that feeds a timer the same way', () => {
    expect(parse('lookup_wait_secs', String(MAX_TIMER_SECS))).toBe(MAX_TIMER_SECS);
    expect(rejection('lookup_wait_secs', '1e7').accepted).toContain('≤ 2,147,483');
    const bounded = PARAMETERS.filter((spec) => spec.max === MAX_TIMER_SECS).map((s) => s.key);
    expect(bounded).toEqual(['measure_power_secs', 'lookup_wait_secs']);
  });
});

describe('parseParameterValue: output paths', () => {
  it.each(['', '.', '..', 'results/', 'a/..', '/'])(
    'rejects output_file %j, which names no file',
    (raw) => {
      const error = rejection('output_file', raw);
      expect(error.key).toBe('output_file');
      expect(error.value).toBe(raw);
      expect(error.message).toContain('environment variable CODECARBON_X');
      expect(error.accepted).toContain('a file name or path, as emissions.csv');
    },
  );

  it('accepts file names and paths', () => {
    expect(parse('output_file', 'emissions.csv')).toBe('emissions.csv');
    expect(parse('output_file', 'runs/emissions.csv')).toBe('runs/emissions.csv');
    expect(parse('output_file', '/var/lib/cc/e.csv')).toBe('/var/lib/cc/e.csv');
    expect(parse('output_file', '.emissions')).toBe('.emissions');
  });

  it.each(['/proc', '/proc/sys/none', '/sys/kernel', '/proc/../proc/self'])(
    'refuses output_dir %j in a kernel pseudo-file system',
    (raw) => {
      const error = rejection('output_dir', raw);
      expect(error.key).toBe('output_dir');
      expect(error.accepted).toBe('a directory outside /proc and /sys');
    },
  );

  it('refuses a location_cache_dir there too, and still reads an empty one as unset', () => {
    expect(rejection('location_cache_dir', '/proc/sys/cache').key).toBe('location_cache_dir');
    expect(parse('location_cache_dir', '')).toBeUndefined();
    expect(parse('location_cache_dir', '/var/cache/cc')).toBe('/var/cache/cc');
  });

  it('accepts other directories, including names that only start like them', () => {
    expect(parse('output_dir', '/procedures')).toBe('/procedures');
    expect(parse('output_dir', '/system/out')).toBe('/system/out');
    expect(parse('output_dir', '.')).toBe('.');
    expect(isInPseudoFileSystem('/sys')).toBe(true);
    expect(isInPseudoFileSystem('/sysroot')).toBe(false);
  });
});
