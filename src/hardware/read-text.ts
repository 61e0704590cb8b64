import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads a small text file under a filesystem root, or undefined on any error. Hardware
 * readers never throw: a missing or unreadable /proc or /sys file means "not known here".
 */
export function readText(root: string, ...parts: string[]): string | undefined {
  try {
    return readFileSync(join(root, ...parts), 'utf8');
  } catch {
    return undefined;
  }
}

/** Lists a directory under a root, or undefined on any error. */
export function listDir(root: string, ...parts: string[]): string[] | undefined {
  try {
    return readdirSync(join(root, ...parts));
  } catch {
    return undefined;
  }
}

/**
 * Splits `key : value` lines (the layout of /proc/cpuinfo, /proc/meminfo and
 * /proc/<pid>/status) into pairs; keys and values are trimmed. Lines without a colon are
 * returned with an empty key so callers can still see record boundaries.
 */
export function keyValueLines(text: string): Array<[key: string, value: string]> {
  return text.split('\n').map((line) => {
    const colon = line.indexOf(':');
    if (colon < 0) return ['', line.trim()];
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
}
