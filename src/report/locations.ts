/** Where the electricity came from: energy and emissions per place and intensity source. */

import type { RunTotal } from './run-total.js';

export interface LocationShare {
  /** `France`, `United States · new york`, `gcp europe-west9`. */
  place: string;
  /** Where the carbon intensity came from (see `IntensityInfo.source`). */
  intensitySource: string;
  runs: number;
  energyKwh: number;
  emissionsKg: number;
  /** Emissions ÷ energy of these runs, g CO2eq/kWh. */
  intensityGPerKwh: number | undefined;
}

/** By decreasing energy. */
export function locationsOf(runs: readonly RunTotal[]): LocationShare[] {
  const shares = new Map<string, LocationShare>();
  for (const run of runs) {
    const place = placeOf(run);
    const key = `${place}\u001f${run.intensity.source}`;
    let share = shares.get(key);
    if (!share) {
      share = {
        place,
        intensitySource: run.intensity.source,
        runs: 0,
        energyKwh: 0,
        emissionsKg: 0,
        intensityGPerKwh: undefined,
      };
      shares.set(key, share);
    }
    share.runs++;
    share.energyKwh += run.energyKwh;
    share.emissionsKg += run.emissionsKg;
  }
  for (const share of shares.values()) {
    if (share.energyKwh > 0) share.intensityGPerKwh = (share.emissionsKg / share.energyKwh) * 1000;
  }
  return [...shares.values()].sort((a, b) => b.energyKwh - a.energyKwh);
}

/** A short name for where a run's electricity came from. */
export function placeOf(run: Pick<RunTotal, 'location'>): string {
  const { location } = run;
  if (location.onCloud === 'Y' && location.cloudProvider) {
    return `${location.cloudProvider} ${location.cloudRegion ?? ''}`.trim();
  }
  const country = location.countryName ?? location.countryIsoCode ?? '';
  return [country, location.region].filter(Boolean).join(' · ') || 'unknown';
}
