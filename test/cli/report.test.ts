import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/cli/report.js';
import { makeRecord } from '../output/record-fixture.js';

describe('formatReport', () => {
  const base = { record: makeRecord(), details: undefined, csvPath: '/work/emissions.csv' };

  it('points at the CSV file when the last write succeeded', () => {
    const report = formatReport({ ...base, csvWriteFailed: false });
    expect(report).toMatch(/^ {2}CSV {8}\/work\/emissions\.csv$/m);
  });

  it('says the CSV file was not written when the last write failed', () => {
    const report = formatReport({ ...base, csvWriteFailed: true });
    expect(report).toContain('CSV        /work/emissions.csv (not written: see the error above)');
  });

  it('shows the intensity with three decimals', () => {
    const report = formatReport({
      ...base,
      record: makeRecord({ carbonIntensity: 210.4759315274 }),
    });
    expect(report).toContain('Intensity  210.476 g CO2eq/kWh');
  });

  it('shows the command line as given, quoted as typed', () => {
    const report = formatReport({ ...base, command: "bash -c 'exit 42'", exitCode: 42 });
    expect(report).toContain("Command    bash -c 'exit 42' (exit 42)");
  });
});
