import { loadDataFile } from '../data/load-data.js';

/**
 * Shapes of the generated intensity tables in `data/` (see scripts/generate-data.mjs). Every
 * table carries its source, licence and year; `label` names it in provenance strings.
 */
interface Table<Row> {
  source: string;
  licence: string;
  /** Year of the figures, or null when each row carries its own. */
  year: number | null;
  label?: string;
  rows: Row[];
}

/** [alpha2, alpha3, English name] */
export type CountryCodeRow = [string, string, string];

/** [alpha3, name, g CO2e/kWh, data year, 'published' | 'mix'] */
export type CountryRow = [string, string, number, number, 'published' | 'mix'];

/** [lower-case name, postal code, g CO2e/kWh, lbs CO2e/MWh as published] */
export type UsStateRow = [string, string, number, number];

/** [lower-case name, ISO 3166-2:CA code, g CO2e/kWh, coal %, petroleum %, natural gas %, total %] */
export type CanadaProvinceRow = [string, string, number, number, number, number, number];

/** [zone, alpha3, g CO2e/kWh, data year] */
export type NordicZoneRow = [string, string, number, number];

/** [provider, region, alpha3, state, city, g CO2e/kWh published by the provider or null] */
export type CloudRegionRow = [string, string, string, string, string, number | null];

export interface WorldAverage {
  intensityGPerKwh: number;
  source: string;
  year: number;
}

export type CountryCodesTable = Table<CountryCodeRow>;
export type CountriesTable = Table<CountryRow> & { label: string; worldAverage: WorldAverage };
export type UsStatesTable = Table<UsStateRow> & { label: string; year: number };
export type CanadaProvincesTable = Table<CanadaProvinceRow> & { label: string; year: number };
export type NordicZonesTable = Table<NordicZoneRow> & { label: string };
export type CloudRegionsTable = Table<CloudRegionRow>;

export const countryCodesTable = (): CountryCodesTable => loadDataFile('country-codes.json');
export const countriesTable = (): CountriesTable => loadDataFile('countries.json');
export const usStatesTable = (): UsStatesTable => loadDataFile('us-states.json');
export const canadaProvincesTable = (): CanadaProvincesTable =>
  loadDataFile('canada-provinces.json');
export const nordicZonesTable = (): NordicZonesTable => loadDataFile('nordic-zones.json');
export const cloudRegionsTable = (): CloudRegionsTable => loadDataFile('cloud-regions.json');
