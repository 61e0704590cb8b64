/**
 * Bookkeeping of one RAPL energy counter. Energy is the difference between consecutive good
 * reads, so a reading that comes late still covers its whole interval. The counter is a
 * 32-bit register scaled to µJ that wraps to 0 after `max_energy_range_uj` (about 262 kJ on
 * most Intel parts: a few minutes at full load).
 */

/** Highest power one zone can plausibly draw, W: a wrap implying more is not a wrap. */
export const MAX_PLAUSIBLE_ZONE_POWER_W = 1000;

/** The part of a read that the mirror check compares: the energy and the interval it covers. */
export interface CounterStep {
  /** Energy counted for the interval, µJ, never negative. */
  deltaUj: number;
  /** Start of the interval this step covers (the previous good read), s. */
  fromS: number;
}

export interface CounterEvents {
  /** The counter went backwards and could not be a wrap: its interval is dropped. */
  dropped(detail: string): void;
}

export class ZoneCounter {
  private lastUj: number | undefined;
  private lastS = 0;
  /** Mean power over the last interval this zone was read over, W; kept across failed reads. */
  powerW = 0;

  constructor(
    /** Wrap modulus, µJ; undefined when `max_energy_range_uj` is unknown. */
    private readonly maxEnergyRangeUj: number | undefined,
    private readonly events: CounterEvents,
  ) {}

  /** Takes the baseline; `valueUj` is undefined when the read failed. */
  start(valueUj: number | undefined, nowS: number): void {
    this.lastUj = valueUj;
    this.lastS = nowS;
    this.powerW = 0;
  }

  /**
   * Accounts a new read. A failed read (`undefined`) keeps the previous good value, so the
   * next good read covers both intervals; it is never taken as 0. Returns undefined when
   * nothing could be counted (failed read, no baseline yet, or a dropped interval).
   */
  step(valueUj: number | undefined, nowS: number): CounterStep | undefined {
    if (valueUj === undefined) return undefined;
    const previousUj = this.lastUj;
    const fromS = this.lastS;
    this.lastUj = valueUj;
    this.lastS = nowS;
    if (previousUj === undefined) return undefined;

    const intervalS = nowS - fromS;
    const deltaUj = this.deltaUj(previousUj, valueUj, intervalS);
    if (deltaUj === undefined) return undefined;
    if (intervalS > 0) this.powerW = deltaUj / 1e6 / intervalS;
    return { deltaUj, fromS };
  }

  private deltaUj(previousUj: number, valueUj: number, intervalS: number): number | undefined {
    if (valueUj >= previousUj) return valueUj - previousUj;

    const range = this.maxEnergyRangeUj;
    const wrappedUj = range === undefined ? undefined : range - previousUj + valueUj;
    const impliedW =
      wrappedUj === undefined || intervalS <= 0 ? Infinity : wrappedUj / 1e6 / intervalS;
    if (wrappedUj !== undefined && wrappedUj >= 0 && impliedW <= MAX_PLAUSIBLE_ZONE_POWER_W) {
      return wrappedUj;
    }

    this.events.dropped(
      range === undefined
        ? `went back from ${previousUj} to ${valueUj} µJ and its max_energy_range_uj is unknown`
        : `went back from ${previousUj} to ${valueUj} µJ; as a wrap at ${range} µJ it would mean ${Math.round(impliedW)} W over ${intervalS.toFixed(3)} s`,
    );
    return undefined;
  }
}
