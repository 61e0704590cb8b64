/**
 * IP geolocation: where the machine's public address is, from a JSON service such as
 * get.geojs.io (CodeCarbon's choice) or an ipinfo.io-like one. A short timeout and one retry
 * on transient failures; an answer without a usable country is a failure, never a guess.
 */

import { normalizeCountryCode } from '../intensity/country-codes.js';
import { type HttpOutcome, httpGet, isTransient, parseJsonObject, pause } from './http-get.js';

/** Where the geolocation service puts the machine. */
export interface GeoLocation {
  /** ISO 3166-1 alpha-3, upper case. */
  countryIsoCode: string;
  countryName: string;
  /** The service's administrative region as it spells it (`Illinois`, `Île-de-France`). */
  region?: string;
  latitude?: number;
  longitude?: number;
}

export type GeoOutcome = { ok: true; location: GeoLocation } | { ok: false; reason: string };

export interface GeolocationOptions {
  url: string;
  /** Per attempt, ms. */
  timeoutMs: number;
  /** Pause before the one retry, ms. Default 200. */
  retryDelayMs?: number;
  signal?: AbortSignal;
}

/** Asks the service once, and once more after a transient failure. Never rejects. */
export async function lookupGeolocation(options: GeolocationOptions): Promise<GeoOutcome> {
  const ask = () =>
    httpGet({
      url: options.url,
      headers: { accept: 'application/json' },
      timeoutMs: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });

  let outcome = await ask();
  if (isTransient(outcome) && !options.signal?.aborted) {
    await pause(options.retryDelayMs ?? 200, options.signal);
    const first = describeFailure(outcome);
    outcome = await ask();
    if (!outcome.ok) return { ok: false, reason: `${first}, then ${describeFailure(outcome)}` };
  }
  if (!outcome.ok) return { ok: false, reason: describeFailure(outcome) };
  return readAnswer(outcome.body);
}

/** Reads a geojs or ipinfo answer; exported for the cache, which stores answers as read. */
export function readAnswer(body: string): GeoOutcome {
  const json = parseJsonObject(body);
  if (typeof json === 'string') return { ok: false, reason: json };

  const code = firstCountryCode(json);
  if (code === undefined) return { ok: false, reason: 'the answer has no country code' };
  const country = normalizeCountryCode(code);
  if (country === undefined) return { ok: false, reason: `unknown country code "${code}"` };

  const location: GeoLocation = { countryIsoCode: country.alpha3, countryName: country.name };
  const region = text(json.region);
  if (region !== undefined) location.region = region;
  const coordinates = readCoordinates(json);
  if (coordinates !== undefined) Object.assign(location, coordinates);
  return { ok: true, location };
}

// geojs: country_code3 (alpha-3) and country_code (alpha-2), country is a name;
// ipinfo: country is the alpha-2 code.
function firstCountryCode(json: Record<string, unknown>): string | undefined {
  const candidates = [json.country_code3, json.country_code, json.country];
  for (const candidate of candidates) {
    const code = text(candidate);
    if (code !== undefined && /^[A-Za-z]{2,3}$/.test(code)) return code;
  }
  return undefined;
}

function readCoordinates(
  json: Record<string, unknown>,
): { latitude: number; longitude: number } | undefined {
  let latitude = toNumber(json.latitude);
  let longitude = toNumber(json.longitude);
  const loc = text(json.loc);
  if ((latitude === undefined || longitude === undefined) && loc !== undefined) {
    const parts = loc.split(',');
    if (parts.length === 2) [latitude, longitude] = parts.map(toNumber);
  }
  if (latitude === undefined || longitude === undefined) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  // 0, 0 is a real place (unlike CodeCarbon, which treats a latitude of 0 as "none").
  return { latitude, longitude };
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const raw = text(value);
  if (raw === undefined || !/^[+-]?\d+(\.\d+)?$/.test(raw)) return undefined;
  return Number(raw);
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function describeFailure(outcome: HttpOutcome): string {
  if (outcome.ok) return 'no failure';
  if (outcome.kind === 'timeout') return `timed out (${outcome.reason})`;
  return outcome.reason;
}
