import type { IntensityResult } from './carbon-intensity.js';

/** The intensity in force and the place it stands for. */
export interface IntensityNow extends IntensityResult {
  /** Coordinates of the machine when a location service gave them. */
  latitude?: number;
  longitude?: number;
}

/**
 * Where a run gets its carbon intensity. A static feed answers from the tables once; a live
 * feed (location detection, Electricity Maps) changes its answer as lookups complete, so each
 * energy slice is converted with the intensity current when it was read.
 */
export interface IntensityFeed {
  /** The intensity in force now. Never blocks and never throws. */
  current(): IntensityNow;
  /** Settles when background lookups are done or after `boundMs`; never rejects. */
  settled(boundMs?: number): Promise<void>;
  /** Stops timers and pending requests. */
  close(): void;
}

/** A feed whose answer never changes (offline, or a known location). */
export function staticIntensityFeed(result: IntensityNow): IntensityFeed {
  return {
    current: () => result,
    settled: () => Promise.resolve(),
    close: () => {},
  };
}
