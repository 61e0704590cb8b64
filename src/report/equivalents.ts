/**
 * Everyday equivalents of a footprint, each with its factor and where the factor comes from,
 * so a reader can check or replace it. Emissions are compared with emissions and energy with
 * energy: hours of TV do not depend on the grid the work ran on.
 */

export interface EquivalentFactor {
  id: 'car-km' | 'tv-hours';
  /** What the value counts, after the number: `km driven by an average passenger car`. */
  label: string;
  unit: 'km' | 'h';
  /** Which total the factor divides. */
  basis: 'emissions' | 'energy';
  /** Grams of CO2 per km for `emissions`, watts for `energy`. */
  factor: number;
  factorText: string;
  source: string;
  url: string;
}

export interface Equivalent extends EquivalentFactor {
  value: number;
}

const GRAMS_CO2_PER_US_GALLON_GASOLINE = 8887;
const AVERAGE_US_PASSENGER_VEHICLE_MPG = 22;
const KM_PER_MILE = 1.609344;
const CAR_G_PER_KM =
  GRAMS_CO2_PER_US_GALLON_GASOLINE / AVERAGE_US_PASSENGER_VEHICLE_MPG / KM_PER_MILE;
const TV_POWER_W = 100;

export const EQUIVALENT_FACTORS: readonly EquivalentFactor[] = [
  {
    id: 'car-km',
    label: 'driven by an average passenger car',
    unit: 'km',
    basis: 'emissions',
    factor: CAR_G_PER_KM,
    factorText:
      `${CAR_G_PER_KM.toFixed(0)} g CO2/km: 8,887 g CO2 per gallon of gasoline burned, ` +
      `at ${AVERAGE_US_PASSENGER_VEHICLE_MPG} miles per gallon (tailpipe CO2)`,
    source: 'US EPA, Greenhouse Gas Emissions from a Typical Passenger Vehicle (2023)',
    url: 'https://www.epa.gov/greenvehicles/greenhouse-gas-emissions-typical-passenger-vehicle',
  },
  {
    id: 'tv-hours',
    label: 'of a large flat-screen TV switched on',
    unit: 'h',
    basis: 'energy',
    factor: TV_POWER_W,
    factorText: `${TV_POWER_W} W, just under the 108 W on-mode limit for large screens`,
    source: 'US EPA, ENERGY STAR Program Requirements for Televisions, Version 5.3 (2011)',
    url: 'https://www.energystar.gov/products/electronics/televisions',
  },
];

export function equivalentsOf(totals: { emissionsKg: number; energyKwh: number }): Equivalent[] {
  return EQUIVALENT_FACTORS.map((factor) => ({
    ...factor,
    value:
      factor.basis === 'emissions'
        ? (totals.emissionsKg * 1000) / factor.factor
        : (totals.energyKwh * 1000) / factor.factor,
  }));
}
