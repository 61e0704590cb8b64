#!/usr/bin/env node
// Generates the reference tables in data/ from their sources.
//
//   node scripts/generate-data.mjs [sourceDir] [outDir]
//
// sourceDir defaults to ../shared/reference-data (relative to the repository root), outDir to
// data/. Figures are copied as published or derived by the formula written next to them; each
// output file records its source, licence and year. Only this script may use the
// i18n-iso-countries devDependency: the runtime reads the generated alpha-2 → alpha-3 table.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import isoCountries from 'i18n-iso-countries';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'reference-data'));
const outDir = resolve(process.argv[3] ?? join(root, 'data'));
const codecarbonDir = join(sourceDir, 'codecarbon');

const CODECARBON_LICENCE = 'Compiled by the CodeCarbon project (MIT licence); figures are facts.';
const CODECARBON_RELEASE = 'CodeCarbon 3.3.0 data files';

// g/kWh for 1 lb/MWh: 0.45359237 kg/lb × 1000 g/kg ÷ 1000 kWh/MWh.
const G_PER_KWH_PER_LB_PER_MWH = 0.45359237;

// CodeCarbon's per-fuel factors for the Canadian mix, g/kWh (its kg/kWh figures × 1000).
const CANADA_FUEL_G_PER_KWH = { coal: 995.725971, petroleum: 816.6885263, naturalGas: 743.8415916 };

// ISO 3166-2:CA subdivision codes; Canada Post uses the same two letters for addresses.
const CANADA_SUBDIVISIONS = {
  alberta: 'AB',
  'british columbia': 'BC',
  manitoba: 'MB',
  'new brunswick': 'NB',
  'newfoundland and labrador': 'NL',
  'northwest territories': 'NT',
  'nova scotia': 'NS',
  nunavut: 'NU',
  ontario: 'ON',
  'prince edward island': 'PE',
  quebec: 'QC',
  saskatchewan: 'SK',
  yukon: 'YT',
};

const NORDIC_ZONE_COUNTRIES = { SE: 'SWE', NO: 'NOR', FI: 'FIN' };

// AWS rows give a city but no state; these are the states of those cities, so that the US and
// Canadian tables apply. `Dublin` in a USA row is Dublin, Ohio (GovCloud US-East).
const US_CA_CITY_STATES = {
  'USA/Ashburn': 'Virginia',
  'USA/Columbus': 'Ohio',
  'USA/Dublin': 'Ohio',
  'USA/Portland': 'Oregon',
  'USA/San Francisco': 'California',
  'USA/Seattle': 'Washington',
  'CAN/Montreal': 'Quebec',
};

// Hong Kong has its own grid and its own row in the energy mix (Azure's eastasia in the same
// city says HKG), but the source names AWS ap-east-1's country as China.
const LOCATION_FIXES = { 'aws/ap-east-1': 'HKG' };

mkdirSync(outDir, { recursive: true });
writeTable('cpu-tdp.json', cpuTdpTable());
writeTable('country-codes.json', countryCodesTable());
writeTable('countries.json', countriesTable());
writeTable('us-states.json', usStatesTable());
writeTable('canada-provinces.json', canadaProvincesTable());
writeTable('nordic-zones.json', nordicZonesTable());
writeTable('cloud-regions.json', cloudRegionsTable());

function cpuTdpTable() {
  const records = readCsv('cpu_power.csv');
  return {
    source: 'Intel ARK and AMD product specifications, compiled by CodeCarbon (cpu_power.csv)',
    licence: CODECARBON_LICENCE,
    // The CSV carries no date and was scraped over several years.
    year: null,
    retrieved: CODECARBON_RELEASE,
    unit: 'W',
    columns: ['name', 'tdpW'],
    rows: records.map((record) => [record.Name.trim(), Number(record.TDP)]),
  };
}

function countryCodesTable() {
  const rows = Object.entries(isoCountries.getAlpha2Codes())
    .map(([alpha2, alpha3]) => [alpha2, alpha3, isoCountries.getName(alpha2, 'en')])
    .sort(byKey);
  return {
    source: 'ISO 3166-1 alpha-2 and alpha-3 codes with English names, from i18n-iso-countries',
    licence: 'MIT (i18n-iso-countries); the codes are ISO 3166-1 facts.',
    year: null,
    retrieved: `i18n-iso-countries ${packageVersion('i18n-iso-countries')}`,
    columns: ['alpha2', 'alpha3', 'name'],
    rows,
  };
}

function countriesTable() {
  const mix = readJson('global_energy_mix.json');
  const factors = readJson('carbon_intensity_per_source.json');
  const knownAlpha3 = new Set(Object.values(isoCountries.getAlpha2Codes()));
  const rows = [];
  for (const [alpha3, country] of Object.entries(mix).sort(byKey)) {
    if (!knownAlpha3.has(alpha3)) console.log(`countries: ${alpha3} is not an ISO 3166-1 code`);
    if (country.carbon_intensity > 0) {
      rows.push([
        alpha3,
        country.country_name,
        country.carbon_intensity,
        country.year,
        'published',
      ]);
      continue;
    }
    const fromMix = intensityFromMix(country, factors);
    if (fromMix === undefined) {
      console.log(`countries: ${alpha3} has no intensity and its mix cannot be valued; omitted`);
      continue;
    }
    console.log(`countries: ${alpha3} intensity computed from its generation mix: ${fromMix}`);
    rows.push([alpha3, country.country_name, fromMix, country.year, 'mix']);
  }
  return {
    source:
      'Our World in Data (Ember, Energy Institute) electricity data, compiled by CodeCarbon ' +
      '(global_energy_mix.json); "mix" rows value the generation mix with the life-cycle ' +
      'factors of carbon_intensity_per_source.json (IEA, IPCC/WNA)',
    licence: `${CODECARBON_LICENCE} Our World in Data publishes under CC BY 4.0.`,
    year: null,
    yearNote: 'each row carries the year of its figures',
    label: 'country table (Our World in Data / Ember)',
    unit: 'gCO2e/kWh',
    columns: ['alpha3', 'name', 'intensityGPerKwh', 'year', 'method'],
    rows,
    worldAverage: {
      intensityGPerKwh: factors.world_average,
      source: `IEA Global Energy & CO2 Status Report 2019 (${factors.world_average_source})`,
      year: 2019,
    },
  };
}

// Values a mix with disjoint sources only. Upstream (spec §7.3) adds `fossil` on top of `coal`
// and ignores gas and oil, which only works for a mix without fossil fuels; here gas and oil use
// the natural-gas and petroleum factors, and a mix with an unvalued source is left out.
function intensityFromMix(country, factors) {
  const sourceFactors = {
    coal: factors.coal,
    gas: factors.natural_gas,
    oil: factors.petroleum,
    nuclear: factors.nuclear,
    hydroelectricity: factors.hydroelectricity,
    solar: factors.solar,
    wind: factors.wind,
    biofuel: undefined,
    other_renewable_exc_biofuel: undefined,
  };
  const totalTwh = country.total_TWh;
  if (!(totalTwh > 0)) return undefined;
  let weightedTwh = 0;
  let coveredTwh = 0;
  for (const [source, factor] of Object.entries(sourceFactors)) {
    const twh = country[`${source}_TWh`] ?? 0;
    if (twh === 0) continue;
    if (factor === undefined) return undefined;
    weightedTwh += twh * factor;
    coveredTwh += twh;
  }
  if (Math.abs(coveredTwh - totalTwh) > 1e-6 * totalTwh) return undefined;
  return weightedTwh / totalTwh;
}

function usStatesTable() {
  const states = readJson('usa_emissions.json');
  // `usa` is eGRID's national figure and `_unit` describes the file; the country table
  // (a newer year) covers the whole country instead.
  const rows = Object.entries(states)
    .filter(([name]) => name !== 'usa' && name !== '_unit')
    .sort(byKey)
    .map(([name, state]) => [
      name,
      state.regionCode,
      state.emissions * G_PER_KWH_PER_LB_PER_MWH,
      state.emissions,
    ]);
  return {
    source:
      'US EPA eGRID 2016 state output emission rates, compiled by CodeCarbon (usa_emissions.json)',
    licence: `${CODECARBON_LICENCE} eGRID is US public-domain data.`,
    year: 2016,
    label: 'US state table (EIA eGRID 2016)',
    unit: 'gCO2e/kWh',
    conversion: 'g/kWh = lbs/MWh × 0.45359237',
    columns: ['name', 'postalCode', 'intensityGPerKwh', 'emissionsLbsPerMwh'],
    rows,
  };
}

function canadaProvincesTable() {
  const provinces = readJson('canada_energy_mix.json');
  const rows = Object.entries(provinces)
    .sort(byKey)
    .map(([name, mix]) => {
      const code = CANADA_SUBDIVISIONS[name];
      if (code === undefined) throw new Error(`canada: no ISO 3166-2:CA code for "${name}"`);
      const intensityGPerKwh =
        (mix.coal / mix.total) * CANADA_FUEL_G_PER_KWH.coal +
        (mix.petroleum / mix.total) * CANADA_FUEL_G_PER_KWH.petroleum +
        (mix.naturalGas / mix.total) * CANADA_FUEL_G_PER_KWH.naturalGas;
      return [name, code, intensityGPerKwh, mix.coal, mix.petroleum, mix.naturalGas, mix.total];
    });
  return {
    source:
      "Canada Energy Regulator, Canada's Energy Future 2023 generation shares, compiled by " +
      'CodeCarbon (canada_energy_mix.json); province codes from ISO 3166-2:CA',
    licence: `${CODECARBON_LICENCE} CER data: Open Government Licence – Canada.`,
    year: 2023,
    label: 'Canadian province table (CER 2023 generation mix)',
    unit: 'gCO2e/kWh',
    // Only these three fuels emit in CodeCarbon's model; shares are percentages of `total`.
    fuelFactorsGPerKwh: CANADA_FUEL_G_PER_KWH,
    columns: [
      'name',
      'isoCode',
      'intensityGPerKwh',
      'coalPct',
      'petroleumPct',
      'naturalGasPct',
      'totalPct',
    ],
    rows,
  };
}

function nordicZonesTable() {
  const nordic = readJson('nordic_emissions.json');
  const rows = Object.entries(nordic.data)
    .sort(byKey)
    // The source's descriptions are left out: SE4's calls it the Stockholm region, but
    // Stockholm lies in SE3 and SE4 is the Malmö area.
    .map(([zone, entry]) => [
      zone,
      NORDIC_ZONE_COUNTRIES[zone.slice(0, 2)],
      entry.emission_factor,
      entry.year,
    ]);
  return {
    source: `${nordic.metadata.source}, compiled by CodeCarbon (nordic_emissions.json, updated ${nordic.metadata.last_updated})`,
    licence: CODECARBON_LICENCE,
    year: null,
    yearNote: 'each row carries the year of its figure',
    label: 'Nordic bidding zone table (ENTSO-E averages)',
    unit: 'gCO2e/kWh',
    columns: ['zone', 'alpha3', 'intensityGPerKwh', 'year'],
    rows,
  };
}

function cloudRegionsTable() {
  const gcpRows = readCsv('impact.csv').map((record) => [
    record.provider,
    // The source misspells Doha's region as `me-cenrtal1`; Google's name is `me-central1`.
    record.region === 'me-cenrtal1' ? 'me-central1' : record.region,
    record.countryIsoCode,
    record.state,
    record.city,
    Number(record.impact),
  ]);
  const otherRows = readCsv('impact-2023-with-aws-azure.csv')
    .filter((record) => record.provider !== 'gcp')
    .map((record) => {
      const alpha3 = cloudRegionCountry(record);
      const state = record.state || (US_CA_CITY_STATES[`${alpha3}/${record.city}`] ?? '');
      // Their `impact` figures are years old and of mixed provenance, so only the location is kept.
      return [record.provider, record.region, alpha3, state, record.city, null];
    });
  const rows = [...gcpRows, ...otherRows].sort((a, b) =>
    byKey([`${a[0]}/${a[1]}`], [`${b[0]}/${b[1]}`]),
  );
  return {
    source:
      'GCP: Google Cloud region carbon data as published by Google (impact.csv). AWS and Azure: ' +
      'region locations from CodeCarbon impact-2023-with-aws-azure.csv; their intensity is ' +
      'resolved through the country and regional grid tables',
    licence: CODECARBON_LICENCE,
    year: null,
    retrieved: CODECARBON_RELEASE,
    unit: 'gCO2e/kWh',
    columns: ['provider', 'region', 'alpha3', 'state', 'city', 'intensityGPerKwh'],
    rows,
  };
}

// Some countryIsoCode cells say USA for Asian and Canadian AWS regions; country_name is right.
function cloudRegionCountry(record) {
  const key = `${record.provider}/${record.region}`;
  const fixed = LOCATION_FIXES[key];
  if (fixed !== undefined) {
    console.log(`cloud: ${key} country ${record.countryIsoCode} → ${fixed} (Hong Kong grid)`);
    return fixed;
  }
  const fromName = isoCountries.getAlpha3Code(record.country_name, 'en');
  if (fromName === undefined) return record.countryIsoCode;
  if (fromName !== record.countryIsoCode) {
    console.log(
      `cloud: ${key} countryIsoCode ${record.countryIsoCode} → ${fromName} (country_name "${record.country_name}")`,
    );
  }
  return fromName;
}

function readCsv(name) {
  return parse(readFileSync(join(codecarbonDir, name), 'utf8'), {
    bom: true,
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
  });
}

function readJson(name) {
  return JSON.parse(readFileSync(join(codecarbonDir, name), 'utf8'));
}

function packageVersion(name) {
  const text = readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8');
  return JSON.parse(text).version;
}

function byKey([a], [b]) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function writeTable(name, table) {
  writeFileSync(join(outDir, name), `${JSON.stringify(table)}\n`);
  console.log(`${name}: ${table.rows.length} rows`);
}
