import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { loadEmissionsFiles } from '../../src/report/dataset.js';
import { renderMarkdown, renderText } from '../../src/report/render-report.js';
import { formatDurationS, formatNumber } from '../../src/report/units.js';
import { ALL_FIXTURES, FIXTURES } from './fixture-files.js';

describe('renderText', () => {
  it('prints a row per project and experiment with energy per component, emissions and intensity', async () => {
    const text = renderText(buildReport(await loadEmissionsFiles([FIXTURES.node]), {}), {
      runs: 2,
    });
    const lines = text.split('\n');

    expect(lines[0]).toBe(
      'Emissions report: 5 runs of 2 projects from 1 file, ended 2026-11-02 02:00 → 2026-11-05 09:20',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^nightly-training +5b0fa12a +2 +2 h 30 min +1\.00 kWh +5\.00 kWh +250 Wh +6\.25 kWh +350 g +56\.0 g\/kWh$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^nightly-training +\(all\) +3 +3 h 30 min .* 8\.75 kWh +490 g +56\.0 g\/kWh$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^web-api +5b0fa12a +2 +40 min 00 s +40\.0 Wh +0 +8\.00 Wh +48\.0 Wh +9\.60 g +200 g\/kWh$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^Total +5 +4 h 10 min .* 8\.80 kWh +500 g +56\.8 g\/kWh$/),
    );
  });

  it('lists the latest runs and says how to see more', async () => {
    const text = renderText(buildReport(await loadEmissionsFiles([FIXTURES.node]), {}), {
      runs: 2,
    });
    expect(text).toContain('Latest 2 of 5 runs (--runs N to list more)');
    expect(text).toMatch(/2026-11-05 09:20 +web-api +e5555555 +20 min 00 s/);
    expect(text).not.toContain('b2222222');
  });

  it('states each equivalent with its factor and source', async () => {
    const text = renderText(buildReport(await loadEmissionsFiles(ALL_FIXTURES), {}), { runs: 0 });
    expect(text).toContain('Everyday equivalents of 555 g CO2eq and 8.98 kWh');
    expect(text).toContain('≈ 2.21 km driven by an average passenger car');
    expect(text).toContain(
      '251 g CO2/km: 8,887 g CO2 per gallon of gasoline burned, at 22 miles per gallon',
    );
    expect(text).toContain('≈ 89.8 h of a large flat-screen TV switched on');
    expect(text).toContain('ENERGY STAR Program Requirements for Televisions, Version 5.3');
  });

  it('says so when no run is left', async () => {
    const text = renderText(
      buildReport(await loadEmissionsFiles([FIXTURES.node]), { projects: ['nope'] }),
      { runs: 5 },
    );
    expect(text).toContain('No runs to report.');
    expect(text).toContain('Filter: project nope');
  });
});

describe('renderText: components a file did not record', () => {
  /** A run per line: `[project, cpu_energy, gpu_energy, ram_energy]`, empty = not recorded. */
  async function reportOf(runs: [string, string, string, string][]) {
    const header = 'timestamp,project_name,run_id,duration,emissions,energy_consumed';
    const lines = runs.map(
      ([project, cpu, gpu, ram], i) =>
        `2026-11-0${i + 1}T10:00:00,${project},r${i},60,0.001,0.01,${cpu},${gpu},${ram}`,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'emissions.csv');
    writeFileSync(file, `${header},cpu_energy,gpu_energy,ram_energy\n${lines.join('\n')}\n`);
    const report = buildReport(await loadEmissionsFiles([file]), {});
    return { report, text: renderText(report, { runs: 10 }) };
  }

  function totalLine(text: string): string {
    return text.split('\n').find((line) => line.startsWith('Total ')) ?? '';
  }

  it('shows — in the total where no run recorded the component, as the run rows do', async () => {
    const { report, text } = await reportOf([
      ['a', '', '', ''],
      ['a', '', '', ''],
    ]);
    expect(totalLine(text)).toMatch(/^Total +2 +2 min 00 s +— +— +— +20\.0 Wh /);
    expect(report.totals.componentRuns).toEqual({ cpu: 0, gpu: 0, ram: 0 });
    expect(text).not.toContain('≥');
  });

  it('marks a total over runs of which only some recorded the component as a lower bound', async () => {
    const { report, text } = await reportOf([
      ['a', '0.004', '', '0'],
      ['b', '', '', '0.001'],
    ]);
    expect(totalLine(text)).toMatch(/^Total +2 +2 min 00 s +≥ 4\.00 Wh +— +1\.00 Wh +20\.0 Wh /);
    expect(text).toMatch(/^b +— +1 +1 min 00 s +— +— +1\.00 Wh /m);
    expect(text).toContain('≥ before a CPU, GPU or RAM total: only some of its runs recorded');
    expect(report.totals).toMatchObject({
      cpuEnergyKwh: 0.004,
      componentRuns: { cpu: 1, gpu: 0, ram: 2 },
    });
  });

  it('says the same in Markdown', async () => {
    const { report } = await reportOf([
      ['a', '0.004', '', ''],
      ['a', '', '', ''],
    ]);
    const markdown = renderMarkdown(report, { runs: 0 });
    expect(markdown).toMatch(/\| Total \| {2}\| 2 \| 2 min 00 s \| ≥ 4\.00 Wh \| — \| — \|/);
    expect(markdown).toContain('≥ before a CPU, GPU or RAM total');
  });
});

describe('renderMarkdown', () => {
  it('writes a GitHub summary: headline, tables, runs folded, equivalents with linked sources', async () => {
    const markdown = renderMarkdown(buildReport(await loadEmissionsFiles(ALL_FIXTURES), {}), {
      runs: 3,
    });

    expect(
      markdown.startsWith('### Carbon footprint\n\n**555 g CO2eq** from **8.98 kWh** over 13 runs'),
    ).toBe(true);
    expect(markdown).toContain(
      '| Project | Experiment | Runs | Duration | CPU | GPU | RAM | Energy | Emissions | Intensity |',
    );
    expect(markdown).toContain(
      '| :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    expect(markdown).toContain(
      '| flaky | 5b0fa12a | 4 | 12 min 30 s | 7.50 Wh | 0 | 1.50 Wh | 9.00 Wh | 1.80 g | 200 g/kWh |',
    );
    expect(markdown).toContain(
      '<details><summary>Latest 3 of 13 runs (--runs N to list more)</summary>',
    );
    expect(markdown).toContain(
      '[US EPA, Greenhouse Gas Emissions from a Typical Passenger Vehicle (2023)](https://www.epa.gov/',
    );
    expect(markdown).toContain(
      '_13 reading notes, 6 rows skipped: run `codecarbon report` on the files to see them._',
    );
  });
});

describe('units', () => {
  it('keeps about three significant digits without exponents', () => {
    expect([1234.5, 56.04, 2.205, 0.4996, 0.0004].map(formatNumber)).toEqual([
      '1,235',
      '56.0',
      '2.21',
      '0.500',
      '<0.001',
    ]);
  });

  it('writes durations the way people read them', () => {
    expect([12.5, 119.9, 3600, 15_000, 200_000].map(formatDurationS)).toEqual([
      '12.5 s',
      '1 min 59 s',
      '1 h 00 min',
      '4 h 10 min',
      '2 d 7 h',
    ]);
  });
});
