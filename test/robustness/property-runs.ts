/**
 * How many generated inputs each property test tries. Moderate by default so CI stays within
 * its time limit; set CODECARBON_PROPERTY_RUNS (e.g. 10000) for a deeper search locally.
 */
export function propertyRuns(defaultRuns = 150): number {
  const fromEnv = Number(process.env.CODECARBON_PROPERTY_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns;
}
