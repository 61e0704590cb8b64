/**
 * Live intensities reused for a period (15 minutes by default) by every tracker of the
 * process, instead of one request per record. A failure is kept for the same period, so a
 * broken endpoint is asked again only when the period ends. Concurrent askers share one
 * request.
 */

import { createHash } from 'node:crypto';
import {
  fetchLiveIntensity,
  type LiveOutcome,
  type LiveRequest,
  liveUrl,
} from './electricity-maps.js';

export interface CachedLiveOutcome {
  outcome: LiveOutcome;
  /** When the answer was fetched and until when it is reused, ms on the caller's clock. */
  fetchedAtMs: number;
  expiresAtMs: number;
}

interface Entry {
  value?: CachedLiveOutcome;
  inFlight?: Promise<CachedLiveOutcome>;
}

const entries = new Map<string, Entry>();

/**
 * The cached answer when fresh, else one request (shared with concurrent callers) whose
 * answer is kept for `lifetimeMs`. Never rejects.
 */
export function cachedLiveIntensity(
  request: LiveRequest,
  lifetimeMs: number,
  now: () => number,
): Promise<CachedLiveOutcome> {
  const key = cacheKey(request);
  const entry = entries.get(key) ?? {};
  entries.set(key, entry);
  if (entry.value !== undefined && now() < entry.value.expiresAtMs) {
    return Promise.resolve(entry.value);
  }
  if (entry.inFlight !== undefined) return entry.inFlight;

  // The request is not tied to one tracker's lifetime: another tracker may be waiting on it,
  // and its own timeout bounds it.
  const { signal: _notShared, ...shared } = request;
  const inFlight = fetchLiveIntensity(shared).then((outcome) => {
    const fetchedAtMs = now();
    const value = { outcome, fetchedAtMs, expiresAtMs: fetchedAtMs + lifetimeMs };
    entry.value = value;
    entry.inFlight = undefined;
    return value;
  });
  entry.inFlight = inFlight;
  return inFlight;
}

/** Forgets every cached answer (tests). */
export function clearLiveIntensityCache(): void {
  entries.clear();
}

// The token is part of the key (hashed: the key is never shown, but a map dump should not
// reveal it either), so a rejected token never hides a valid one's answer.
function cacheKey(request: LiveRequest): string {
  const tokenHash = createHash('sha256').update(request.token).digest('hex').slice(0, 16);
  return `${liveUrl(request.baseUrl, request.query)} ${tokenHash}`;
}
