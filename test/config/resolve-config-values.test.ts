import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TrackerOptions } from '../../src/config/options.js';
import { configDirs, configError } from './config-dirs.js';

describe('resolveConfig: values', () => {
  it('parses options given as strings', () => {
    const config = configDirs().resolve({
      measurePowerSecs: '10',
      saveToFile: 'no',
      gpuIds: '[0, 1]',
      outputMethods: 'csv, api',
    });
    expect(config).toMatchObject({
      measurePowerSecs: 10,
      saveToFile: false,
      gpuIds: ['0', '1'],
      outputMethods: ['csv', 'api'],
    });
  });

  it('checks typed options the same way', () => {
    const dirs = configDirs();
    expect(configError(() => dirs.resolve({ pue: 0.5 })).value).toBe('0.5');
    expect(configError(() => dirs.resolve({ measurePowerSecs: Number.NaN })).value).toBe('NaN');
    const mode = { trackingMode: 'proces' } as unknown as TrackerOptions;
    expect(configError(() => dirs.resolve(mode)).accepted).toBe(
      'one of machine, process (any case)',
    );
  });

  it('reads an empty output_methods as no built-in outputs', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\noutput_methods =\n');
    expect(dirs.resolve().outputMethods).toEqual([]);
  });

  it('normalises log_level warn to warning', () => {
    expect(configDirs().resolve({ logLevel: 'warn' }).logLevel).toBe('warning');
  });

  it('rejects a config-file spelling used as an option name', () => {
    const options = { measure_power_secs: 10 } as unknown as TrackerOptions;
    const error = configError(() => configDirs().resolve(options));
    expect(error.accepted).toBe('the camelCase option measurePowerSecs');
  });

  it('ignores the options that are not parameters', () => {
    const config = configDirs().resolve({ installExitHandlers: false, logger: undefined });
    expect(config.sources).toEqual({});
  });

  it('reads inline comments, %% and the : delimiter from files', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\npue: 1.2   # our data centre\nproject_name = 100%% green\n');
    expect(dirs.resolve()).toMatchObject({ pue: 1.2, projectName: '100% green' });
  });

  it('expands %(key)s across both files and [DEFAULT]', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[DEFAULT]\nteam = carbon\n[codecarbon]\nbase = /data\n');
    dirs.writeLocal('[codecarbon]\noutput_dir = %(base)s/%(team)s\n');
    expect(dirs.resolve().outputDir).toBe('/data/carbon');
  });

  it('rejects a lone % in a file value, naming file, line and key', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\n\nproject_name = 100% green\n');
    const error = configError(() => dirs.resolve());
    expect(error.key).toBe('project_name');
    expect(error.line).toBe(3);
    expect(error.message).toContain(
      `Config file ${dirs.localPath}, line 3: project_name "100% green"`,
    );
  });

  it('shows [DEFAULT] values in [codecarbon], which wins over them', () => {
    const dirs = configDirs();
    dirs.writeLocal(
      '[DEFAULT]\npue = 1.3\nwue = 1\n[codecarbon]\nwue = 2\n[other]\nproject_name = x\n',
    );
    expect(dirs.resolve()).toMatchObject({ pue: 1.3, wue: 2, projectName: 'codecarbon' });
  });

  it('lets [codecarbon] of the global file beat [DEFAULT] of the local one, as configparser does', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[codecarbon]\npue = 1.5\n');
    dirs.writeLocal('[DEFAULT]\npue = 2\nwue = 3\n');
    expect(dirs.resolve()).toMatchObject({ pue: 1.5, wue: 3 });
  });

  it('throws a ConfigError for a config file that cannot be read, and for a syntax error', () => {
    const dirs = configDirs();
    mkdirSync(dirs.localPath);
    expect(configError(() => dirs.resolve()).source).toEqual({
      kind: 'file',
      path: dirs.localPath,
    });
    const other = configDirs();
    other.writeGlobal('[codecarbon]\npue = 1\npue = 2\n');
    expect(configError(() => other.resolve()).line).toBe(3);
  });
});

describe('resolveConfig: errors', () => {
  it('names key, value, environment variable and accepted values', () => {
    const error = configError(() => configDirs().resolve({}, { env: { CODECARBON_PUE: '0.5' } }));
    expect(error).toMatchObject({
      key: 'pue',
      value: '0.5',
      source: { kind: 'env', name: 'CODECARBON_PUE' },
      accepted: 'a number ≥ 1',
    });
    expect(error.message).toMatch(
      /^Invalid pue "0\.5" from environment variable CODECARBON_PUE: expected a number ≥ 1 \(Power Usage Effectiveness/,
    );
  });

  it('names the file and line of a bad file value', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[codecarbon]\n# intervals\nmeasure_power_secs = 10abc\n');
    const error = configError(() => dirs.resolve());
    expect(error.source).toEqual({ kind: 'file', path: dirs.globalPath });
    expect(error.message).toContain(
      `Invalid measure_power_secs "10abc" from config file ${dirs.globalPath}, line 3: expected a number > 0`,
    );
  });

  it('names the option of a bad option value', () => {
    const error = configError(() => configDirs().resolve({ apiCallInterval: '8.5' }));
    expect(error.message).toContain('Invalid api_call_interval "8.5" from option apiCallInterval');
    expect(error.accepted).toBe('an integer ≥ 1, or -1');
  });

  it('only checks the value that wins', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[codecarbon]\npue = nonsense\n');
    expect(dirs.resolve({ pue: 1.2 }).pue).toBe(1.2);
  });

  it('never shows a secret, even one expanded into another value', () => {
    const dirs = configDirs();
    const typed = configError(() =>
      dirs.resolve({ apiKey: 12345 as unknown as string }, { env: {} }),
    );
    expect(typed.value).toBe('<redacted>');
    expect(typed.message).not.toContain('12345');

    dirs.writeLocal('[codecarbon]\napi_key = sk-live-999\npue = %(api_key)s\n');
    const expanded = configError(() => dirs.resolve());
    expect(expanded.key).toBe('pue');
    expect(expanded.message).not.toContain('sk-live-999');

    const other = configDirs();
    other.writeLocal('[codecarbon]\nelectricitymaps_api_token = tok%en-777\n');
    const percent = configError(() => other.resolve());
    expect(percent.message).not.toContain('777');
    expect(percent.value).toBe('<redacted>');
  });
});
