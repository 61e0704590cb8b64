import { copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sandbox } from '../helpers/cli.js';
import { ALL_FIXTURES, FIXTURES } from './fixture-files.js';

describe('codecarbon report', () => {
  it('reads ./emissions.csv by default and prints the table', async () => {
    const box = sandbox();
    copyFileSync(FIXTURES.node, join(box.dir, 'emissions.csv'));
    const result = await runCli(['report'], box);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Emissions report: 5 runs of 2 projects from 1 file/);
    expect(result.stdout).toMatch(/Total +5 +4 h 10 min .* 8\.80 kWh +500 g/);
  });

  it('reports malformed rows with file and line on stderr and still prints the report', async () => {
    const box = sandbox();
    const malformed = relative(box.dir, FIXTURES.malformed);
    const result = await runCli(['report', malformed, FIXTURES.node], box);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `codecarbon: ${malformed}:4: emissions "abc" is not a number: row skipped\n`,
    );
    expect(result.stderr).toContain(
      `codecarbon: ${malformed}:14: not readable as CSV (an unclosed quote?): row skipped\n`,
    );
    expect(result.stdout).toMatch(/^flaky +5b0fa12a +4 /m);
  });

  it('prints every run and reading note as JSON with --json', async () => {
    const result = await runCli(['report', ...ALL_FIXTURES, '--json'], sandbox());
    const report = JSON.parse(result.stdout);

    expect(result.code).toBe(0);
    expect(report.runs).toHaveLength(13);
    expect(report.totals.emissionsKg).toBeCloseTo(0.5549976, 12);
    expect(report.issues).toHaveLength(13);
    expect(report.equivalents.map((e: { id: string }) => e.id)).toEqual(['car-km', 'tv-hours']);
    expect(report.runs[0]).toMatchObject({ projectName: 'flaky', extra: { ci_job: 'build #42' } });
  });

  it('prints Markdown for a CI summary with --markdown, filtered by project and dates', async () => {
    const result = await runCli(
      [
        'report',
        FIXTURES.node,
        '--markdown',
        '--project',
        'nightly-training',
        '--since',
        '2026-11-03',
        '--until',
        '2026-11-04',
      ],
      sandbox(),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('**350 g CO2eq** from **6.25 kWh** over 2 runs');
    expect(result.stdout).toContain(
      'Filter: project nightly-training; since 2026-11-03 00:00:00; until 2026-11-04 23:59:59.',
    );
  });

  it('fails with status 1 and one line when no file can be read', async () => {
    const result = await runCli(['report'], sandbox());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('codecarbon: emissions.csv: no such file\n');
  });

  it('rejects a date it cannot read and two output formats at once', async () => {
    const badDate = await runCli(['report', FIXTURES.node, '--since', 'last week'], sandbox());
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toBe(
      'codecarbon: --since "last week" is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]\n',
    );
    const both = await runCli(['report', FIXTURES.node, '--json', '--markdown'], sandbox());
    expect(both.code).toBe(1);
    expect(both.stderr).toBe('codecarbon: choose one of --json and --markdown\n');
  });
});
