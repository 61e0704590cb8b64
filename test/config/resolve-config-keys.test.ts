import { describe, expect, it } from 'vitest';
import { PARAMETERS } from '../../src/config/parameters.js';
import { configDirs, configError } from './config-dirs.js';

describe('resolveConfig: aliases and deprecated names', () => {
  it('reads force_carbon_intensity_g_co2e_kwh as force_carbon_intensity', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\nforce_carbon_intensity_g_co2e_kwh = 123.4\n');
    const config = dirs.resolve();
    expect(config.forceCarbonIntensity).toBe(123.4);
    expect(config.sources.force_carbon_intensity).toEqual({ kind: 'file', path: dirs.localPath });
    expect(config.unknownKeys).toEqual([]);
  });

  it('prefers the canonical name at the same level, and the higher level across levels', () => {
    const dirs = configDirs();
    dirs.writeLocal(
      '[codecarbon]\nforce_carbon_intensity_g_co2e_kwh = 1\nforce_carbon_intensity = 2\n',
    );
    expect(dirs.resolve().forceCarbonIntensity).toBe(2);
    const env = { CODECARBON_FORCE_CARBON_INTENSITY_G_CO2E_KWH: '3' };
    expect(dirs.resolve({}, { env }).forceCarbonIntensity).toBe(3);
    const both = { ...env, CODECARBON_FORCE_CARBON_INTENSITY: '4' };
    expect(dirs.resolve({}, { env: both }).forceCarbonIntensity).toBe(4);
  });

  it('names the alias as written when its value is bad', () => {
    const env = { CODECARBON_FORCE_CARBON_INTENSITY_G_CO2E_KWH: '-1' };
    const error = configError(() => configDirs().resolve({}, { env }));
    expect(error.key).toBe('force_carbon_intensity_g_co2e_kwh');
    expect(error.message).toContain('Fixed grid carbon intensity');
  });

  it('uses co2_signal_api_token from a file when it is the only token, with a deprecation', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\nco2_signal_api_token = old-config-token\n');
    const config = dirs.resolve();
    expect(config.electricitymapsApiToken).toBe('old-config-token');
    expect(config.co2SignalApiToken).toBe('old-config-token');
    expect(config.sources.electricitymaps_api_token).toEqual({
      kind: 'file',
      path: dirs.localPath,
    });
    expect(config.deprecations).toEqual([
      `co2_signal_api_token (config file ${dirs.localPath}) is deprecated: use electricitymaps_api_token instead.`,
    ]);
    expect(config.notYetEffective).toEqual([]);
  });

  it('prefers electricitymaps_api_token in the same file', () => {
    const dirs = configDirs();
    dirs.writeLocal(
      '[codecarbon]\nco2_signal_api_token = old-config-token\nelectricitymaps_api_token = new-config-token\n',
    );
    expect(dirs.resolve().electricitymapsApiToken).toBe('new-config-token');
  });

  it('uses the co2SignalApiToken option when it is the only one, and prefers the new option', () => {
    const dirs = configDirs();
    const old = dirs.resolve({ co2SignalApiToken: 'test-token' });
    expect(old.electricitymapsApiToken).toBe('test-token');
    expect(old.sources.electricitymaps_api_token).toEqual({ kind: 'option' });
    expect(old.deprecations[0]).toContain('use the electricitymapsApiToken option instead');
    const both = dirs.resolve({
      co2SignalApiToken: 'test-token',
      electricitymapsApiToken: 'new-token',
    });
    expect(both.electricitymapsApiToken).toBe('new-token');
  });

  it('lets the new name anywhere in files or environment beat the old name there', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[codecarbon]\nelectricitymaps_api_token = new-global\n');
    const env = { CODECARBON_CO2_SIGNAL_API_TOKEN: 'old-env' };
    const config = dirs.resolve({}, { env });
    expect(config.electricitymapsApiToken).toBe('new-global');
    expect(config.deprecations[0]).toContain('use CODECARBON_ELECTRICITYMAPS_API_TOKEN instead');
    expect(dirs.resolve({ co2SignalApiToken: 'old-option' }, { env }).electricitymapsApiToken).toBe(
      'old-option',
    );
  });
});

describe('resolveConfig: unknown and not yet effective keys', () => {
  it('reports keys that no parameter reads, from files and the environment', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\nmeasure_power_sec = 10\n');
    const config = dirs.resolve({}, { env: { CODECARBON_PUEE: '1' } });
    expect(config.unknownKeys).toEqual([
      { key: 'puee', source: { kind: 'env', name: 'CODECARBON_PUEE' } },
      { key: 'measure_power_sec', source: { kind: 'file', path: dirs.localPath } },
    ]);
  });

  it('reports code-only parameters found in files or the environment, and ignores them', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\noutput_handlers = csv\n');
    const config = dirs.resolve({}, { env: { CODECARBON_LOGGING_LOGGER: 'root' } });
    expect(config.outputHandlers).toEqual([]);
    expect(config.loggingLogger).toBeUndefined();
    expect(config.unknownKeys.map((entry) => entry.key)).toEqual([
      'logging_logger',
      'output_handlers',
    ]);
    expect(config.sources).toEqual({});
  });

  it('does not report the keys that Python CodeCarbon`s `codecarbon config` writes', () => {
    const dirs = configDirs();
    dirs.writeGlobal(
      '[codecarbon]\napi_endpoint = https://api.codecarbon.io\norganization_id = o-1\nproject_id = p-1\nexperiment_id = e-1\napi_key = k\n',
    );
    const config = dirs.resolve();
    expect(config.unknownKeys).toEqual([]);
    expect(config.experimentId).toBe('e-1');
    expect(config.apiKey).toBe('k');
  });

  it('every parameter has its effect: none is reported as not yet effective', () => {
    const dirs = configDirs();
    dirs.writeGlobal('[codecarbon]\nrapl_prefer_psys = yes\n');
    const config = dirs.resolve(
      { saveToApi: false, pue: 1.1 },
      { env: { CODECARBON_GPU_IDS: '0' } },
    );
    expect(config.notYetEffective).toEqual([]);
    expect(PARAMETERS.filter((spec) => !spec.implemented).map((spec) => spec.key)).toEqual([]);
  });
});

describe('resolveConfig: upstream configuration fact (spec 14.2 #4), made strict', () => {
  function write(dirs: ReturnType<typeof configDirs>, forceCpuPower: string): void {
    dirs.writeGlobal(
      `[codecarbon]\nmeasure_power_secs=10\nforce_cpu_power=${forceCpuPower}\nforce_ram_power=50.5\nforce_carbon_intensity_g_co2e_kwh=123.4\n`,
    );
    dirs.writeLocal(
      '[codecarbon]\noutput_dir=/success/overwritten\nemissions_endpoint=http://testhost.invalid:2000\n',
    );
  }
  const env = { CODECARBON_GPU_IDS: '0, 1', CODECARBON_SAVE_TO_FILE: 'true' };

  it('rejects force_cpu_power=toto instead of turning it into nothing', () => {
    const dirs = configDirs();
    write(dirs, 'toto');
    const error = configError(() => dirs.resolve({ projectName: 'test-project' }, { env }));
    expect(error).toMatchObject({ key: 'force_cpu_power', value: 'toto', line: 3 });
    expect(error.source).toEqual({ kind: 'file', path: dirs.globalPath });
  });

  it('merges the other values as upstream does', () => {
    const dirs = configDirs();
    write(dirs, '100');
    const config = dirs.resolve({ projectName: 'test-project' }, { env });
    expect(config).toMatchObject({
      measurePowerSecs: 10,
      forceCpuPower: 100,
      forceRamPower: 50.5,
      outputDir: '/success/overwritten',
      emissionsEndpoint: 'http://testhost.invalid:2000',
      gpuIds: ['0', '1'],
      saveToFile: true,
      forceCarbonIntensity: 123.4,
      projectName: 'test-project',
    });
  });
});

describe('resolveConfig: speed', () => {
  it('resolves two files and an environment in well under a few milliseconds', () => {
    const dirs = configDirs();
    dirs.writeGlobal(
      `[codecarbon]\n${PARAMETERS.map((p) => `# ${p.doc}`).join('\n')}\npue = 1.2\n`,
    );
    dirs.writeLocal('[codecarbon]\nproject_name = x\noutput_methods = csv,api\n');
    const env = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`VAR_${i}`, 'v']));
    for (let i = 0; i < 20; i++) dirs.resolve({}, { env });

    const runs = 200;
    const start = performance.now();
    for (let i = 0; i < runs; i++) dirs.resolve({ measurePowerSecs: 5 }, { env });
    const perCallMs = (performance.now() - start) / runs;
    expect(perCallMs).toBeLessThan(2);
  });
});
