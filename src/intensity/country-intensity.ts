import { type CountryRow, countriesTable } from './intensity-tables.js';

/** A figure from the country table or the world average, with its provenance. */
export interface TableIntensity {
  intensityGPerKwh: number;
  dataYear: number;
  /** Human provenance, e.g. `country table (Our World in Data / Ember), 2023: FRA (France)`. */
  detail: string;
}

/** The country table's figure for an ISO alpha-3 code (upper case), if the table has one. */
export function countryIntensity(alpha3: string): (TableIntensity & { name: string }) | undefined {
  const row = countryRows().get(alpha3);
  if (row === undefined) return undefined;
  const [, name, intensityGPerKwh, dataYear, method] = row;
  // A zero in the source means "not published"; the generator valued those mixes itself.
  const how = method === 'mix' ? `${dataYear} generation mix × life-cycle factors` : dataYear;
  const detail = `${countriesTable().label}, ${how}: ${alpha3} (${name})`;
  return { intensityGPerKwh, dataYear, detail, name };
}

/** The world average used when no better figure exists (475 g/kWh, IEA 2019). */
export function worldAverage(): TableIntensity {
  const { intensityGPerKwh, source, year } = countriesTable().worldAverage;
  return { intensityGPerKwh, dataYear: year, detail: `world average (${source})` };
}

let rows: Map<string, CountryRow> | undefined;

function countryRows(): Map<string, CountryRow> {
  rows ??= new Map(countriesTable().rows.map((row) => [row[0], row]));
  return rows;
}
