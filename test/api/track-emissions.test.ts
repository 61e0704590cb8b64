import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { trackEmissions } from '../../src/api/track-emissions.js';
import { ConfigError } from '../../src/config/config-error.js';
import { REPO } from '../helpers/cli.js';

function outputDir(): { dir: string; rows: () => Record<string, string>[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cc-wrap-'));
  return {
    dir,
    rows: () =>
      parse(readFileSync(join(dir, 'emissions.csv'), 'utf8'), { columns: true }) as Record<
        string,
        string
      >[],
  };
}

const quiet = { logLevel: 'error' as const, installExitHandlers: false };

describe('trackEmissions(fn)', () => {
  it('returns the result of a sync function, with `this` preserved, after writing the row', () => {
    const out = outputDir();
    const counter = {
      base: 40,
      add: trackEmissions(
        function (this: { base: number }, n: number) {
          return this.base + n;
        },
        { ...quiet, offline: true, countryIsoCode: 'FRA', outputDir: out.dir },
      ),
    };

    expect(counter.add(2)).toBe(42);
    // The row exists as soon as the call returns: the sync path stops synchronously.
    const [row] = out.rows();
    expect(row?.country_iso_code).toBe('FRA');
  });

  it('rethrows the error of a sync function after stopping', () => {
    const out = outputDir();
    const failing = trackEmissions(
      () => {
        throw new Error('model diverged');
      },
      { ...quiet, offline: true, countryIsoCode: 'FRA', outputDir: out.dir },
    );
    expect(() => failing()).toThrow('model diverged');
    expect(out.rows()).toHaveLength(1);
  });

  it('awaits an async function, stops, then resolves with its result', async () => {
    const out = outputDir();
    const slow = trackEmissions(
      async (ms: number) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return 'done';
      },
      { ...quiet, offline: true, countryIsoCode: 'DEU', outputDir: out.dir },
    );
    expect(await slow(60)).toBe('done');
    const [row] = out.rows();
    expect(Number(row?.duration)).toBeGreaterThanOrEqual(0.05);
    expect(row?.country_name).toBe('Germany');
  });

  it('rejects with the error of an async function after stopping', async () => {
    const out = outputDir();
    const failing = trackEmissions(
      async () => {
        throw new Error('nope');
      },
      { ...quiet, offline: true, countryIsoCode: 'FRA', outputDir: out.dir },
    );
    await expect(failing()).rejects.toThrow('nope');
    expect(out.rows()).toHaveLength(1);
  });

  it('measures each call as its own run', () => {
    const out = outputDir();
    const work = trackEmissions((x: number) => x * 2, {
      ...quiet,
      offline: true,
      countryIsoCode: 'FRA',
      outputDir: out.dir,
    });
    work(1);
    work(2);
    const rows = out.rows();
    expect(rows).toHaveLength(2);
    expect(rows[0]?.run_id).not.toBe(rows[1]?.run_id);
  });

  it('offline without a country is an error when wrapping, not at the first call', () => {
    expect(() => trackEmissions(() => 1, { ...quiet, offline: true })).toThrow(ConfigError);
    expect(() => trackEmissions(() => 1, { ...quiet, offline: true })).toThrow(/country/);
  });

  it('bad options are rejected when wrapping', () => {
    expect(() => trackEmissions(() => 1, { ...quiet, pue: 'high' })).toThrow(/pue/);
  });
});

describe('@trackEmissions() method decorator', () => {
  // Node 20 has no native decorators: compile a user's class with TypeScript (standard
  // decorators, no experimental flag) exactly as a user's build would, against dist/.
  it('measures each call of a decorated method, keeping `this`', async () => {
    const out = outputDir();
    const source = `
      import { trackEmissions } from ${JSON.stringify(pathToFileURL(join(REPO, 'dist', 'index.js')).href)};
      const options = { logLevel: 'error', installExitHandlers: false, offline: true,
        countryIsoCode: 'FRA', outputDir: ${JSON.stringify(out.dir)} };
      export class Model {
        factor = 3;
        @trackEmissions(options)
        predict(x: number): number { return this.factor * x; }
        @trackEmissions(options)
        async train(epochs: number): Promise<string> {
          await new Promise((resolve) => setTimeout(resolve, 10));
          return epochs + ' epochs';
        }
      }`;
    const compiled = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    });
    const file = join(out.dir, 'model.mjs');
    writeFileSync(file, compiled.outputText);
    const { Model } = await import(pathToFileURL(file).href);

    const model = new Model();
    expect(model.predict(5)).toBe(15);
    expect(await model.train(2)).toBe('2 epochs');
    expect(out.rows()).toHaveLength(2);
  });
});

describe('trackEmissions offline locations', () => {
  it('accepts a region that names its country, or a forced intensity, without a country', () => {
    expect(() =>
      trackEmissions(() => 1, { ...quiet, offline: true, region: 'US-NY' }),
    ).not.toThrow();
    expect(() =>
      trackEmissions(() => 1, { ...quiet, offline: true, forceCarbonIntensity: 100 }),
    ).not.toThrow();
  });
});
