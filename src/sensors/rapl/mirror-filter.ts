import type { CounterStep } from './zone-counter.js';

/**
 * Some multi-die CPUs expose one counter several times: sibling zones (`package-0-die-0`,
 * `package-0-die-1`) whose values move together. Summing them would count the energy twice.
 *
 * A zone is a mirror candidate when, at start, its counter equals an earlier sibling's (its
 * reference). From then on the filter follows the drift: the candidate's energy minus the
 * reference's, summed over every read. A mirror's drift stays within one read's skew; an
 * independent counter's grows. While undecided, the candidate's energy is held aside. After
 * `CONFIRMATIONS` reads with no drift it is a mirror and the held energy is discarded; after
 * `DENIALS` reads in a row with drift it is independent and the held energy is counted then,
 * so no energy is lost either way. A single skewed read (a read delayed by preemption) drifts
 * and comes back, and changes nothing. Independent counters start at boot and part ways, so
 * equal starting values are all but impossible for them.
 */
export const CONFIRMATIONS = 3;
export const DENIALS = 2;
/** Counters this close are equal, µJ: one RAPL update (~1 ms) at several hundred W is less. */
const ABSOLUTE_TOLERANCE_UJ = 1_000_000;
/** Drift also allowed, as a share of the reference's energy in the read. */
const RELATIVE_TOLERANCE = 0.005;

interface Candidate {
  reference: number;
  /** Σ candidate deltas − Σ reference deltas since start, µJ. */
  driftUj: number;
  /** Energy not yet counted: everything while undecided, since the last match once a mirror. */
  heldUj: number;
  matches: number;
  mismatches: number;
  confirmed: boolean;
}

export class MirrorFilter {
  private candidates: (Candidate | undefined)[] = [];

  /** `groups[i]`: the sibling group of zone `i` (its kind); only siblings can mirror. */
  constructor(
    private readonly groups: readonly string[],
    private readonly onChange: (zone: number, reference: number, mirror: boolean) => void,
  ) {}

  /** Finds candidates from the starting values (undefined: that read failed). */
  start(valuesUj: readonly (number | undefined)[]): void {
    this.candidates = [];
    for (let zone = 0; zone < valuesUj.length; zone += 1) {
      this.candidates.push(this.candidateFor(valuesUj, zone));
    }
  }

  /** An earlier sibling, itself no candidate, whose starting value equals zone's. */
  private candidateFor(valuesUj: readonly (number | undefined)[], zone: number) {
    const valueUj = valuesUj[zone];
    if (valueUj === undefined) return undefined;
    for (let reference = 0; reference < zone; reference += 1) {
      const referenceUj = valuesUj[reference];
      if (referenceUj === undefined || this.groups[reference] !== this.groups[zone]) continue;
      if (this.candidates[reference] !== undefined) continue;
      if (Math.abs(referenceUj - valueUj) <= ABSOLUTE_TOLERANCE_UJ) {
        return {
          reference,
          driftUj: 0,
          heldUj: 0,
          matches: 0,
          mismatches: 0,
          confirmed: false,
        };
      }
    }
    return undefined;
  }

  /** Whether zone `i` is counted on its own now (not a mirror, not undecided). */
  counts(zone: number): boolean {
    return this.candidates[zone] === undefined;
  }

  /** Energy to count per zone for this read, µJ. */
  apply(steps: readonly (CounterStep | undefined)[]): number[] {
    return steps.map((step, zone) => {
      const candidate = this.candidates[zone];
      if (candidate === undefined) return step?.deltaUj ?? 0;

      const reference = steps[candidate.reference];
      candidate.driftUj += (step?.deltaUj ?? 0) - (reference?.deltaUj ?? 0);
      candidate.heldUj += step?.deltaUj ?? 0;
      // Both read now: both sums cover the same time, whatever reads failed before.
      if (step === undefined || reference === undefined) return 0;
      if (step.deltaUj === 0 && reference.deltaUj === 0) return 0;
      return this.judge(zone, candidate, reference.deltaUj);
    });
  }

  private judge(zone: number, candidate: Candidate, referenceUj: number): number {
    const tolerance = Math.max(ABSOLUTE_TOLERANCE_UJ, RELATIVE_TOLERANCE * referenceUj);
    if (Math.abs(candidate.driftUj) <= tolerance) {
      candidate.matches += 1;
      candidate.mismatches = 0;
      if (!candidate.confirmed && candidate.matches >= CONFIRMATIONS) {
        candidate.confirmed = true;
        this.onChange(zone, candidate.reference, true);
      }
      // A mirror's energy is its reference's, counted there.
      if (candidate.confirmed) candidate.heldUj = 0;
      return 0;
    }

    candidate.mismatches += 1;
    if (candidate.mismatches < DENIALS) return 0;
    this.candidates[zone] = undefined;
    if (candidate.confirmed) this.onChange(zone, candidate.reference, false);
    return candidate.heldUj;
  }
}
