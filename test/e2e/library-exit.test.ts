import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO, readCsv, sandbox, start, waitFor } from '../helpers/cli.js';

const INDEX = pathToFileURL(join(REPO, 'dist', 'index.js')).href;

/** Writes a small program that uses the built package and ends the way `ending` says. */
function program(
  dir: string,
  ending: string,
  options = "{ countryIsoCode: 'FRA' }",
  imports = '',
): string {
  const file = join(dir, 'program.mjs');
  writeFileSync(
    file,
    `${imports}
import { OfflineEmissionsTracker } from ${JSON.stringify(INDEX)};
const tracker = new OfflineEmissionsTracker({ ...${options}, measurePowerSecs: 0.1, logLevel: 'error' });
tracker.start();
console.log('started');
${ending}
`,
  );
  return file;
}

describe('a program that ends while a tracker runs', () => {
  it('process.exit(3): the final row is written once and the exit code is unchanged', async () => {
    const box = sandbox();
    const file = program(box.dir, 'setTimeout(() => process.exit(3), 300);');
    const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
    expect(result.code).toBe(3);
    const rows = readCsv(join(box.dir, 'emissions.csv'));
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.duration)).toBeGreaterThanOrEqual(0.3);
  });

  it('process.exit(): your outputs get out() and then exit(), synchronously', async () => {
    const box = sandbox();
    const calls = join(box.dir, 'calls.txt');
    const handler = `{ out() { appendFileSync(${JSON.stringify(calls)}, 'out\\n'); }, exit() { appendFileSync(${JSON.stringify(calls)}, 'exit\\n'); } }`;
    const file = program(
      box.dir,
      'setTimeout(() => process.exit(3), 300);',
      `{ countryIsoCode: 'FRA', outputHandlers: [${handler}] }`,
      "import { appendFileSync } from 'node:fs';",
    );
    const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
    expect(result.code).toBe(3);
    expect(readFileSync(calls, 'utf8')).toBe('out\nexit\n');
  });

  it('process.exit() in your own out() during stop(): the CSV row was written before it ran', async () => {
    const box = sandbox();
    const file = program(
      box.dir,
      'await tracker.stop();',
      "{ countryIsoCode: 'FRA', outputHandlers: [{ out() { process.exit(4); } }] }",
    );
    const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
    expect(result.code).toBe(4);
    expect(readCsv(join(box.dir, 'emissions.csv'))).toHaveLength(1);
  });

  it('the event loop empties: the timer does not keep the process alive, the row is written', async () => {
    const box = sandbox();
    const file = program(box.dir, 'let x = 0; for (let i = 0; i < 1e7; i++) x += i;');
    const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
    expect(result.code).toBe(0);
    expect(readCsv(join(box.dir, 'emissions.csv'))).toHaveLength(1);
  });

  it('SIGTERM: the row is written once and the process still dies from SIGTERM', async () => {
    const box = sandbox();
    const file = program(box.dir, 'setInterval(() => {}, 1000);');
    const { child, done } = start(process.execPath, [file], { cwd: box.dir, env: box.env });
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    await waitFor(() => out.includes('started'));
    child.kill('SIGTERM');
    const result = await done;
    expect(result.signal).toBe('SIGTERM');
    expect(readCsv(join(box.dir, 'emissions.csv'))).toHaveLength(1);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s while user code blocks the main thread: the row is written once and the signal still ends the process',
    async (signal) => {
      const box = sandbox();
      // 'started' is printed before the block: the signal arrives while the loop cannot run.
      const file = program(
        box.dir,
        'const until = Date.now() + 1500; while (Date.now() < until) {}',
      );
      const { child, done } = start(process.execPath, [file], { cwd: box.dir, env: box.env });
      let out = '';
      child.stdout?.on('data', (chunk) => {
        out += chunk;
      });
      await waitFor(() => out.includes('started'));
      child.kill(signal);
      const result = await done;
      expect(result.signal).toBe(signal);
      expect(readCsv(join(box.dir, 'emissions.csv'))).toHaveLength(1);
    },
  );

  it("SIGINT with the program's own handler: the row is written and the handler decides", async () => {
    const box = sandbox();
    const file = program(
      box.dir,
      "process.on('SIGINT', async () => { await tracker.stop(); console.log('own handler'); process.exit(5); }); setInterval(() => {}, 1000);",
    );
    const { child, done } = start(process.execPath, [file], { cwd: box.dir, env: box.env });
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    await waitFor(() => out.includes('started'));
    child.kill('SIGINT');
    const result = await done;
    expect(result.stdout).toMatch(/own handler/);
    expect(result.code).toBe(5);
    expect(readCsv(join(box.dir, 'emissions.csv'))).toHaveLength(1);
  });

  it('a main thread blocked for many intervals still gets the whole period measured', async () => {
    const box = sandbox();
    const file = program(
      box.dir,
      'const until = Date.now() + 1500; while (Date.now() < until) {} await tracker.stop();',
    );
    const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
    expect(result.code).toBe(0);
    const [row] = readCsv(join(box.dir, 'emissions.csv'));
    expect(Number(row?.duration)).toBeGreaterThanOrEqual(1.5);
    // One of the machine's cores was busy throughout: the load is visible in the record.
    expect(Number(row?.cpu_utilization_percent)).toBeGreaterThan(100 / availableParallelism() / 2);
    expect(Number(row?.cpu_energy) * 3_600_000).toBeCloseTo(
      Number(row?.cpu_power) * Number(row?.duration),
      6,
    );
  });
});
