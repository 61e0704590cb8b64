import { describe, expect, it } from 'vitest';
import { formatWallClock, parseDateBound, parseWallClock } from '../../src/report/wall-clock.js';

describe('parseWallClock', () => {
  it('reads CodeCarbon timestamps as wall-clock time, the same on every machine', () => {
    expect(parseWallClock('2026-12-03T12:33:32')).toBe(Date.UTC(2026, 11, 3, 12, 33, 32));
    expect(formatWallClock(Date.UTC(2026, 11, 3, 12, 33, 32), true)).toBe('2026-12-03 12:33:32');
  });

  it('accepts fractions of a second, a space separator and ignores a zone suffix', () => {
    expect(parseWallClock('2026-12-03 12:33:32.250')).toBe(Date.UTC(2026, 11, 3, 12, 33, 32, 250));
    expect(parseWallClock('2026-12-03T12:33:32+02:00')).toBe(Date.UTC(2026, 11, 3, 12, 33, 32));
  });

  it('rejects text that is not a real date', () => {
    expect(parseWallClock('yesterday')).toBeUndefined();
    expect(parseWallClock('2026-02-31T00:00:00')).toBeUndefined();
    expect(parseWallClock('')).toBeUndefined();
  });
});

describe('parseDateBound', () => {
  it('makes a date alone cover its whole day as an upper bound', () => {
    expect(parseDateBound('2026-11-05', 'since')).toBe(Date.UTC(2026, 10, 5));
    expect(parseDateBound('2026-11-05', 'until')).toBe(Date.UTC(2026, 10, 6) - 1);
    expect(parseDateBound('2026-11-05T09:30', 'until')).toBe(Date.UTC(2026, 10, 5, 9, 30));
  });
});
