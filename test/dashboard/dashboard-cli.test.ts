import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, sandbox, start, waitFor } from '../helpers/cli.js';
import { FIXTURES } from '../report/fixture-files.js';

describe('codecarbon dashboard', () => {
  it('prints its local URL, serves the files and stops on SIGTERM', async () => {
    const box = sandbox();
    const { child, done } = start(
      process.execPath,
      [CLI, 'dashboard', FIXTURES.node, '--port', '0'],
      {
        cwd: box.dir,
        env: box.env,
      },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\//.test(stdout));

    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)?.[0] as string;
    const summary = (await (await fetch(new URL('/api/summary', url))).json()) as {
      totals: { runs: number };
    };
    expect(summary.totals.runs).toBe(5);
    child.kill('SIGTERM');
    const finished = await done;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain(`codecarbon dashboard: ${url}\n`);
    expect(finished.stderr).toBe('');
  });

  it('refuses a port that is taken or not a number, in one line', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const busy = await runCli(['dashboard', FIXTURES.node, '--port', String(port)], sandbox());
      expect(busy.code).toBe(1);
      expect(busy.stderr).toBe(
        `codecarbon: port ${port} is in use on 127.0.0.1: choose another with --port (0 picks a free one)\n`,
      );
    } finally {
      taken.close();
    }
    const bad = await runCli(['dashboard', '--port', 'eighty'], sandbox());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('codecarbon: --port "eighty" is not a port number (0-65535)\n');
  });
});
