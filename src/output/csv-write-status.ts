import { resolve } from 'node:path';

/**
 * Which CSV files this process failed to write its latest record to. Lets `codecarbon monitor`
 * say so instead of pointing at the file; the sampling worker, which writes the files of
 * worker-hosted runs, reports its failures to the main thread at stop.
 */
const failing = new Set<string>();

/** True when the latest record write to this CSV file, by any tracker of this process, failed. */
export function csvWriteFailed(path: string): boolean {
  return failing.has(resolve(path));
}

export function recordCsvWriteResult(path: string, failed: boolean): void {
  if (failed) failing.add(resolve(path));
  else failing.delete(resolve(path));
}

/** Every CSV file whose latest write failed. */
export function failedCsvPaths(): string[] {
  return [...failing];
}
