import { describe, expect, it } from 'vitest';
import type { TrackerOptions } from '../../src/config/options.js';
import { PARAMETERS } from '../../src/config/parameters.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { configDirs, configError } from './config-dirs.js';

describe('resolveConfig: defaults', () => {
  it('uses the table defaults when nothing is set, and records no source', () => {
    const config = configDirs().resolve();
    expect(config).toMatchObject({
      projectName: 'codecarbon',
      measurePowerSecs: 15,
      apiCallInterval: 8,
      trackingMode: 'machine',
      logLevel: 'info',
      pue: 1,
      saveToFile: true,
      outputMethods: undefined,
      gpuIds: undefined,
      forceCpuPower: undefined,
      outputHandlers: [],
    });
    expect(config.sources).toEqual({});
    expect(config.notYetEffective).toEqual([]);
    expect(config.unknownKeys).toEqual([]);
    expect(config.filesRead).toEqual([]);
    expect(config.deprecations).toEqual([]);
  });

  it('has a field for every parameter', () => {
    const config = configDirs().resolve() as unknown as Record<string, unknown>;
    for (const parameter of PARAMETERS) expect(config).toHaveProperty(parameter.option);
  });

  it('hands out a fresh outputHandlers array each time', () => {
    const dirs = configDirs();
    const first = dirs.resolve().outputHandlers;
    first.push({});
    expect(dirs.resolve().outputHandlers).toEqual([]);
  });
});

describe('resolveConfig: precedence', () => {
  type Level = 'option' | 'env' | 'local' | 'global';
  const pairs: [Level, Level][] = [
    ['option', 'env'],
    ['option', 'local'],
    ['option', 'global'],
    ['env', 'local'],
    ['env', 'global'],
    ['local', 'global'],
  ];

  it.each(pairs)('%s beats %s', (higher, lower) => {
    const dirs = configDirs();
    const options: TrackerOptions = {};
    const env: Record<string, string> = {};
    const set = (level: Level, value: string): void => {
      if (level === 'option') options.projectName = value;
      if (level === 'env') env.CODECARBON_PROJECT_NAME = value;
      if (level === 'local') dirs.writeLocal(`[codecarbon]\nproject_name = ${value}\n`);
      if (level === 'global') dirs.writeGlobal(`[codecarbon]\nproject_name = ${value}\n`);
    };
    set(lower, 'from-lower');
    set(higher, 'from-higher');

    const config = dirs.resolve(options, { env });
    expect(config.projectName).toBe('from-higher');
    const expectedSource = {
      option: { kind: 'option' },
      env: { kind: 'env', name: 'CODECARBON_PROJECT_NAME' },
      local: { kind: 'file', path: dirs.localPath },
      global: { kind: 'file', path: dirs.globalPath },
    }[higher];
    expect(config.sources.project_name).toEqual(expectedSource);
  });

  it.each<Level>(['option', 'env', 'local', 'global'])('%s beats the default', (level) => {
    const dirs = configDirs();
    const env = level === 'env' ? { CODECARBON_PUE: '1.5' } : {};
    if (level === 'local') dirs.writeLocal('[codecarbon]\npue = 1.5\n');
    if (level === 'global') dirs.writeGlobal('[codecarbon]\npue = 1.5\n');
    const config = dirs.resolve(level === 'option' ? { pue: 1.5 } : {}, { env });
    expect(config.pue).toBe(1.5);
    expect(config.sources.pue?.kind).toBe(level === 'local' || level === 'global' ? 'file' : level);
  });

  it('treats an option whose value is undefined as not given', () => {
    const config = configDirs().resolve(
      { projectName: undefined, pue: undefined },
      { env: { CODECARBON_PROJECT_NAME: 'env-name' } },
    );
    expect(config.projectName).toBe('env-name');
    expect(config.pue).toBe(1);
    expect(config.sources).toEqual({
      project_name: { kind: 'env', name: 'CODECARBON_PROJECT_NAME' },
    });
  });

  it('merges the files key by key: local keys win, other global keys survive', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[codecarbon]\nproject_name = global\npue = 1.4\nwue = 2\n');
    dirs.writeLocal('[codecarbon]\nproject_name = local\nwue = 3\n');
    const config = dirs.resolve();
    expect(config).toMatchObject({ projectName: 'local', pue: 1.4, wue: 3 });
    expect(config.sources.pue).toEqual({ kind: 'file', path: dirs.globalPath });
    expect(config.sources.wue).toEqual({ kind: 'file', path: dirs.localPath });
    expect(config.filesRead).toEqual([dirs.globalPath, dirs.localPath]);
  });

  it('reads one file once when the working directory is the home directory', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[codecarbon]\npue = 1.4\n');
    const config = resolveConfig({}, { env: {}, cwd: dirs.homeDir, homeDir: dirs.homeDir });
    expect(config.filesRead).toEqual([dirs.globalPath]);
    expect(config.pue).toBe(1.4);
  });

  it('lets context defaults replace table defaults, below every source', () => {
    const dirs = configDirs();
    const defaults = { measure_power_secs: 10, api_call_interval: '30' };
    const config = dirs.resolve({}, { defaults });
    expect(config.measurePowerSecs).toBe(10);
    expect(config.apiCallInterval).toBe(30);
    expect(config.sources).toEqual({});
    const overridden = dirs.resolve({}, { defaults, env: { CODECARBON_MEASURE_POWER_SECS: '5' } });
    expect(overridden.measurePowerSecs).toBe(5);
  });

  it('checks context defaults like any value', () => {
    const dirs = configDirs();
    const bad = configError(() => dirs.resolve({}, { defaults: { measure_power_secs: 0 } }));
    expect(bad.source).toEqual({ kind: 'default' });
    const unknown = configError(() => dirs.resolve({}, { defaults: { measure_power: 1 } }));
    expect(unknown.message).toContain('"measure_power" is not a parameter');
  });
});

describe('resolveConfig: environment variables', () => {
  it('matches the CODECARBON_ prefix and the key in any case', () => {
    const config = configDirs().resolve(
      {},
      { env: { codecarbon_project_name: 'lower', CodeCarbon_Log_Level: 'WARN', HOME: '/x' } },
    );
    expect(config.projectName).toBe('lower');
    expect(config.logLevel).toBe('warning');
    expect(config.sources.log_level).toEqual({ kind: 'env', name: 'CodeCarbon_Log_Level' });
    expect(config.unknownKeys).toEqual([]);
  });

  it('counts an empty value as set: CODECARBON_GPU_IDS= means no GPU', () => {
    const config = configDirs().resolve({}, { env: { CODECARBON_GPU_IDS: '' } });
    expect(config.gpuIds).toEqual([]);
    expect(config.sources.gpu_ids).toEqual({ kind: 'env', name: 'CODECARBON_GPU_IDS' });
  });

  it('unsets an optional text value of a file with an empty variable', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[codecarbon]\nemissions_endpoint = http://h.invalid:1\n');
    const config = dirs.resolve({}, { env: { CODECARBON_EMISSIONS_ENDPOINT: '' } });
    expect(config.emissionsEndpoint).toBeUndefined();
  });

  it('rejects two spellings of one variable with different values', () => {
    const env = { CODECARBON_PUE: '1.1', codecarbon_pue: '1.2' };
    const error = configError(() => configDirs().resolve({}, { env }));
    expect(error.key).toBe('pue');
    expect(error.message).toContain('also set, differently');
    const same = configDirs().resolve(
      {},
      { env: { CODECARBON_PUE: '1.1', codecarbon_pue: '1.1' } },
    );
    expect(same.pue).toBe(1.1);
  });

  it('takes environment values literally, % included', () => {
    const config = configDirs().resolve({}, { env: { CODECARBON_PROJECT_NAME: '100%' } });
    expect(config.projectName).toBe('100%');
  });
});
