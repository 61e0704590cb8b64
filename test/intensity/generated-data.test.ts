import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const sourceDir = resolve(root, '..', 'shared', 'reference-data');

// The tables in data/ are generated; this catches hand edits and a generator changed without
// regenerating. It needs the reference sources, which only a development checkout has.
describe.skipIf(!existsSync(sourceDir))('data/ tables', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'codecarbon-data-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('equal what scripts/generate-data.mjs produces from the reference sources', () => {
    execFileSync(
      process.execPath,
      [join(root, 'scripts', 'generate-data.mjs'), sourceDir, outDir],
      {
        stdio: 'pipe',
      },
    );
    const generated = readdirSync(outDir).sort();
    expect(generated).toContain('countries.json');
    for (const name of generated) {
      const committed = readFileSync(join(root, 'data', name), 'utf8');
      expect(committed, `data/${name}`).toBe(readFileSync(join(outDir, name), 'utf8'));
    }
  });
});
