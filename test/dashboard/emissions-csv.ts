import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCsvHeader, formatCsvRow } from '../../src/output/csv-format.js';
import { CSV_COLUMNS, type CsvColumn } from '../../src/records/emissions-data.js';

export type RowValues = Partial<Record<CsvColumn, string | number>>;

/**
 * A CodeCarbon row from the values a test cares about: energy all on the CPU, emissions at
 * 100 g/kWh unless given, France, this tool as writer.
 */
export function emissionsRow(values: RowValues & { energy_consumed: number }): RowValues {
  const kwh = values.energy_consumed;
  return {
    project_name: 'demo',
    experiment_id: '5b0fa12a-3dd7-45bb-9766-cc326314d9f1',
    cpu_energy: kwh,
    gpu_energy: 0,
    ram_energy: 0,
    emissions: kwh * 0.1,
    country_name: 'France',
    country_iso_code: 'FRA',
    python_version: 'node-20.20.2',
    codecarbon_version: '0.1.0',
    tracking_mode: 'machine',
    on_cloud: 'N',
    pue: 1,
    ...values,
  };
}

export function emissionsCsv(rows: readonly RowValues[]): string {
  return formatCsvHeader(CSV_COLUMNS) + rows.map((row) => formatCsvRow(CSV_COLUMNS, row)).join('');
}

/** Writes the rows to a new temporary file and returns its path. */
export function writeEmissionsCsv(rows: readonly RowValues[], name = 'emissions.csv'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cc-dashboard-')), name);
  writeFileSync(file, emissionsCsv(rows));
  return file;
}
