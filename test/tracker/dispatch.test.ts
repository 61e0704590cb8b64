import { afterEach, describe, expect, it, vi } from 'vitest';
import { OnceLogger, silentLogger } from '../../src/log/logger.js';
import { dispatch } from '../../src/tracker/dispatch.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('dispatch', () => {
  it('stops waiting for an output that never settles, says so once, and lets the others finish', async () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    const logger = new OnceLogger({ ...silentLogger, warn: (m) => void warnings.push(m) });
    const done: string[] = [];
    const settled = dispatch(
      [{ out: () => new Promise(() => {}) }, { out: async () => void done.push('second') }],
      'out',
      logger,
    );
    let finished = false;
    void settled.then(() => {
      finished = true;
    });

    await vi.advanceTimersByTimeAsync(14_000);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(finished).toBe(true);
    expect(done).toEqual(['second']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not finished out\(\)/);
  });
});
