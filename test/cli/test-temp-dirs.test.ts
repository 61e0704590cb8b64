import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..', '..');

it('the test setup removes each test file`s temporary directory, sandboxes included', () => {
  const probeTmp = mkdtempSync(join(tmpdir(), 'cc-probe-'));
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: probeTmp };
  delete env.CC_TEST_BASE_TMPDIR; // the runner below must start from probeTmp, as `npm test` does
  try {
    const result = spawnSync(
      process.execPath,
      [
        join(REPO, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        join(REPO, 'test', 'cli', 'fixtures', 'temp-dirs', 'vitest.config.ts'),
      ],
      { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stdout).toContain('2 passed');
    expect(readdirSync(probeTmp)).toEqual([]);
  } finally {
    rmSync(probeTmp, { recursive: true, force: true });
  }
});
