import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/usage-error.js';
import { ConfigError } from '../../src/config/config-error.js';
import { PARAMETERS } from '../../src/config/parameters.js';
import { parseParameterValue } from '../../src/config/parse-value.js';

function rejection(key: string, raw: string, source: ConfigError['source']): ConfigError {
  const spec = PARAMETERS.find((candidate) => candidate.key === key);
  if (spec === undefined) throw new Error(`no parameter ${key}`);
  try {
    parseParameterValue(spec, raw, { source });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('UsageError.lineFor', () => {
  it('names a value given on the command line by its flag', () => {
    const error = rejection('measure_power_secs', '3000000', { kind: 'option' });
    expect(error.message).toContain('from option measurePowerSecs');
    const line = UsageError.lineFor(error);
    expect(line).toContain(
      'Invalid measure_power_secs "3000000" from command-line option --measure-power-secs:',
    );
    expect(line).not.toContain('measurePowerSecs');
  });

  it('also rewrites messages that open with the option', () => {
    const error = new ConfigError({
      key: 'output_dir',
      value: 'x',
      source: { kind: 'option' },
      accepted: 'a directory',
      problem: 'it is a file',
    });
    expect(error.message.startsWith('Option outputDir:')).toBe(true);
    expect(UsageError.lineFor(error)).toBe(
      'Command-line option --output-dir: it is a file; expected a directory.',
    );
  });

  it('leaves values from the environment and from files as the library names them', () => {
    const env = rejection('pue', 'high', { kind: 'env', name: 'CODECARBON_PUE' });
    expect(UsageError.lineFor(env)).toBe(env.message);
    const file = rejection('pue', 'high', { kind: 'file', path: '/w/.codecarbon.config' });
    expect(UsageError.lineFor(file)).toBe(file.message);
  });

  it('prints usage errors as they are', () => {
    expect(UsageError.lineFor(new UsageError('nothing to run'))).toBe('nothing to run');
  });
});
