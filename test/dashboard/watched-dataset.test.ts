import { appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WatchedDataset } from '../../src/dashboard/watched-dataset.js';
import { formatCsvRow } from '../../src/output/csv-format.js';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';
import { waitFor } from '../helpers/cli.js';
import { emissionsCsv, emissionsRow, writeEmissionsCsv } from './emissions-csv.js';

const FIRST = emissionsRow({
  timestamp: '2026-11-02T10:00:00',
  run_id: 'r1',
  duration: 60,
  energy_consumed: 1,
});

describe('WatchedDataset', () => {
  it('re-reads a file when a tracker appends to it', async () => {
    const file = writeEmissionsCsv([FIRST]);
    const watched = new WatchedDataset({ files: [file], pollIntervalMs: 20 });
    await watched.start();
    expect(watched.version).toBe(1);
    expect(watched.dataset.runs).toHaveLength(1);

    appendFileSync(
      file,
      formatCsvRow(
        CSV_COLUMNS,
        emissionsRow({
          timestamp: '2026-11-02T10:05:00',
          run_id: 'r2',
          duration: 60,
          energy_consumed: 2,
        }),
      ),
    );
    await waitFor(() => watched.version === 2, 5000);
    watched.stop();

    expect(watched.dataset.runs.map((run) => run.runId)).toEqual(['r1', 'r2']);
    expect(watched.dataset.runs[1]?.energyKwh).toBe(2);
  });

  it('picks up a file that did not exist yet', async () => {
    const missing = join(dirname(writeEmissionsCsv([])), 'later.csv');
    const watched = new WatchedDataset({ files: [missing], pollIntervalMs: 20 });
    await watched.start();
    expect(watched.dataset.files[0]).toMatchObject({ found: false });

    writeFileSync(missing, emissionsCsv([FIRST]));
    await waitFor(() => watched.dataset.runs.length === 1, 5000);
    watched.stop();
    expect(watched.dataset.files[0]).toMatchObject({ found: true, rows: 1 });
  });

  it('does not rebuild while nothing changes', async () => {
    const watched = new WatchedDataset({ files: [writeEmissionsCsv([FIRST])], pollIntervalMs: 10 });
    await watched.start();
    await watched.check();
    await watched.check();
    watched.stop();
    expect(watched.version).toBe(1);
  });
});
