/**
 * Numbers for people. A table column uses one unit for all its cells (the largest in which
 * its largest value is at least 1), so the cells compare at a glance.
 */

export interface Scale {
  unit: string;
  /** How many base units (kWh, kg) one `unit` is. */
  per: number;
}

export const ENERGY_SCALES: readonly Scale[] = [
  { unit: 'mWh', per: 1e-6 },
  { unit: 'Wh', per: 1e-3 },
  { unit: 'kWh', per: 1 },
  { unit: 'MWh', per: 1e3 },
];

export const MASS_SCALES: readonly Scale[] = [
  { unit: 'mg', per: 1e-6 },
  { unit: 'g', per: 1e-3 },
  { unit: 'kg', per: 1 },
  { unit: 't', per: 1e3 },
];

export function pickScale(values: readonly number[], scales: readonly Scale[]): Scale {
  const largest = Math.max(0, ...values.map(Math.abs));
  let chosen = scales[0] as Scale;
  for (const scale of scales) if (largest / scale.per >= 1) chosen = scale;
  return chosen;
}

/** `12.3 Wh`, in the given scale or the one that suits the value. */
export function formatAmount(value: number, scales: readonly Scale[], scale?: Scale): string {
  const chosen = scale ?? pickScale([value], scales);
  return `${formatNumber(value / chosen.per)} ${chosen.unit}`;
}

/** About three significant digits, thousands separated, never in exponent form. */
export function formatNumber(value: number): string {
  const size = Math.abs(value);
  if (value === 0) return '0';
  if (size < 0.001) return value > 0 ? '<0.001' : '>-0.001';
  const decimals = size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

export function formatDurationS(seconds: number): string {
  if (seconds < 60) return `${formatNumber(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function formatIntensity(gPerKwh: number | undefined): string {
  return gPerKwh === undefined ? '—' : `${formatNumber(gPerKwh)} g/kWh`;
}
