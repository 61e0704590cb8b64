import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, runCli, sandbox } from '../helpers/cli.js';

const NODE = process.execPath;
const OFFLINE_FRANCE = ['--offline', '--country-iso-code', 'FRA'];

describe('codecarbon monitor: option values', () => {
  it('refuses a reading period longer than a Node timer holds, naming the flag', async () => {
    const box = sandbox();
    const result = await runCli(
      ['monitor', ...OFFLINE_FRANCE, '--measure-power-secs', '3000000', '--', NODE, '-e', ''],
      box,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Invalid measure_power_secs "3000000" from command-line option --measure-power-secs: ' +
        'expected a number > 0 and ≤ 2,147,483',
    );
    expect(result.stderr).not.toContain('measurePowerSecs');
  });

  it.each([[''], ['.'], ['runs/']])(
    'refuses --output-file %j before running anything',
    async (file) => {
      const box = sandbox();
      const result = await runCli(
        [
          'monitor',
          ...OFFLINE_FRANCE,
          '--output-file',
          file,
          '--',
          NODE,
          '-e',
          'console.log("ran")',
        ],
        box,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        `Invalid output_file ${JSON.stringify(file)} from command-line option --output-file`,
      );
    },
  );

  it('refuses an empty CODECARBON_OUTPUT_FILE, naming the variable', async () => {
    const box = sandbox();
    box.env.CODECARBON_OUTPUT_FILE = '';
    const result = await runCli(['monitor', ...OFFLINE_FRANCE, '--', NODE, '-e', ''], box);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Invalid output_file "" from environment variable CODECARBON_OUTPUT_FILE',
    );
  });

  it('refuses an output directory in /proc instead of spinning forever', async () => {
    const box = sandbox();
    const result = await runCli(
      ['monitor', ...OFFLINE_FRANCE, '--output-dir', '/proc/sys/none', '--', NODE, '-e', ''],
      box,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Invalid output_dir "/proc/sys/none" from command-line option --output-dir: ' +
        'expected a directory outside /proc and /sys',
    );
  });

  it('says in the report when the CSV file could not be written', async () => {
    const box = sandbox();
    // The command turns the output directory into a file: the final write fails.
    const result = await runCli(
      ['monitor', ...OFFLINE_FRANCE, '--output-dir', 'out', '--', 'sh', '-c', 'rm -r out; : > out'],
      box,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Could not write emissions to');
    expect(result.stderr).toContain(
      `CSV        ${join(box.dir, 'out', 'emissions.csv')} (not written: see the error above)`,
    );
  });
});

describe('codecarbon monitor: the command and `--`', () => {
  it('lets a boolean flag take a value before `--` without running the value', async () => {
    const box = sandbox();
    const result = await runCli(
      [
        'monitor',
        ...OFFLINE_FRANCE,
        '--save-to-file',
        'false',
        '--',
        NODE,
        '-e',
        'console.log("ran")',
      ],
      box,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ran\n');
    expect(existsSync(join(box.dir, 'emissions.csv'))).toBe(false);
  });

  it('refuses `--` with nothing after it instead of measuring the whole machine', async () => {
    const box = sandbox();
    const result = await runCli(['monitor', ...OFFLINE_FRANCE, '--'], box);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing to run after `--`');
    expect(result.stderr).not.toContain('measuring this machine');
  });

  it('shows an empty command name in quotes', async () => {
    const box = sandbox();
    const result = await runCli(['monitor', ...OFFLINE_FRANCE, '--', ''], box);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain("codecarbon: command not found: ''\n");
  });

  it('reports 126 for a file that is not executable, with a message like not-found', async () => {
    const box = sandbox();
    const script = join(box.dir, 'job.sh');
    writeFileSync(script, 'echo hi\n');
    chmodSync(script, 0o644);
    const result = await runCli(['monitor', ...OFFLINE_FRANCE, '--', './job.sh'], box);
    expect(result.code).toBe(126);
    expect(result.stderr).toContain(
      'codecarbon: command not executable (permission denied): ./job.sh',
    );
    expect(result.stderr).toContain('Command    ./job.sh (exit 126)');
  });

  it('keeps the quoting of arguments in the report', async () => {
    const box = sandbox();
    const result = await runCli(['monitor', ...OFFLINE_FRANCE, '--', 'sh', '-c', 'exit 42'], box);
    expect(result.code).toBe(42);
    expect(result.stderr).toContain("codecarbon: measuring `sh -c 'exit 42'`");
    expect(result.stderr).toContain("Command    sh -c 'exit 42' (exit 42)");
  });
});

describe('codecarbon monitor --offline: what tells the grid without a country', () => {
  it.each([
    [['--region', 'US-NY'], 'USA', 'new york', '210.476'],
    [['--region', 'SE3'], 'SWE', 'SE3', '18.000'],
    [['--cloud-provider', 'aws', '--cloud-region', 'eu-west-3'], 'FRA', '', '56.039'],
    [['--force-carbon-intensity', '100'], '', '', '100.000'],
  ])('runs with %j', async (flags, country, region, intensity) => {
    const box = sandbox();
    const result = await runCli(['monitor', '--offline', ...flags, '--', NODE, '-e', ''], box);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Intensity  ${intensity} g CO2eq/kWh`);
    const [row] = readCsv(join(box.dir, 'emissions.csv'));
    expect(row?.country_iso_code).toBe(country);
    expect(row?.region).toBe(region);
  });

  it('still refuses what would fall back to the world average, and says why', async () => {
    const box = sandbox();
    const result = await runCli(
      ['monitor', '--offline', '--cloud-provider', 'aws', '--', NODE, '-e', ''],
      box,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('offline mode needs to know the grid');
    expect(result.stderr).toContain('without a cloud region');
    expect(existsSync(join(box.dir, 'emissions.csv'))).toBe(false);
  });
});

describe('codecarbon monitor --help', () => {
  it("shows monitor's defaults and how to pass secrets", async () => {
    const result = await runCli(['monitor', '--help'], sandbox());
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('Seconds between two power readings. (default: 10)');
    expect(help).toContain('(default: process with a command, machine without)');
    expect(help).toContain('--no-offline turns it off');
    expect(help).toContain('other users of the machine can read command lines (ps)');
  });
});
