/**
 * Which spooled deltas go out together. The CodeCarbon API refuses a delta shorter than one
 * second or without energy; CodeCarbon drops such deltas (often the last one, right after a
 * periodic send). Here they are merged into the next delta instead, and at the end of a run
 * whatever is left goes out as one delta, so the API's sums match the local total.
 */

import { type ApiDelta, asApiDelta, MEAN_FIELDS, SUMMED_FIELDS } from './api-payloads.js';
import type { SpoolItem } from './spool-file.js';

/** Shortest duration the API accepts, s. */
export const MIN_DELTA_S = 1;

export interface DeltaGroup {
  /** Sequence number of the last spooled delta in the group. */
  through: number;
  /** The merged delta; undefined when the group holds no energy at all (nothing to report). */
  delta: ApiDelta | undefined;
}

/**
 * The first pending deltas that together last at least a second and hold some energy, merged;
 * undefined when they are not enough yet. With `final`, all pending deltas when they are not.
 */
export function nextGroup(pending: readonly SpoolItem[], final: boolean): DeltaGroup | undefined {
  const group: ApiDelta[] = [];
  let durationS = 0;
  let energyKwh = 0;
  for (const item of pending) {
    const delta = asApiDelta(item.body);
    group.push(delta);
    durationS += delta.duration_s;
    energyKwh += delta.energy_consumed;
    if (durationS >= MIN_DELTA_S && energyKwh > 0) {
      return { through: item.seq, delta: mergeDeltas(group) };
    }
  }
  const last = pending.at(-1);
  if (!final || !last) return undefined;
  return { through: last.seq, delta: energyKwh > 0 ? mergeDeltas(group) : undefined };
}

/**
 * One delta covering consecutive deltas: energies, emissions and durations add up; mean
 * powers and utilisations are weighted by duration (so power stays energy ÷ duration);
 * the timestamp and WUE are the last delta's.
 */
export function mergeDeltas(deltas: readonly ApiDelta[]): ApiDelta {
  const last = deltas.at(-1);
  if (!last) throw new RangeError('mergeDeltas needs at least one delta');
  if (deltas.length === 1) return { ...last };

  const merged: ApiDelta = { ...last };
  for (const key of SUMMED_FIELDS) merged[key] = sum(deltas, (d) => d[key]);
  const durationS = merged.duration_s;
  for (const key of MEAN_FIELDS) {
    merged[key] = durationS > 0 ? sum(deltas, (d) => d[key] * d.duration_s) / durationS : last[key];
  }
  return merged;
}

function sum(deltas: readonly ApiDelta[], value: (delta: ApiDelta) => number): number {
  let total = 0;
  for (const delta of deltas) total += value(delta);
  return total;
}
