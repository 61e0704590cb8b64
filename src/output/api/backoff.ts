/** How long to wait before trying a failing server again. */
export interface BackoffOptions {
  /** Wait after the first failure, ms. Default 1,000. */
  initialMs: number;
  /** Longest wait, ms. Default 300,000 (5 minutes). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 300_000 };

/**
 * Delay before the next try after `failures` consecutive failures (1 = the first): doubles
 * each time up to `maxMs`, then keeps a random 50–100 % of it so that many trackers that
 * lost the same server do not all come back at the same instant.
 */
export function backoffDelayMs(
  failures: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceilingMs = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(ceilingMs * (0.5 + 0.5 * random()));
}
