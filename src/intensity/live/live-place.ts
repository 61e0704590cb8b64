import type { IntensityNow } from '../intensity-feed.js';
import type { CachedLiveOutcome } from './live-cache.js';

/**
 * The place with the live answer applied: Electricity Maps' value and where it is from when
 * the fetch worked, else the tables' value with the reason the live one is missing. Either
 * way the detail names both figures, so a record shows what it used and what it did not.
 */
export function withLiveAnswer(
  place: IntensityNow,
  answer: CachedLiveOutcome,
  askedFor: string,
): IntensityNow {
  const tables = `${place.intensityGPerKwh} g CO2eq/kWh from ${place.detail}`;
  const { outcome } = answer;
  if (!outcome.ok) {
    return {
      ...place,
      detail:
        `${tables} (Electricity Maps failed: ${outcome.reason}; ` +
        `tables used until ${isoSeconds(answer.expiresAtMs)})`,
    };
  }

  const { intensityGPerKwh, zone, datetime } = outcome.value;
  const { dataYear: _tablesYear, ...rest } = place;
  const where = zone === undefined ? askedFor : `zone ${zone}`;
  const hour = datetime === undefined ? '' : ` for ${datetime}`;
  return {
    ...rest,
    intensityGPerKwh,
    source: 'live',
    detail:
      `Electricity Maps live intensity, ${where}${hour}, fetched ` +
      `${isoSeconds(answer.fetchedAtMs)} (tables: ${tables})`,
  };
}

/** The warning said once per run when the live intensity cannot be had. */
export function liveFailureMessage(reason: string, place: IntensityNow): string {
  return (
    `Electricity Maps live intensity unavailable (${reason}); using the static tables ` +
    `(${place.intensityGPerKwh} g CO2eq/kWh) and trying again after the cache period. ` +
    'If it persists, check electricitymaps_url and electricitymaps_api_token. ' +
    'Not repeated in this run.'
  );
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
