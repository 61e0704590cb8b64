import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { loadEmissionsFiles } from '../../src/report/dataset.js';
import { ALL_FIXTURES, FIXTURES } from './fixture-files.js';

describe('buildReport', () => {
  it('totals the runs per project and experiment, largest emitter first', async () => {
    const report = buildReport(await loadEmissionsFiles([FIXTURES.node]), {});

    expect(report.totals.runs).toBe(5);
    expect(report.totals.energyKwh).toBeCloseTo(8.798, 12);
    expect(report.totals.emissionsKg).toBeCloseTo(0.4996, 12);
    expect(report.totals.durationS).toBe(15_000);
    const [nightly, web] = report.projects;
    expect(nightly).toMatchObject({ projectName: 'nightly-training', runs: 3, durationS: 12_600 });
    expect(nightly?.energyKwh).toBeCloseTo(8.75, 12);
    expect(nightly?.gpuEnergyKwh).toBeCloseTo(7, 12);
    expect(nightly?.intensityGPerKwh).toBeCloseTo(56, 9);
    expect(nightly?.experiments.map((e) => [e.experimentId.slice(0, 8), e.runs])).toEqual([
      ['5b0fa12a', 2],
      ['c0ffee00', 1],
    ]);
    expect(web).toMatchObject({ projectName: 'web-api', runs: 2 });
    expect(web?.emissionsKg).toBeCloseTo(0.0096, 12);
  });

  it('adds up the files of both writers, repaired rows included', async () => {
    const report = buildReport(await loadEmissionsFiles(ALL_FIXTURES), {});
    expect(report.totals.runs).toBe(13);
    expect(report.totals.energyKwh).toBeCloseTo(8.9766, 12);
    expect(report.totals.emissionsKg).toBeCloseTo(0.5549976, 12);
    expect(report.projects.map((p) => p.projectName)).toEqual([
      'nightly-training',
      'legacy-etl',
      'web-api',
      'flaky',
      'codecarbon',
    ]);
    expect(report.issues).toHaveLength(13);
  });

  it('lists runs newest first', async () => {
    const report = buildReport(await loadEmissionsFiles([FIXTURES.node]), {});
    expect(report.runs.map((run) => run.runId.slice(0, 8))).toEqual([
      'e5555555',
      'c3333333',
      'b2222222',
      'd4444444',
      'a1111111',
    ]);
  });

  it('keeps only the runs of the chosen projects, experiments and dates', async () => {
    const dataset = await loadEmissionsFiles(ALL_FIXTURES);
    const runIds = (filter: Parameters<typeof buildReport>[1]) =>
      buildReport(dataset, filter).runs.map((run) => run.runId.slice(0, 8));

    expect(runIds({ projects: ['web-api'] })).toEqual(['a7777777', 'e5555555', 'd4444444']);
    expect(runIds({ experiments: ['c0ffee00-0000-4000-8000-000000000001'] })).toEqual(['c3333333']);
    expect(runIds({ sinceMs: Date.UTC(2026, 10, 3), untilMs: Date.UTC(2026, 10, 5) - 1 })).toEqual([
      'c3333333',
      'b2222222',
    ]);
    const filtered = buildReport(dataset, {
      projects: ['web-api'],
      sinceMs: Date.UTC(2026, 10, 5),
    });
    expect(filtered.filter).toEqual({
      projects: ['web-api'],
      experiments: [],
      since: '2026-11-05 00:00:00',
      until: undefined,
    });
    expect(filtered.totals.energyKwh).toBeCloseTo(0.06, 12);
  });

  it('shows where the electricity came from, by decreasing energy', async () => {
    const report = buildReport(await loadEmissionsFiles(ALL_FIXTURES), {});
    expect(report.locations.map((l) => [l.place, l.runs, l.intensitySource])).toEqual([
      ['France', 8, 'country grid, France'],
      ['Germany', 1, 'country grid, Germany'],
      ['United States · new york', 2, 'grid region new york, United States'],
      ['United States · new york', 1, 'region: EIA eGRID 2016, NY'],
      ['gcp europe-west9', 1, 'cloud region gcp europe-west9'],
    ]);
    expect(report.locations[1]?.intensityGPerKwh).toBeCloseTo(380, 9);
  });
});
