import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
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

/**
 * Reads the first line of a file under a root into one reused buffer, or undefined on any
 * error or when the line is longer than the buffer. For files read on every reading (the
 * aggregate line of /proc/stat comes first): no allocation beyond the line itself.
 */
export function readFirstLine(root: string, ...parts: string[]): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(join(root, ...parts), 'r');
    const length = readSync(fd, lineBuffer, 0, lineBuffer.length, 0);
    const newline = lineBuffer.indexOf(NEWLINE);
    const end = newline >= 0 && newline < length ? newline : length;
    if (end === lineBuffer.length) return undefined;
    return lineBuffer.toString('latin1', 0, end);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const NEWLINE = 0x0a;
/** Longer than the aggregate /proc/stat line (ten 64-bit counters). */
const lineBuffer = Buffer.alloc(512);

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
