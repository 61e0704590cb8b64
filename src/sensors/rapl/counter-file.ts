import { readFileSync } from 'node:fs';

/**
 * Reads a small sysfs file as text, throwing as `fs.readFileSync` does. Injectable so tests
 * can make a counter unreadable or fail once: they run as root, who can read any file whatever
 * its mode, so a `chmod 000` in a fake tree would not reproduce a permission error.
 */
export type ReadTextFile = (path: string) => string;

export const readSysfsFile: ReadTextFile = (path) => readFileSync(path, 'latin1');

/** One read of an `energy_uj` (or `max_energy_range_uj`) file. */
export type CounterRead =
  | { ok: true; valueUj: number }
  | { ok: false; permission: boolean; reason: string };

/** Reads a counter in µJ; a file that is missing, unreadable or not a whole number fails. */
export function readCounterUj(readFile: ReadTextFile, path: string): CounterRead {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return {
      ok: false,
      permission: code === 'EACCES' || code === 'EPERM',
      reason: code ?? String(error),
    };
  }
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    return { ok: false, permission: false, reason: `not a counter: ${JSON.stringify(trimmed)}` };
  }
  return { ok: true, valueUj: Number(trimmed) };
}
