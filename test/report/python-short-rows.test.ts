import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';
import { readSchema } from '../../src/report/csv-schema.js';
import { repairShortRow } from '../../src/report/python-short-rows.js';
import { rowFacts } from '../../src/report/row-facts.js';

const COLUMNS = [...CSV_COLUMNS];
const SCHEMA = readSchema(COLUMNS);

/** A row as Python CodeCarbon appends it: the `dropped` (empty) cells left out. */
function cellsOf(values: Record<string, string>, dropped: string[]): string[] {
  return COLUMNS.filter((column) => !dropped.includes(column)).map(
    (column) => values[column] ?? '',
  );
}

/** The repaired row's values, as a report reads them. */
function repair(cells: string[]) {
  const repaired = repairShortRow(SCHEMA, cells);
  return repaired && { ...repaired, facts: rowFacts(repaired.cells, SCHEMA, repaired.core) };
}

const OFFLINE_FRA: Record<string, string> = {
  timestamp: '2026-12-03T12:33:35',
  project_name: 'codecarbon',
  run_id: '25d88bf5-11e0-4e5b-949e-134f8e2b9784',
  experiment_id: '5b0fa12a-3dd7-45bb-9766-cc326314d9f1',
  duration: '5.1',
  emissions: '1.68e-06',
  emissions_rate: '3.3e-07',
  cpu_power: '1.15',
  gpu_power: '0.0',
  ram_power: '20.0',
  cpu_energy: '1.6e-06',
  gpu_energy: '0.0',
  ram_energy: '2.8e-05',
  energy_consumed: '3e-05',
  water_consumed: '0.0',
  country_name: 'France',
  country_iso_code: 'FRA',
  os: 'Linux-6.1.0-18-amd64-x86_64-with-glibc2.36',
  python_version: '3.11.7',
  codecarbon_version: '3.3.0',
  cpu_count: '2',
  cpu_model: 'Intel(R) Xeon(R) Processor',
  gpu_count: '0',
  ram_total_size: '23.54',
  tracking_mode: 'machine',
  cpu_utilization_percent: '0.0',
  gpu_utilization_percent: '0',
  ram_utilization_percent: '2.1',
  ram_used_gb: '0.5',
  on_cloud: 'N',
  pue: '1.0',
  wue: '0.0',
};

describe('repairShortRow (Python CodeCarbon drops empty cells when appending)', () => {
  it('puts back region, longitude and latitude of an offline run (35 cells)', () => {
    const repaired = repair(cellsOf(OFFLINE_FRA, ['region', 'longitude', 'latitude']));

    expect(repaired?.emptied).toEqual(['region', 'longitude', 'latitude']);
    expect(repaired?.cells).toHaveLength(38);
    expect(repaired?.facts).toMatchObject({
      durationS: 5.1,
      energyKwh: 3e-5,
      location: { countryName: 'France', countryIsoCode: 'FRA', onCloud: 'N' },
      hardware: { ramTotalSizeGiB: 23.54, cpuModel: 'Intel(R) Xeon(R) Processor' },
      measurement: { trackingMode: 'machine', pue: 1 },
    });
  });

  it('puts back the coordinates of a cloud run that has a region (36 cells)', () => {
    const cloud = {
      ...OFFLINE_FRA,
      region: 'paris',
      cloud_provider: 'gcp',
      cloud_region: 'europe-west9',
      on_cloud: 'Y',
    };
    const repaired = repair(cellsOf(cloud, ['longitude', 'latitude']));

    expect(repaired?.emptied).toEqual(['longitude', 'latitude']);
    expect(repaired?.facts.location).toMatchObject({
      region: 'paris',
      cloudProvider: 'gcp',
      cloudRegion: 'europe-west9',
    });
  });

  it('puts back the country of an offline run without one', () => {
    const dropped = ['country_name', 'country_iso_code', 'region', 'longitude', 'latitude'];
    const repaired = repair(cellsOf(OFFLINE_FRA, dropped));

    expect(repaired?.emptied.sort()).toEqual([...dropped].sort());
    expect(repaired?.facts.location.countryName).toBeUndefined();
    expect(repaired?.facts.measurement.trackingMode).toBe('machine');
  });

  it('gives up when no way of re-inserting empty cells fits the columns', () => {
    const cells = cellsOf(OFFLINE_FRA, []).slice(0, 30);
    expect(repairShortRow(SCHEMA, cells)).toBeUndefined();
  });
});
