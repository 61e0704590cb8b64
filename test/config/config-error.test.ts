import { describe, expect, it } from 'vitest';
import { ConfigError, describeSource, valueToText } from '../../src/config/config-error.js';

describe('describeSource', () => {
  it('names each kind of source', () => {
    expect(describeSource({ kind: 'option' })).toBe('option');
    expect(describeSource({ kind: 'env', name: 'CODECARBON_PUE' })).toBe(
      'environment variable CODECARBON_PUE',
    );
    expect(describeSource({ kind: 'file', path: '/home/me/.codecarbon.config' })).toBe(
      'config file /home/me/.codecarbon.config',
    );
    expect(describeSource({ kind: 'default' })).toBe('default');
  });
});

describe('ConfigError', () => {
  it('names the key, value, source and what is accepted, with the parameter doc', () => {
    const error = new ConfigError({
      key: 'pue',
      value: '0.5',
      source: { kind: 'env', name: 'CODECARBON_PUE' },
      accepted: 'a number ≥ 1',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(
      'Invalid pue "0.5" from environment variable CODECARBON_PUE: expected a number ≥ 1 ' +
        '(Power Usage Effectiveness of the data centre (multiplies energy)).',
    );
    expect(error).toMatchObject({ key: 'pue', value: '0.5', accepted: 'a number ≥ 1' });
  });

  it('names the option for option values, and the line for file values', () => {
    const fromOption = new ConfigError({
      key: 'measure_power_secs',
      value: 'NaN',
      source: { kind: 'option' },
      accepted: 'a number > 0',
    });
    expect(fromOption.message).toContain('from option measurePowerSecs:');
    const fromFile = new ConfigError({
      key: 'wue',
      value: 'x',
      source: { kind: 'file', path: '/p/.codecarbon.config' },
      accepted: 'a number ≥ 0',
      line: 7,
    });
    expect(fromFile.message).toContain('from config file /p/.codecarbon.config, line 7:');
    expect(fromFile.line).toBe(7);
  });

  it('shows line breaks and quotes in a value escaped', () => {
    const error = new ConfigError({
      key: 'pue',
      value: '1\n"2"',
      source: { kind: 'default' },
      accepted: 'a number ≥ 1',
    });
    expect(error.message).toContain('Invalid pue "1\\n\\"2\\"" from default');
  });

  it('never carries the value of a secret parameter', () => {
    const error = new ConfigError({
      key: 'api_key',
      value: 'sk-live-123',
      source: { kind: 'env', name: 'CODECARBON_API_KEY' },
      accepted: 'a string',
    });
    expect(error.value).toBe('<redacted>');
    expect(error.message).toContain('"<redacted>"');
    expect(error.message).not.toContain('sk-live-123');
  });

  it('redacts any value on request (a value built from a secret)', () => {
    const error = new ConfigError({
      key: 'pue',
      value: 'sk-live-123',
      source: { kind: 'default' },
      accepted: 'a number ≥ 1',
      redact: true,
    });
    expect(error.message).not.toContain('sk-live-123');
  });

  it('describes file syntax problems by file and line', () => {
    const error = new ConfigError({
      key: '',
      value: '',
      source: { kind: 'file', path: '/p/.codecarbon.config' },
      accepted: 'a [codecarbon] header first',
      line: 2,
      problem: 'a key comes before any [section]',
    });
    expect(error.message).toBe(
      'Config file /p/.codecarbon.config, line 2: a key comes before any [section]; ' +
        'expected a [codecarbon] header first.',
    );
  });
});

describe('valueToText', () => {
  it('writes strings as they are and other values readably', () => {
    expect(valueToText('a b')).toBe('a b');
    expect(valueToText(Number.NaN)).toBe('NaN');
    expect(valueToText(['csv', 1])).toBe('["csv",1]');
    expect(valueToText({ a: 1 })).toBe('{"a":1}');
    expect(valueToText(undefined)).toBe('undefined');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(valueToText(loop)).toBe('[object Object]');
  });
});
