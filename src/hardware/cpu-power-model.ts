/**
 * CodeCarbon's CPU power model for machines without an energy counter: a fraction of the
 * TDP that follows the machine's utilisation. The curve has a 10 % idle floor and rises
 * with the cube of the load, so a half-loaded CPU draws about a fifth of its TDP.
 */

/** Share of the TDP drawn at a utilisation in [0, 1]: 0.1 + 0.9·u³. */
export function loadCurveFactor(utilisation: number): number {
  // NaN (for example 0/0 from an empty interval) is treated as idle, never propagated.
  const u = Number.isNaN(utilisation) ? 0 : Math.min(1, Math.max(0, utilisation));
  return 0.1 + 0.9 * u ** 3;
}

/** Instantaneous CPU power, W, from a TDP in W and a utilisation in [0, 1]. */
export function cpuPowerFromLoadW(tdpW: number, utilisation: number): number {
  return tdpW * loadCurveFactor(utilisation);
}

/**
 * TDP assumed for a CPU whose brand is not in the table: 4 W per logical CPU, as CodeCarbon.
 * The result already covers every thread of the machine, so callers must not multiply it
 * by the socket count (CodeCarbon does, which double-counts on multi-socket machines).
 */
export function unknownCpuTdpW(logicalCount: number): number {
  return WATTS_PER_THREAD * logicalCount;
}

const WATTS_PER_THREAD = 4;
