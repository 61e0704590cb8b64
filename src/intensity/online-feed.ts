/**
 * The intensity feed of the online tracker (and of any tracker with an Electricity Maps
 * token). Lookups start in the background when the feed is made, at `start()`; until they
 * answer, the intensity is provisional so the accountant keeps the energy aside and converts
 * it with the first definite value. Nothing here ever throws into the tracker.
 */

import {
  type ConfiguredLocation,
  configuredIntensity,
  type LocatedMessage,
  locatedIntensity,
  provisionalIntensity,
} from '../location/located-intensity.js';
import { type LocateOptions, locateMachine } from '../location/machine-location.js';
import type { OnceLogger } from '../log/logger.js';
import type { IntensityFeed, IntensityNow } from './intensity-feed.js';
import { DEFAULT_LIVE_TIMEOUT_MS } from './live/electricity-maps.js';
import { type CachedLiveOutcome, cachedLiveIntensity } from './live/live-cache.js';
import { liveFailureMessage, withLiveAnswer } from './live/live-place.js';
import { describeLiveQuery, liveQueryFor } from './live/live-query.js';

export interface LiveSettings {
  /** Electricity Maps API base, e.g. `https://api.electricitymaps.com/v3`. */
  baseUrl: string;
  /** Never logged. */
  token: string;
  /** How long a fetched value (or a failure) is reused, ms. */
  cacheMs: number;
  /** Per request, ms. Default 3000. */
  timeoutMs?: number;
  /** `country_2letter_iso_code`: the zone to ask for when no coordinates are known. */
  zone?: string;
}

export interface OnlineFeedOptions {
  configured: ConfiguredLocation;
  /** Locate the machine first; undefined when the configured location is final. */
  locate?: Omit<LocateOptions, 'signal' | 'onProblem'>;
  /** Live intensity from Electricity Maps; undefined for the tables only. */
  live?: LiveSettings;
  /** Default bound of `settled()`, ms. */
  waitMs: number;
  logger: OnceLogger;
  /** Clock of the live-intensity period, ms since the epoch. Default `Date.now`. */
  nowMs?: () => number;
}

/** What the accountant reads: the place and intensity, provisional while lookups run. */
export type FeedAnswer = IntensityNow & { provisional?: boolean };

type LiveState =
  | { status: 'off' }
  | { status: 'waiting' }
  | { status: 'unavailable'; reason: string }
  | { status: 'fetched'; answer: CachedLiveOutcome; zone: string };

/** An intensity feed whose answers say when they are provisional. */
export interface OnlineIntensityFeed extends IntensityFeed {
  current(): FeedAnswer;
}

/** Starts the lookups now and returns at once. */
export function createOnlineIntensityFeed(options: OnlineFeedOptions): OnlineIntensityFeed {
  return new OnlineFeed(options);
}

class OnlineFeed implements OnlineIntensityFeed {
  private place: IntensityNow;
  private locating: boolean;
  private live: LiveState;
  private refreshing = false;
  private closed = false;
  private readonly said = new Set<string>();
  private readonly ready: Promise<void>;
  private readonly controller = new AbortController();
  private readonly nowMs: () => number;

  constructor(private readonly options: OnlineFeedOptions) {
    this.nowMs = options.nowMs ?? Date.now;
    this.locating = options.locate !== undefined;
    if (this.locating) {
      this.place = provisionalIntensity(options.configured);
    } else {
      const { place, messages } = configuredIntensity(options.configured);
      this.place = place;
      this.say(messages);
    }
    this.live = options.live ? { status: 'waiting' } : { status: 'off' };
    this.ready = this.begin();
  }

  current(): FeedAnswer {
    try {
      this.refreshWhenExpired();
      return this.compose();
    } catch {
      return this.place;
    }
  }

  settled(boundMs = this.options.waitMs): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      // Ref'd on purpose: whoever awaits a record (stop(), flush()) must not see the process
      // exit under it; the bound keeps the wait short.
      const timer = setTimeout(resolve, boundMs);
      void this.ready.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.closed = true;
    this.controller.abort();
  }

  private async begin(): Promise<void> {
    try {
      if (this.options.locate) await this.locate(this.options.locate);
      if (this.options.live && !this.closed) await this.fetchLive(this.options.live);
    } catch (error) {
      this.say([
        {
          level: 'warn',
          key: 'feed-failed',
          text: `Intensity lookup failed (${describe(error)}); using ${this.place.detail}.`,
        },
      ]);
    } finally {
      // Whatever happened, nothing is pending any more: stop keeping energy aside.
      this.locating = false;
      if (this.live.status === 'waiting') {
        this.live = { status: 'unavailable', reason: 'lookup failed' };
      }
    }
  }

  private async locate(locate: NonNullable<OnlineFeedOptions['locate']>): Promise<void> {
    const { logger } = this.options;
    const { value, origin } = await locateMachine({
      ...locate,
      signal: this.controller.signal,
      onProblem: (message) => logger.debug(`Location cache: ${message}.`),
    });
    if (this.closed) return;
    const { place, messages } = locatedIntensity(this.options.configured, value);
    this.place = place;
    this.locating = false;
    this.say(messages);
    logger.debug(
      `Location ${origin === 'cache' ? 'read from the per-machine cache' : 'looked up'}.`,
    );
  }

  private async fetchLive(live: LiveSettings): Promise<void> {
    const query = liveQueryFor(this.place, live.zone);
    if (query === undefined) {
      const reason = 'no coordinates or country are known for this machine';
      this.live = { status: 'unavailable', reason };
      this.sayLiveFailure(reason);
      return;
    }
    this.refreshing = true;
    try {
      const request = {
        baseUrl: live.baseUrl,
        token: live.token,
        query,
        timeoutMs: live.timeoutMs ?? DEFAULT_LIVE_TIMEOUT_MS,
      };
      const answer = await cachedLiveIntensity(request, live.cacheMs, this.nowMs);
      if (this.closed) return;
      this.live = { status: 'fetched', answer, zone: describeLiveQuery(query) };
      const { outcome } = answer;
      if (!outcome.ok) {
        this.sayLiveFailure(outcome.reason);
      } else {
        const value = outcome.value.intensityGPerKwh;
        this.options.logger.debug(
          `Electricity Maps: ${value} g CO2eq/kWh for ${describeLiveQuery(query)}.`,
        );
        this.say([
          {
            level: 'info',
            key: 'live-ok',
            text: `Using live grid intensity from Electricity Maps (${value} g CO2eq/kWh now).`,
          },
        ]);
      }
    } finally {
      this.refreshing = false;
    }
  }

  // A new value is fetched in the background when the period ends; meanwhile the last one
  // stays in force, so current() never waits.
  private refreshWhenExpired(): void {
    const { live } = this.options;
    if (live === undefined || this.closed || this.refreshing || this.live.status !== 'fetched') {
      return;
    }
    if (this.nowMs() < this.live.answer.expiresAtMs) return;
    void this.fetchLive(live).catch((error: unknown) => {
      this.sayLiveFailure(describe(error));
    });
  }

  private compose(): FeedAnswer {
    if (this.locating) return { ...this.place, provisional: true };
    const live = this.live;
    switch (live.status) {
      case 'off':
        return this.place;
      case 'waiting':
        return {
          ...this.place,
          provisional: true,
          detail: `provisional while the live intensity is fetched: ${this.place.detail}`,
        };
      case 'unavailable':
        return {
          ...this.place,
          detail: `${this.place.detail} (live intensity unavailable: ${live.reason})`,
        };
      case 'fetched':
        return withLiveAnswer(this.place, live.answer, live.zone);
    }
  }

  private sayLiveFailure(reason: string): void {
    const text = liveFailureMessage(reason, this.place);
    this.say([{ level: 'warn', key: 'live-failed', text }]);
  }

  /** Each message once per run (a run has its own feed). */
  private say(messages: readonly LocatedMessage[]): void {
    for (const { level, key, text } of messages) {
      if (this.closed || this.said.has(key)) continue;
      this.said.add(key);
      this.options.logger[level](text);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
