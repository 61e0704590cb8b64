import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach } from 'vitest';
import type { Logger } from '../../src/log/logger.js';

/** A fresh temporary directory, removed after the test. */
export function useTempDir(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'codecarbon-csv-'));
    made.push(dir);
    return dir;
  };
}

/**
 * The file's records (header first) as strict CSV: a malformed file fails the test. Files
 * may mix `\n` and `\r\n` line ends, as when Windows and POSIX runs share one file.
 */
export function readCsv(path: string): string[][] {
  return parse(readFileSync(path, 'utf8'), {
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n'],
  }) as string[][];
}

/** The data rows as objects keyed by the file's header. */
export function readCsvObjects(path: string): Record<string, string>[] {
  const [header = [], ...rows] = readCsv(path);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

export interface RecordingLogger extends Logger {
  messages: { level: 'debug' | 'info' | 'warn' | 'error'; message: string }[];
  /** Messages at warn and error level. */
  problems(): string[];
}

export function recordingLogger(): RecordingLogger {
  const messages: RecordingLogger['messages'] = [];
  return {
    messages,
    debug: (message) => messages.push({ level: 'debug', message }),
    info: (message) => messages.push({ level: 'info', message }),
    warn: (message) => messages.push({ level: 'warn', message }),
    error: (message) => messages.push({ level: 'error', message }),
    problems: () =>
      messages.filter((m) => m.level === 'warn' || m.level === 'error').map((m) => m.message),
  };
}
