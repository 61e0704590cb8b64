// Each test file gets its own temporary directory as TMPDIR, so the machine lock
// (allow_multiple_runs defaults to false) of one file's trackers never blocks another file's.
// It is removed after the file's tests, with everything made under os.tmpdir() meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// A worker process may run several files: each file's directory goes under the original
// TMPDIR, never under the previous file's (which is gone by then).
const BASE_KEY = 'CC_TEST_BASE_TMPDIR'; // not CODECARBON_*: trackers would read it
process.env[BASE_KEY] ??= tmpdir();
const base = process.env[BASE_KEY] as string;
const fileTmpDir = mkdtempSync(join(base, 'cc-test-'));
process.env.TMPDIR = fileTmpDir;

afterAll(() => {
  process.env.TMPDIR = base;
  rmSync(fileTmpDir, { recursive: true, force: true, maxRetries: 3 });
});
