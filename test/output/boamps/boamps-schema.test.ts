import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../helpers/cli.js';
import { SCHEMA_DIR } from './boamps-schema.js';

const SOURCE = resolve(REPO, '..', 'shared', 'reference-data', 'boamps');

// The copies under fixtures/ let the schema tests run anywhere; this keeps them honest where
// the reference data is checked out beside the repository.
describe.skipIf(!existsSync(SOURCE))('BoAmps schema fixtures', () => {
  it('equal the reference copies', () => {
    const names = readdirSync(SOURCE)
      .filter((name) => name.endsWith('.json'))
      .sort();
    expect(
      readdirSync(SCHEMA_DIR)
        .filter((name) => name.endsWith('.json'))
        .sort(),
    ).toEqual(names);
    for (const name of names) {
      expect(readFileSync(join(SCHEMA_DIR, name), 'utf8'), name).toBe(
        readFileSync(join(SOURCE, name), 'utf8'),
      );
    }
  });
});
