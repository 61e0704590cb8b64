import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../../../src/output/api/backoff.js';

describe('backoffDelayMs', () => {
  it('doubles after each failure, from 1 s by default, up to 5 minutes', () => {
    const ceiling = (failures: number) => backoffDelayMs(failures, DEFAULT_BACKOFF, () => 1);
    expect([1, 2, 3, 4].map(ceiling)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(ceiling(9)).toBe(256_000);
    expect(ceiling(10)).toBe(300_000);
    expect(ceiling(1_000)).toBe(300_000);
  });

  it('keeps a random 50–100 % of the ceiling so clients do not come back in step', () => {
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0)).toBe(2_000);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.5)).toBe(3_000);
  });
});
