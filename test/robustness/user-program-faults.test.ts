import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';
import { CLI, type Finished, REPO, sandbox, start } from '../helpers/cli.js';

/**
 * Issue 11: a user program that throws, rejects, exits or is signalled while tracked. Each
 * program runs in its own process, tracked through the built package (dist/) in three ways,
 * and once without any tracker to learn what Node itself gives for it. All processes run at
 * once, in beforeAll; each `it` then checks one cell of the matrix.
 */
const INDEX = pathToFileURL(join(REPO, 'dist', 'index.js')).href;
// Offline with a country: the online tracker would look up its location on the network.
const OPTIONS =
  "{ offline: true, countryIsoCode: 'FRA', measurePowerSecs: 0.1, logLevel: 'error' }";

/** Past this the child is killed and its cell fails as "did not end"; only a hang guard. */
const HANG_GUARD_MS = 40_000;

const WAIT_FOR_SIGNAL =
  "console.log('ready');\nawait new Promise(() => setInterval(() => {}, 1000));";

/**
 * The user's code for each kind, as the body of a function `work`, sync or async. A program
 * that gets a signal says "ready" once it runs (its tracker started), then waits for it.
 */
const KINDS = {
  'throws synchronously at top level': {
    sync: true,
    body: "throw new Error('user error: sync throw');",
  },
  'throws in an async function after an await': {
    body:
      'await new Promise((r) => setTimeout(r, 20));\n' +
      "throw new Error('user error: async throw');",
  },
  'leaves a promise rejection unhandled': {
    body:
      "Promise.reject(new Error('user error: unhandled rejection'));\n" +
      'await new Promise(() => setInterval(() => {}, 1000));',
  },
  'calls process.exit(7) inside an async function': {
    body: 'await new Promise((r) => setTimeout(r, 50));\nprocess.exit(7);',
  },
  'receives SIGTERM from outside': { body: WAIT_FOR_SIGNAL, signal: 'SIGTERM' },
  'receives SIGINT from outside': { body: WAIT_FOR_SIGNAL, signal: 'SIGINT' },
} satisfies Record<string, KindSpec>;
type Kind = keyof typeof KINDS;

interface KindSpec {
  body: string;
  /** `work` is a plain function (default: async). */
  sync?: true;
  /** Sent from outside once the program says "ready". */
  signal?: NodeJS.Signals;
}

const STYLES = ['trackEmissions wrapper', 'new EmissionsTracker().start()', 'codecarbon monitor'];
type Style = (typeof STYLES)[number];

/** The program file for a kind: plain (no tracker, also what `monitor` runs) or tracked. */
function programSource(kind: Kind, style: Style | 'untracked'): string {
  const { body, sync } = KINDS[kind] as KindSpec;
  const fn = `${sync ? '' : 'async '}function work() {\n${body}\n}`;
  switch (style) {
    case 'untracked':
    case 'codecarbon monitor':
      return `${fn}\n${sync ? '' : 'await '}work();\n`;
    case 'trackEmissions wrapper':
      return (
        `import { trackEmissions } from ${JSON.stringify(INDEX)};\n${fn}\n` +
        `${sync ? '' : 'await '}trackEmissions(work, ${OPTIONS})();\n`
      );
    case 'new EmissionsTracker().start()':
      return (
        `import { EmissionsTracker } from ${JSON.stringify(INDEX)};\n${fn}\n` +
        `new EmissionsTracker(${OPTIONS}).start();\n${sync ? '' : 'await '}work();\n`
      );
  }
  throw new Error(`unknown style ${style}`);
}

interface Outcome extends Finished {
  hung: boolean;
  /** The CSV file's text, undefined when there is none. */
  csv: string | undefined;
}

/** Runs one program to its end, sending it the kind's signal once it says "ready". */
async function runProgram(kind: Kind, style: Style | 'untracked'): Promise<Outcome> {
  const box = sandbox();
  const file = join(box.dir, 'prog.mjs');
  writeFileSync(file, programSource(kind, style));
  const argv =
    style === 'codecarbon monitor'
      ? [CLI, 'monitor', '--offline', '--country-iso-code', 'FRA', '--', process.execPath, file]
      : [file];
  const { child, done } = start(process.execPath, argv, { cwd: box.dir, env: box.env });

  const { signal } = KINDS[kind] as KindSpec;
  if (signal) {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('ready')) child.kill(signal);
    });
  }
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, HANG_GUARD_MS);
  const finished = await done;
  clearTimeout(guard);

  const csvPath = join(box.dir, 'emissions.csv');
  const csv = existsSync(csvPath) ? readFileSync(csvPath, 'utf8') : undefined;
  return { ...finished, hung, csv };
}

/** What the wrapper's exit should be: Node's own, or 128 + n for `monitor` as a shell does. */
function expectedExit(plain: Outcome, style: Style) {
  if (style !== 'codecarbon monitor') return { code: plain.code, signal: plain.signal };
  const code = plain.code ?? 128 + constants.signals[plain.signal as NodeJS.Signals];
  return { code, signal: null };
}

const plainRuns = new Map<Kind, Outcome>();
const trackedRuns = new Map<string, Outcome>();
const KIND_NAMES = Object.keys(KINDS) as Kind[];

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist', 'index.js'))) {
    throw new Error('dist/index.js is missing: run `npm run build`');
  }
  const cells = KIND_NAMES.flatMap((kind) => STYLES.map((style) => ({ kind, style })));
  const [plain, tracked] = await Promise.all([
    Promise.all(KIND_NAMES.map((kind) => runProgram(kind, 'untracked'))),
    Promise.all(cells.map(({ kind, style }) => runProgram(kind, style))),
  ]);
  for (const [i, kind] of KIND_NAMES.entries()) plainRuns.set(kind, plain[i] as Outcome);
  for (const [i, { kind, style }] of cells.entries()) {
    trackedRuns.set(`${kind}|${style}`, tracked[i] as Outcome);
  }
}, 90_000);

describe('a tracked user program that fails or is stopped (issue 11)', () => {
  it('without a tracker, each program ends as Node makes it end (the reference)', () => {
    const exits = KIND_NAMES.map((kind) => {
      const run = plainRuns.get(kind) as Outcome;
      return [kind, run.code, run.signal, run.hung, run.csv];
    });
    expect(exits).toEqual([
      ['throws synchronously at top level', 1, null, false, undefined],
      ['throws in an async function after an await', 1, null, false, undefined],
      ['leaves a promise rejection unhandled', 1, null, false, undefined],
      ['calls process.exit(7) inside an async function', 7, null, false, undefined],
      ['receives SIGTERM from outside', null, 'SIGTERM', false, undefined],
      ['receives SIGINT from outside', null, 'SIGINT', false, undefined],
    ]);
  });

  describe.each(STYLES)('tracked by %s', (style) => {
    it.each(KIND_NAMES)(
      'a program that %s: ends, exits as without the tracker, one complete CSV row',
      (kind) => {
        const run = trackedRuns.get(`${kind}|${style}`) as Outcome;
        const plain = plainRuns.get(kind) as Outcome;

        expect(run.hung, `${kind} under ${style} did not end`).toBe(false);
        expect({ code: run.code, signal: run.signal }).toEqual(expectedExit(plain, style));
        // The user's own error still reaches standard error.
        const userError = /user error: [a-z ]+/.exec(plain.stderr)?.[0];
        if (userError) expect(run.stderr).toContain(userError);

        expect(run.csv, `no emissions.csv; stderr: ${run.stderr}`).toBeDefined();
        const records = parse(run.csv as string) as string[][];
        expect(records[0]).toEqual([...CSV_COLUMNS]);
        expect(records.slice(1).map((row) => row.length)).toEqual([CSV_COLUMNS.length]);
        const row = Object.fromEntries(CSV_COLUMNS.map((name, i) => [name, records[1]?.[i] ?? '']));
        expect(row.run_id).toMatch(/^[0-9a-f-]{36}$/);
        expect(row.country_iso_code).toBe('FRA');
        expect(Number(row.duration)).toBeGreaterThan(0);
        expect(Number.isFinite(Number(row.emissions))).toBe(true);
      },
    );
  });
});
