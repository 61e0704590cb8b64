import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';
import { CLI, REPO, readCsv, runCli, sandbox, start, waitFor } from '../helpers/cli.js';

const FRANCE_G_PER_KWH = 56.039;
const SIEVE = join(REPO, 'examples', 'prime-sieve.mjs');

describe('codecarbon monitor -- <command>', () => {
  it('measures a real workload and writes a complete CSV row with the country intensity', async () => {
    const box = sandbox();
    const result = await runCli(
      ['monitor', '--offline', '--country-iso-code', 'FRA', '--', process.execPath, SIEVE, '1'],
      box,
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/primes below/);
    expect(result.stderr).toMatch(/codecarbon report/);
    expect(result.stderr).toMatch(/Emissions/);

    const header = readFileSync(join(box.dir, 'emissions.csv'), 'utf8').split('\n')[0];
    expect(header).toBe(CSV_COLUMNS.join(','));
    const [row] = readCsv(join(box.dir, 'emissions.csv'));
    const energyKwh = Number(row?.energy_consumed);
    expect(energyKwh).toBeGreaterThan(0);
    expect(Number(row?.cpu_energy)).toBeGreaterThan(0);
    expect(Number(row?.duration)).toBeGreaterThanOrEqual(1);
    expect(row?.country_iso_code).toBe('FRA');
    expect(row?.tracking_mode).toBe('process');
    expect(row?.python_version).toBe(`node-${process.versions.node}`);
    expect(Number(row?.emissions)).toBeCloseTo((energyKwh * FRANCE_G_PER_KWH) / 1000, 12);
  });

  it("exits with the command's exit code", async () => {
    const box = sandbox();
    const result = await runCli(
      [
        'monitor',
        '--offline',
        '--country-iso-code',
        'fr',
        '--',
        process.execPath,
        '-e',
        'process.exit(3)',
      ],
      box,
    );
    expect(result.code).toBe(3);
    expect(readCsv(join(box.dir, 'emissions.csv'))).toHaveLength(1);
  });

  it('exits with 127 when the command is not found, and says so', async () => {
    const box = sandbox();
    const result = await runCli(
      ['monitor', '--offline', '--country-iso-code', 'FRA', '--', 'no-such-command-here'],
      box,
    );
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/command not found: no-such-command-here/);
  });

  it('reports 128 + signal when the command dies from a signal', async () => {
    const box = sandbox();
    const result = await runCli(
      [
        'monitor',
        '--offline',
        '--country-iso-code',
        'FRA',
        '--',
        process.execPath,
        '-e',
        "process.kill(process.pid, 'SIGTERM')",
      ],
      box,
    );
    expect(result.code).toBe(143);
  });

  it('forwards SIGTERM to the command, then writes the row and passes its status on', async () => {
    const box = sandbox();
    const { child, done } = start(
      process.execPath,
      [
        CLI,
        'monitor',
        '--offline',
        '--country-iso-code',
        'FRA',
        '--',
        process.execPath,
        '-e',
        "process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(7); }); setInterval(() => {}, 1000); console.log('ready');",
      ],
      { cwd: box.dir, env: box.env },
    );
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    await waitFor(() => out.includes('ready'));
    child.kill('SIGTERM');

    const result = await done;
    expect(result.stdout).toMatch(/child got SIGTERM/);
    expect(result.code).toBe(7);
    expect(readCsv(join(box.dir, 'emissions.csv'))).toHaveLength(1);
  });

  it('--offline without a country is a clear error', async () => {
    const box = sandbox();
    const result = await runCli(['monitor', '--offline', '--', process.execPath, '-e', ''], box);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/country/i);
    expect(existsSync(join(box.dir, 'emissions.csv'))).toBe(false);
  });

  it('takes the country from the environment for --offline', async () => {
    const box = sandbox();
    box.env.CODECARBON_COUNTRY_ISO_CODE = 'DEU';
    const result = await runCli(['monitor', '--offline', '--', process.execPath, '-e', ''], box);
    expect(result.code).toBe(0);
    expect(readCsv(join(box.dir, 'emissions.csv'))[0]?.country_name).toBe('Germany');
  });

  it('rejects an invalid option value naming the key and where it came from', async () => {
    const box = sandbox();
    const result = await runCli(
      [
        'monitor',
        '--offline',
        '--country-iso-code',
        'FRA',
        '--pue',
        'high',
        '--',
        process.execPath,
        '-e',
        '',
      ],
      box,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pue/);
    expect(result.stderr).toMatch(/high/);
  });
});

describe('codecarbon monitor (whole machine)', () => {
  it('keeps the run row up to date while running, and writes the final row once on SIGTERM', async () => {
    const box = sandbox();
    const csv = join(box.dir, 'emissions.csv');
    const { child, done } = start(
      process.execPath,
      [
        CLI,
        'monitor',
        '--offline',
        '--country-iso-code',
        'SWE',
        '--region',
        'SE3',
        '--measure-power-secs',
        '0.2',
        '--api-call-interval',
        '1',
      ],
      { cwd: box.dir, env: box.env },
    );
    await waitFor(() => existsSync(csv) && readCsv(csv).length === 1);
    const early = Number(readCsv(csv)[0]?.duration);
    child.kill('SIGTERM');

    const result = await done;
    expect(result.code).toBe(0);
    const rows = readCsv(csv);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.duration)).toBeGreaterThan(early);
    expect(rows[0]?.tracking_mode).toBe('machine');
    expect(Number(rows[0]?.emissions)).toBeCloseTo(
      (Number(rows[0]?.energy_consumed) * 18) / 1000,
      12,
    );
  });
});
