// Each test file gets its own temporary directory as TMPDIR, so the machine lock
// (allow_multiple_runs defaults to false) of one file's trackers never blocks another file's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'cc-test-'));
