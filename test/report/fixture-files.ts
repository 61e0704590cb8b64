import { join } from 'node:path';

const DIR = join(import.meta.dirname, 'fixtures');

/**
 * The report fixtures (generated once by hand-checked arithmetic; amounts are round so the
 * expected totals read plainly):
 * - `node-two-projects.csv`: this tool, projects nightly-training (3 runs, 2 experiments,
 *   8.75 kWh, 490 g at 56 g/kWh) and web-api (2 runs, 48 Wh, 9.6 g at 200 g/kWh); run a1111111
 *   has two cumulative rows.
 * - `python-codecarbon-3.3.0.csv`: Python CodeCarbon, whose appended rows lost their empty
 *   cells (35 and 36 cells under a 38-column header); project codecarbon, 13.6 Wh, 797.6 mg.
 * - `python-codecarbon-older-schema.csv`: 31 columns (no experiment_id, water, utilisation,
 *   wue); project legacy-etl, 120 Wh, 45.6 g at 380 g/kWh.
 * - `malformed.csv`: project flaky, 4 good rows (9 Wh, 1.8 g), 6 bad ones, a repeated header
 *   and a changed header with an unknown column.
 * - `with-provenance-columns.csv`: web-api run a7777777 (36 Wh, 7.2 g) with method and
 *   intensity-source columns and an unknown `host` column.
 */
export const FIXTURES = {
  node: join(DIR, 'node-two-projects.csv'),
  python: join(DIR, 'python-codecarbon-3.3.0.csv'),
  olderSchema: join(DIR, 'python-codecarbon-older-schema.csv'),
  malformed: join(DIR, 'malformed.csv'),
  provenance: join(DIR, 'with-provenance-columns.csv'),
};

export const ALL_FIXTURES = Object.values(FIXTURES);
