import { describe, expect, it } from 'vitest';
import { bucketFor, timeSeries } from '../../src/dashboard/time-series.js';
import { loadEmissionsFiles } from '../../src/report/dataset.js';
import { FIXTURES } from '../report/fixture-files.js';
import { emissionsRow, writeEmissionsCsv } from './emissions-csv.js';

const HOUR_S = 3600;

async function seriesOf(file: string) {
  const dataset = await loadEmissionsFiles([file]);
  return timeSeries(dataset.runs, dataset.points);
}

describe('timeSeries', () => {
  it('sums each project per day over a few days of runs', async () => {
    const series = await seriesOf(FIXTURES.node);

    expect(series.bucket).toBe('day');
    expect(series.groupedBy).toBe('project');
    expect(series.x).toEqual([2, 3, 4, 5].map((day) => Date.UTC(2026, 10, day) / 1000));
    const [nightly, web] = series.lines;
    expect(nightly?.name).toBe('nightly-training');
    expect(nightly?.energyKwh.map((v) => Number(v.toFixed(9)))).toEqual([2.5, 3.75, 2.5, 0]);
    expect(web?.name).toBe('web-api');
    expect(web?.emissionsKg.map((v) => Number(v.toFixed(9)))).toEqual([0.0048, 0, 0, 0.0048]);
  });

  it('adds what each cumulative row grew by to the hours it covers', async () => {
    const file = writeEmissionsCsv([
      emissionsRow({
        timestamp: '2026-11-02T10:00:00',
        run_id: 'r1',
        duration: 3600,
        energy_consumed: 1,
      }),
      emissionsRow({
        timestamp: '2026-11-02T12:00:00',
        run_id: 'r1',
        duration: 10_800,
        energy_consumed: 3,
      }),
    ]);
    const series = await seriesOf(file);

    expect(series.bucket).toBe('minute');
    const hourly = await seriesOf(
      writeEmissionsCsv([
        emissionsRow({
          timestamp: '2026-11-02T10:00:00',
          run_id: 'r1',
          duration: 3600,
          energy_consumed: 1,
        }),
        emissionsRow({
          timestamp: '2026-11-02T12:00:00',
          run_id: 'r1',
          duration: 10_800,
          energy_consumed: 3,
        }),
        emissionsRow({
          timestamp: '2026-11-03T12:00:00',
          run_id: 'r2',
          duration: 60,
          energy_consumed: 0,
        }),
      ]),
    );
    expect(hourly.bucket).toBe('hour');
    expect(hourly.x[0]).toBe(Date.UTC(2026, 10, 2, 9) / 1000);
    expect(hourly.lines[0]?.energyKwh.slice(0, 4).map((v) => Number(v.toFixed(9)))).toEqual([
      1, 1, 1, 0,
    ]);
    expect(hourly.x[1]).toBe((hourly.x[0] as number) + HOUR_S);
  });

  it('spreads a run written once over its whole duration, across midnight', async () => {
    const series = await seriesOf(
      writeEmissionsCsv([
        emissionsRow({
          timestamp: '2026-11-03T01:00:00',
          run_id: 'r1',
          duration: 7200,
          energy_consumed: 2,
        }),
        emissionsRow({
          timestamp: '2026-11-08T01:00:00',
          run_id: 'r2',
          duration: 60,
          energy_consumed: 0,
        }),
      ]),
    );
    expect(series.bucket).toBe('day');
    expect(series.lines[0]?.energyKwh.slice(0, 2).map((v) => Number(v.toFixed(9)))).toEqual([1, 1]);
  });

  it('draws per experiment when one project is shown, and folds small groups into "other"', async () => {
    const dataset = await loadEmissionsFiles([FIXTURES.node]);
    const nightly = dataset.runs.filter((run) => run.projectName === 'nightly-training');
    expect(timeSeries(nightly, dataset.points).groupedBy).toBe('experiment');

    const many = await seriesOf(
      writeEmissionsCsv(
        Array.from({ length: 10 }, (_, i) =>
          emissionsRow({
            timestamp: '2026-11-02T10:00:00',
            project_name: `p${i}`,
            run_id: `r${i}`,
            duration: 60,
            energy_consumed: i + 1,
          }),
        ),
      ),
    );
    expect(many.lines.map((line) => line.name)).toEqual([
      'p9',
      'p8',
      'p7',
      'p6',
      'p5',
      'p4',
      'p3',
      'other',
    ]);
    expect(many.lines.at(-1)?.energyKwh.reduce((a, b) => a + b, 0)).toBeCloseTo(1 + 2 + 3, 9);
  });

  it('keeps the number of buckets near 180 at most, whatever the span', () => {
    const day = 86_400_000;
    expect([2 * 3600_000, 2 * day, 100 * day, 1000 * day, 5000 * day].map(bucketFor)).toEqual([
      'minute',
      'hour',
      'day',
      'week',
      'month',
    ]);
  });
});
