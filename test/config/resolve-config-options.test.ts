import { describe, expect, it } from 'vitest';
import { describeUnknownKey } from '../../src/config/config-layers.js';
import type { TrackerOptions } from '../../src/config/options.js';
import { configDirs, configError } from './config-dirs.js';

/** Options as a JavaScript caller (or a cast) may pass them, typos included. */
function loose(options: Record<string, unknown>): TrackerOptions {
  return options as TrackerOptions;
}

describe('resolveConfig: unknown options', () => {
  it('reports an option that is not a parameter, with the nearest option name', () => {
    const config = configDirs().resolve(loose({ countryIsoCOde: 'FRA', pue: 1.2 }));
    expect(config.countryIsoCode).toBeUndefined();
    expect(config.unknownKeys).toEqual([{ key: 'countryIsoCOde', source: { kind: 'option' } }]);
    expect(describeUnknownKey(config.unknownKeys[0] as (typeof config.unknownKeys)[0])).toBe(
      'Ignored unknown option "countryIsoCOde". Did you mean countryIsoCode?',
    );
  });

  it('suggests nothing for a name far from every option', () => {
    const config = configDirs().resolve(loose({ colour: 'green' }));
    expect(config.unknownKeys.map(describeUnknownKey)).toEqual([
      'Ignored unknown option "colour".',
    ]);
  });

  it('knows the options of the TypeScript API that are not parameters', () => {
    const config = configDirs().resolve({ logger: console, installExitHandlers: false, pue: 1 });
    expect(config.unknownKeys).toEqual([]);
  });

  it('ignores options set to undefined, as it ignores unset ones', () => {
    expect(configDirs().resolve(loose({ mesurePowerSecs: undefined })).unknownKeys).toEqual([]);
  });

  it('lists unknown options before unknown keys of the environment and files', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\npuee = 1\n');
    const config = dirs.resolve(loose({ projetName: 'x' }), { env: { CODECARBON_PUEE: '1' } });
    expect(config.unknownKeys.map((entry) => entry.key)).toEqual(['projetName', 'puee', 'puee']);
    expect(describeUnknownKey(config.unknownKeys[0] as (typeof config.unknownKeys)[0])).toContain(
      'Did you mean projectName?',
    );
  });
});

describe('resolveConfig: the logger option', () => {
  it.each([5, 'console', true, null])('rejects %j, which is not a logger', (logger) => {
    const error = configError(() => configDirs().resolve(loose({ logger })));
    expect(error.key).toBe('logger');
    expect(error.value).toBe(String(logger));
    expect(error.message).toContain('from option logger');
    expect(error.accepted).toContain('an object with debug, info, warn and error methods');
  });

  it('rejects an object that lacks a log method, naming what is missing', () => {
    const error = configError(() =>
      configDirs().resolve(loose({ logger: { info() {}, warn() {} } })),
    );
    expect(error.value).toBe('an object without debug, error');
  });

  it('accepts console and any object with the four methods', () => {
    const custom = { debug() {}, info() {}, warn() {}, error() {} };
    expect(configDirs().resolve({ logger: console }).unknownKeys).toEqual([]);
    expect(configDirs().resolve({ logger: custom }).unknownKeys).toEqual([]);
  });
});
