/**
 * CodeCarbon writes the writer's local wall-clock time without a zone
 * (`2026-12-03T12:33:32`). Reports keep that wall clock: times are turned into milliseconds
 * as if they were UTC and shown back the same way, so a file reads the same on every machine.
 * A zone suffix, when a writer adds one, is ignored for the same reason.
 */

const WALL_CLOCK =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds of a wall-clock text read as UTC, or `undefined` when it is not one. */
export function parseWallClock(text: string): number | undefined {
  const match = WALL_CLOCK.exec(text.trim());
  if (!match) return undefined;

  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = ''] = match;
  const ms = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.slice(0, 3).padEnd(3, '0')),
  );
  // Date.UTC rolls 2026-02-31 over into March; such a date is not valid.
  const date = new Date(ms);
  return date.getUTCDate() === Number(day) && date.getUTCMonth() === Number(month) - 1
    ? ms
    : undefined;
}

/** `2026-12-03 12:33` (or with seconds) for people. */
export function formatWallClock(ms: number, withSeconds = false): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)}`;
}

/**
 * A `--since`/`--until` bound. A date alone covers its whole day: `--until 2026-12-03`
 * includes runs that ended at 23:59:59 that day.
 */
export function parseDateBound(text: string, bound: 'since' | 'until'): number | undefined {
  const ms = parseWallClock(text);
  if (ms === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
  return dateOnly && bound === 'until' ? ms + DAY_MS - 1 : ms;
}

export const DAY_MS = 86_400_000;
