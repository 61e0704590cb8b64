import type { IntensityNow } from '../intensity-feed.js';
import { countryCodesTable } from '../intensity-tables.js';
import type { LiveQuery } from './electricity-maps.js';

/**
 * What to ask Electricity Maps for: the coordinates when a location service gave them, else
 * `country_2letter_iso_code` when set, else the zone of the country (its alpha-2 code).
 * Undefined when nothing is known about the place.
 */
export function liveQueryFor(place: IntensityNow, zone: string | undefined): LiveQuery | undefined {
  if (place.latitude !== undefined && place.longitude !== undefined) {
    return { latitude: place.latitude, longitude: place.longitude };
  }
  if (zone !== undefined && zone !== '') return { zone: zone.toUpperCase() };
  const alpha2 = place.countryIsoCode === undefined ? undefined : alpha2Of(place.countryIsoCode);
  return alpha2 === undefined ? undefined : { zone: alpha2 };
}

/** Human form of a query for logs and record details (coordinates are not logged). */
export function describeLiveQuery(query: LiveQuery): string {
  return 'zone' in query ? `zone ${query.zone}` : "the machine's coordinates";
}

let alpha2ByAlpha3: Map<string, string> | undefined;

function alpha2Of(alpha3: string): string | undefined {
  if (alpha2ByAlpha3 === undefined) {
    alpha2ByAlpha3 = new Map(countryCodesTable().rows.map(([alpha2, code3]) => [code3, alpha2]));
  }
  return alpha2ByAlpha3.get(alpha3.toUpperCase());
}
