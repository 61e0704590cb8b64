/**
 * Electricity Maps (formerly CO2 Signal): the latest carbon intensity of a grid zone, by
 * coordinates or by zone code. The token travels only in the `auth-token` header; it is never
 * logged, and it is blanked out of any reason text built from the server's answer.
 */

import { httpGet, parseJsonObject } from '../../location/http-get.js';

/** Where to ask for: coordinates when known, else a zone (a country's alpha-2 code, `FR`). */
export type LiveQuery = { latitude: number; longitude: number } | { zone: string };

export interface LiveIntensity {
  /** g CO2eq/kWh. */
  intensityGPerKwh: number;
  /** The zone Electricity Maps answered for (`FR`, `US-MIDA-PJM`). */
  zone?: string;
  /** The hour the value is for, as the API gives it. */
  datetime?: string;
}

export type LiveOutcome = { ok: true; value: LiveIntensity } | { ok: false; reason: string };

export interface LiveRequest {
  /** API base, e.g. `https://api.electricitymaps.com/v3`. */
  baseUrl: string;
  token: string;
  query: LiveQuery;
  timeoutMs: number;
  signal?: AbortSignal;
}

export const DEFAULT_LIVE_TIMEOUT_MS = 3000;

/** Fetches the latest intensity once. Never rejects; any failure is a reason to fall back. */
export async function fetchLiveIntensity(request: LiveRequest): Promise<LiveOutcome> {
  const outcome = await httpGet({
    url: liveUrl(request.baseUrl, request.query),
    headers: { 'auth-token': request.token, accept: 'application/json' },
    timeoutMs: request.timeoutMs,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const scrub = (text: string) =>
    request.token === '' ? text : text.split(request.token).join('<token>');

  if (!outcome.ok) {
    if (outcome.kind !== 'status') return { ok: false, reason: scrub(outcome.reason) };
    return { ok: false, reason: scrub(`${outcome.reason}${serverMessage(outcome.body)}`) };
  }
  const json = parseJsonObject(outcome.body);
  if (typeof json === 'string') return { ok: false, reason: json };
  const intensity = json.carbonIntensity;
  if (typeof intensity !== 'number' || !Number.isFinite(intensity) || intensity < 0) {
    return { ok: false, reason: 'the answer has no valid "carbonIntensity" field' };
  }
  const value: LiveIntensity = { intensityGPerKwh: intensity };
  if (typeof json.zone === 'string') value.zone = scrub(json.zone.slice(0, 40));
  if (typeof json.datetime === 'string') value.datetime = scrub(json.datetime.slice(0, 40));
  return { ok: true, value };
}

/** The request URL: `<base>/carbon-intensity/latest?lat=…&lon=…` or `?zone=…`. */
export function liveUrl(baseUrl: string, query: LiveQuery): string {
  const parameters =
    'zone' in query
      ? new URLSearchParams({ zone: query.zone })
      : new URLSearchParams({ lat: String(query.latitude), lon: String(query.longitude) });
  return `${baseUrl.replace(/\/+$/, '')}/carbon-intensity/latest?${parameters}`;
}

/** A short reason from a JSON error body (`error` or `message`); nothing from HTML. */
function serverMessage(body: string): string {
  const json = parseJsonObject(body);
  if (typeof json === 'string') return json.includes('HTML') ? ' (HTML body)' : '';
  const message = json.error ?? json.message;
  return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
}
