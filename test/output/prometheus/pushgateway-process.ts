import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseExposition, type Sample } from './exposition.js';

/** Debian's package installs it here; `.ci/run` installs the package. */
export const PUSHGATEWAY_BINARY = '/usr/bin/prometheus-pushgateway';
export const HAVE_PUSHGATEWAY = existsSync(PUSHGATEWAY_BINARY);
export const SKIP_REASON = `${PUSHGATEWAY_BINARY} is missing: install Debian's prometheus-pushgateway package (.ci/run does) to run these tests`;

export interface RunningGateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The gateway's own /metrics, parsed. */
  samples(): Promise<Sample[]>;
  stop(): Promise<void>;
}

/** Starts a real pushgateway on a free loopback port and waits until it is ready. */
export async function startPushgateway(): Promise<RunningGateway> {
  const port = await freePort();
  const child = spawn(PUSHGATEWAY_BINARY, [`--web.listen-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child);
  return {
    url,
    port,
    samples: async () => parseExposition(await (await fetch(`${url}/metrics`)).text()),
    stop: () => stopChild(child),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`pushgateway exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error('pushgateway did not become ready');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
