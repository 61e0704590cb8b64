import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PLAUSIBLE_ZONE_POWER_W, ZoneCounter } from '../../src/sensors/rapl/zone-counter.js';
import { propertyRuns } from './property-runs.js';

/**
 * A simulated RAPL register: the true energy grows by whole µJ, the register shows it modulo
 * `rangeUj` (it wraps to 0), and a reset (module reload, power cycle) sets the register back
 * to 0 without the true energy going back.
 */
interface Tick {
  /** Seconds since the previous tick. */
  intervalS: number;
  /** Energy drawn during the tick, µJ (at most 900 W: always a plausible power). */
  energyUj: number;
  /** The read of the register at the end of the tick fails (undefined to the counter). */
  readFails: boolean;
  /** The register is reset to 0 at the start of the tick. */
  reset: boolean;
}

const tickArb = (resets: boolean) =>
  fc
    .record({
      intervalS: fc.integer({ min: 1, max: 60 }),
      fractionOfMax: fc.double({ min: 0, max: 1, noNaN: true }),
      readFails: fc.boolean(),
      reset: resets ? fc.boolean() : fc.constant(false),
    })
    .map(
      ({ intervalS, fractionOfMax, readFails, reset }): Tick => ({
        intervalS,
        energyUj: Math.floor(fractionOfMax * 900 * intervalS * 1e6),
        readFails,
        reset,
      }),
    );

interface Gap {
  /** True energy between two good reads, µJ. */
  trueUj: number;
  intervalS: number;
  containsReset: boolean;
  /** What the counter returned for it (undefined: nothing counted). */
  countedUj: number | undefined;
}

/** Runs the counter over the ticks and returns, per pair of consecutive good reads, the gap. */
function simulate(rangeUj: number, startUj: number, ticks: readonly Tick[]) {
  const dropped: string[] = [];
  const zone = new ZoneCounter(rangeUj, { dropped: (detail) => dropped.push(detail) });
  let registerUj = startUj % rangeUj;
  let nowS = 0;
  zone.start(registerUj, nowS);

  const gaps: Gap[] = [];
  let gap = { trueUj: 0, intervalS: 0, containsReset: false };
  const cumulative: number[] = [0];
  for (const tick of ticks) {
    if (tick.reset) {
      registerUj = 0;
      gap.containsReset = true;
    }
    registerUj = (registerUj + tick.energyUj) % rangeUj;
    nowS += tick.intervalS;
    gap.trueUj += tick.energyUj;
    gap.intervalS += tick.intervalS;
    const step = zone.step(tick.readFails ? undefined : registerUj, nowS);
    if (!tick.readFails) {
      gaps.push({ ...gap, countedUj: step?.deltaUj });
      gap = { trueUj: 0, intervalS: 0, containsReset: false };
    } else {
      expect(step).toBeUndefined();
    }
    cumulative.push((cumulative.at(-1) ?? 0) + (step?.deltaUj ?? 0));
  }
  return { gaps, cumulative, dropped, zone };
}

const rangeArb = fc.integer({ min: 1_000_000, max: 262_143_328_850 });

describe('RAPL counter arithmetic under generated readings (issue 11)', () => {
  it('cumulative energy never decreases and no step is negative, NaN or infinite', () => {
    fc.assert(
      fc.property(
        rangeArb,
        fc.nat(),
        fc.array(tickArb(true), { maxLength: 60 }),
        (rangeUj, startUj, ticks) => {
          const { cumulative, zone } = simulate(rangeUj, startUj, ticks);
          for (let i = 1; i < cumulative.length; i++) {
            expect(Number.isFinite(cumulative[i])).toBe(true);
            expect(cumulative[i]).toBeGreaterThanOrEqual(cumulative[i - 1] ?? 0);
          }
          expect(Number.isFinite(zone.powerW)).toBe(true);
          expect(zone.powerW).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: propertyRuns() },
    );
  });

  it('equals the true energy when every wrap was observed (no reset, each gap under one range)', () => {
    fc.assert(
      fc.property(
        rangeArb,
        fc.nat(),
        fc.array(tickArb(false), { maxLength: 60 }),
        (rangeUj, startUj, ticks) => {
          const { gaps, cumulative, dropped } = simulate(rangeUj, startUj, ticks);
          fc.pre(gaps.every((gap) => gap.trueUj < rangeUj));
          const trueUj = gaps.reduce((sum, gap) => sum + gap.trueUj, 0);
          expect(cumulative[cumulative.length - 1]).toBe(trueUj);
          expect(gaps.map((gap) => gap.countedUj)).toEqual(gaps.map((gap) => gap.trueUj));
          expect(dropped).toEqual([]);
        },
      ),
      { numRuns: propertyRuns() },
    );
  });

  it('counts a wrap that happened during failed reads, once, over the whole gap', () => {
    // Deterministic companion of the property: 3 failed reads span the wrap.
    const { gaps, cumulative } = simulate(
      1_000_000_000,
      999_000_000,
      [1, 2, 3, 4].map((i) => ({
        intervalS: 1,
        energyUj: 1_000_000,
        readFails: i < 4,
        reset: false,
      })),
    );
    expect(gaps).toEqual([
      { trueUj: 4_000_000, intervalS: 4, containsReset: false, countedUj: 4_000_000 },
    ]);
    expect(cumulative.at(-1)).toBe(4_000_000);
  });

  it('counts every gap without a reset exactly, and never more than the plausible power for a gap with one', () => {
    fc.assert(
      fc.property(
        rangeArb,
        fc.nat(),
        fc.array(tickArb(true), { maxLength: 60 }),
        (rangeUj, startUj, ticks) => {
          const { gaps, dropped } = simulate(rangeUj, startUj, ticks);
          let resetGapsNotCounted = 0;
          for (const gap of gaps) {
            if (!gap.containsReset && gap.trueUj < rangeUj) {
              expect(gap.countedUj).toBe(gap.trueUj);
            } else if (gap.containsReset) {
              if (gap.countedUj === undefined) resetGapsNotCounted++;
              else {
                expect(gap.countedUj).toBeLessThanOrEqual(
                  MAX_PLAUSIBLE_ZONE_POWER_W * gap.intervalS * 1e6,
                );
              }
            }
          }
          // Every dropped interval was said (once each), and only reset gaps are dropped here:
          // a gap without reset is either exact or a missed wrap that looked like a small step.
          expect(dropped.length).toBeLessThanOrEqual(
            gaps.filter((gap) => gap.containsReset || gap.trueUj >= rangeUj).length,
          );
          expect(dropped.length).toBeGreaterThanOrEqual(resetGapsNotCounted);
        },
      ),
      { numRuns: propertyRuns() },
    );
  });

  it('a failed read is never taken as 0: the next good read covers both intervals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (energiesUj, failures) => {
          const ticks = energiesUj.map((energyUj, i) => ({
            intervalS: 1,
            energyUj,
            readFails: failures[i] === true && i < energiesUj.length - 1,
            reset: false,
          }));
          const { cumulative, dropped } = simulate(1e12, 0, ticks);
          expect(cumulative.at(-1)).toBe(energiesUj.reduce((a, b) => a + b, 0));
          expect(dropped).toEqual([]);
        },
      ),
      { numRuns: propertyRuns() },
    );
  });
});
