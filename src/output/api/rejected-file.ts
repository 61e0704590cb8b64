import { appendFileSync } from 'node:fs';

/**
 * Appends a record the server refused, with its answer, to `path` (JSON lines, owner-only
 * permissions), so that a rejection never silently loses data. Says where the record is, or,
 * when the file cannot be written, the record itself for the log line. Never throws.
 */
export function keepRejected(path: string, to: string, answer: string, sent: unknown): string {
  const entry = { at: new Date().toISOString(), to, answer, sent };
  try {
    appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    return `kept in ${path}`;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `could not be kept in ${path} (${reason}): ${JSON.stringify(sent)}`;
  }
}
