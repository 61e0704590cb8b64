import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeRecordSync } from '../../src/output/csv-file.js';
import {
  readCsv,
  readCsvObjects,
  recordingLogger,
  useTempDir,
} from '../output/csv-test-helpers.js';
import { makeRecord } from '../output/record-fixture.js';
import { propertyRuns } from './property-runs.js';

const tempDir = useTempDir();

/** One write: which run (of a few, so they repeat), in which mode, with which project name. */
const writeArb = fc.record({
  run: fc.integer({ min: 0, max: 3 }),
  mode: fc.constantFrom('append' as const, 'update' as const),
  projectName: fc.string({ unit: 'binary', maxLength: 12 }),
  emissions: fc.double({ min: 0, max: 1e3, noNaN: true }),
});

describe('CSV update mode under generated write sequences (issue 11)', () => {
  it('keeps exactly one row per run id, holding that run’s last values, whatever came before', () => {
    let n = 0;
    const dir = tempDir();
    fc.assert(
      fc.property(fc.array(writeArb, { minLength: 1, maxLength: 25 }), (writes) => {
        const path = join(dir, `emissions-${n++}.csv`);
        const logger = recordingLogger();
        for (const write of writes) {
          const record = makeRecord({
            runId: `run-${write.run}`,
            projectName: write.projectName,
            emissions: write.emissions,
          });
          expect(writeRecordSync(path, record, write.mode, logger)).toBe(true);
        }
        expect(logger.problems()).toEqual([]);
        expect(readCsv(path).every((row) => row.length === 38)).toBe(true);

        // After the last update of a run, that run has one row with the update's values;
        // appends of it made later add rows again (append mode keeps every row).
        const rows = readCsvObjects(path);
        const runs = new Set(writes.map((write) => write.run));
        for (const run of runs) {
          const ofRun = writes.filter((write) => write.run === run);
          const lastUpdate = ofRun.map((write) => write.mode).lastIndexOf('update');
          const appendsAfter = ofRun.slice(lastUpdate + 1).length;
          const rowsOfRun = rows.filter((row) => row.run_id === `run-${run}`);
          if (lastUpdate < 0) {
            expect(rowsOfRun).toHaveLength(ofRun.length);
            continue;
          }
          expect(rowsOfRun).toHaveLength(1 + appendsAfter);
          const last = ofRun.at(-1);
          expect(rowsOfRun.at(-1)?.project_name).toBe(last?.projectName);
          expect(Number(rowsOfRun.at(-1)?.emissions)).toBe(last?.emissions);
        }
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
