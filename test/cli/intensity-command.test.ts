import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox } from '../helpers/cli.js';

describe('codecarbon intensity: where the location comes from', () => {
  it('reads CODECARBON_* variables, as monitor does', async () => {
    const box = sandbox();
    box.env.CODECARBON_COUNTRY_ISO_CODE = 'FRA';
    const result = await runCli(['intensity'], box);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^56\.039 g CO2eq\/kWh — France \(source: country;/);
  });

  it('reads .codecarbon.config in the working directory', async () => {
    const box = sandbox();
    writeFileSync(
      join(box.dir, '.codecarbon.config'),
      '[codecarbon]\ncountry_iso_code = SWE\nregion = SE3\n',
    );
    const result = await runCli(['intensity', '--json'], box);
    expect(JSON.parse(result.stdout)).toMatchObject({
      intensityGPerKwh: 18,
      source: 'region',
      countryIsoCode: 'SWE',
      region: 'SE3',
    });
  });

  it('lets the command-line options win over the environment', async () => {
    const box = sandbox();
    box.env.CODECARBON_COUNTRY_ISO_CODE = 'DEU';
    const result = await runCli(['intensity', '--country-iso-code', 'FRA', '--json'], box);
    expect(JSON.parse(result.stdout).countryIsoCode).toBe('FRA');
  });

  it('shows a forced intensity from the environment, which monitor would use', async () => {
    const box = sandbox();
    box.env.CODECARBON_COUNTRY_ISO_CODE = 'FRA';
    box.env.CODECARBON_FORCE_CARBON_INTENSITY = '100';
    const result = await runCli(['intensity'], box);
    expect(result.stdout).toMatch(/^100\.000 g CO2eq\/kWh \(source: forced;/);
  });

  it('names a bad configured value and where it came from', async () => {
    const box = sandbox();
    box.env.CODECARBON_FORCE_CARBON_INTENSITY = 'lots';
    const result = await runCli(['intensity'], box);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Invalid force_carbon_intensity "lots" from environment variable CODECARBON_FORCE_CARBON_INTENSITY',
    );
  });
});

describe('codecarbon intensity: output', () => {
  it('rounds the text to three decimals and names the region as the table does', async () => {
    const result = await runCli(['intensity', '--region', 'US-NY'], sandbox());
    expect(result.stdout).toBe(
      '210.476 g CO2eq/kWh — United States, new york ' +
        '(source: region; US state table (EIA eGRID 2016): new york)\n',
    );
  });

  it('keeps the trailing zeros of the three decimals', async () => {
    const result = await runCli(['intensity', '--country-iso-code', 'DEU'], sandbox());
    expect(result.stdout).toMatch(/^380\.950 g CO2eq\/kWh — Germany \(source: country;/);
  });

  it('keeps full precision in JSON', async () => {
    const result = await runCli(['intensity', '--region', 'US-NY', '--json'], sandbox());
    expect(JSON.parse(result.stdout).intensityGPerKwh).toBe(210.4759315274);
  });
});
