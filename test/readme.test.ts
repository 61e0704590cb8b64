import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARAMETERS } from '../src/config/parameters.js';
import { REPO } from './helpers/cli.js';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

describe('README', () => {
  it('starts with a quick start of exactly two commands', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Library'));
    const commands = [...quickStart.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
    expect(commands).toEqual([
      'npm ci && node bin/codecarbon.js monitor --offline --country-iso-code FRA -- node examples/prime-sieve.mjs',
      'npm ci && npm test',
    ]);
  });

  it('lists every parameter, and its table is what the generator writes', () => {
    for (const spec of PARAMETERS) expect(readme).toContain(`\`${spec.key}\``);
    const script = join(REPO, 'scripts', 'readme-parameters.mjs');
    const generated = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { parameterTable } from ${JSON.stringify(script)}; console.log(await parameterTable());`,
      ],
      { encoding: 'utf8' },
    ).trim();
    // Biome aligns Markdown tables: compare cell by cell.
    const cells = (table: string) =>
      table
        .split('\n')
        .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
        .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()));
    const start = readme.indexOf('<!-- parameters:start');
    const section = readme.slice(start, readme.indexOf('<!-- parameters:end', start));
    expect(cells(section)).toEqual(cells(generated));
  });
});
