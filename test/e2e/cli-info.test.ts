import { describe, expect, it } from 'vitest';
import { runCli, sandbox } from '../helpers/cli.js';

describe('codecarbon intensity', () => {
  it('prints the resolution as JSON with the same keys as carbonIntensity()', async () => {
    const result = await runCli(
      ['intensity', '--country-iso-code', 'us', '--region', 'NY', '--json'],
      sandbox(),
    );
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      source: 'region',
      countryIsoCode: 'USA',
      countryName: expect.any(String),
    });
    expect(json.intensityGPerKwh).toBeCloseTo(210.476, 2);
  });

  it('prints a readable line', async () => {
    const result = await runCli(['intensity', '--country-iso-code', 'FRA'], sandbox());
    expect(result.stdout).toMatch(/56\.039 g CO2eq\/kWh/);
  });
});

describe('codecarbon detect', () => {
  it('describes the CPU, RAM and the method of each component', async () => {
    const result = await runCli(['detect', '--json'], sandbox());
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.cpu.logicalCount).toBeGreaterThan(0);
    expect(json.cpu.method).toMatch(/load-model|constant|rapl-|powermetrics/);
    expect(json.ram.totalGiB).toBeGreaterThan(0);
    expect(typeof json.ram.fromContainerLimit).toBe('boolean');
  });

  it('prints the version', async () => {
    const result = await runCli(['--version'], sandbox());
    expect(result.stdout.trim()).toMatch(/^codecarbon \d+\.\d+\.\d+$/);
  });
});
