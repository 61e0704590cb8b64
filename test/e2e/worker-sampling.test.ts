import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, readCsv, sandbox, start } from '../helpers/cli.js';
import { FakePowercap } from '../sensors/rapl/fake-powercap.js';

const INDEX = JSON.stringify(pathToFileURL(join(REPO, 'dist', 'index.js')).href);

/** Runs `source` (a module using the built package) in a fresh process; its last line as JSON. */
async function runProgram<T>(source: string): Promise<T> {
  const box = sandbox();
  const file = join(box.dir, 'program.mjs');
  writeFileSync(file, source);
  const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as T;
}

/** A package counter that wraps every 20 J, driven at 50 W from this (unblocked) process. */
const RANGE_UJ = 20_000_000;
const POWER_W = 50;

let stopDriver: (() => void) | undefined;
afterEach(() => stopDriver?.());

function drive(powercap: FakePowercap): void {
  const startedMs = performance.now();
  const counter = powercap.path('intel-rapl:0');
  const timer = setInterval(() => {
    const energyUj = ((performance.now() - startedMs) / 1000) * POWER_W * 1e6;
    // Replace the file whole: a reader must never see it half written (sysfs never is).
    writeFileSync(`${counter}.next`, `${Math.floor(energyUj % RANGE_UJ)}\n`);
    renameSync(`${counter}.next`, counter);
  }, 5);
  stopDriver = () => clearInterval(timer);
}

/** Runs a program that blocks its main thread for 2 s between start() and stop(). */
async function blockedRun(root: string, sampling: 'worker' | 'inline') {
  return runProgram<{ cpuJ: number; duration: number; method: string }>(
    `import { OfflineEmissionsTracker } from ${INDEX};
const tracker = new OfflineEmissionsTracker(
  { countryIsoCode: 'FRA', measurePowerSecs: 0.05, saveToFile: false, forceRamPower: 0, logLevel: 'warning' },
  { root: ${JSON.stringify(root)}, env: {}, sampling: ${JSON.stringify(sampling)} },
);
tracker.start();
await new Promise((resolve) => setTimeout(resolve, 200)); // let the worker take its baseline
const until = Date.now() + 2000;
while (Date.now() < until) {} // user code blocks the main thread: no timer can run here
await tracker.stop();
const r = tracker.finalEmissionsData;
console.log(JSON.stringify({ cpuJ: r.cpuEnergy * 3.6e6, duration: r.duration, method: r.cpuMethod }));
`,
  );
}

describe('sampling off the main thread', () => {
  it('reads a wrapping RAPL counter on schedule while user code blocks the main thread', async () => {
    const powercap = new FakePowercap().zone('intel-rapl:0', {
      name: 'package-0',
      maxUj: RANGE_UJ,
    });
    drive(powercap);

    const run = await blockedRun(powercap.root, 'worker');

    expect(run.method).toBe('rapl-package');
    expect(run.duration).toBeGreaterThanOrEqual(2.2);
    // About 110 J through five wraps of a 20 J counter: every wrap was seen.
    expect(run.cpuJ / run.duration).toBeGreaterThan(POWER_W * 0.93);
    expect(run.cpuJ / run.duration).toBeLessThan(POWER_W * 1.07);
  });

  it('(control) read only from the blocked thread, the same run loses the wraps it never saw', async () => {
    const powercap = new FakePowercap().zone('intel-rapl:0', {
      name: 'package-0',
      maxUj: RANGE_UJ,
    });
    drive(powercap);

    const run = await blockedRun(powercap.root, 'inline');

    expect(run.cpuJ / run.duration).toBeLessThan(POWER_W * 0.8);
  });
});

/** A pushgateway stand-in on 127.0.0.1 that notes when each push arrived (epoch ms). */
async function pushRecorder(): Promise<{ url: string; pushes: number[]; close: () => void }> {
  const pushes: number[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method !== 'DELETE') pushes.push(Date.now());
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, pushes, close: () => server.close() };
}

/** Pushes a program received while its main thread was blocked for 2 s. */
async function pushesDuringBlock(sampling: 'worker' | 'inline'): Promise<number> {
  const gateway = await pushRecorder();
  try {
    const { from, to } = await runProgram<{ from: number; to: number }>(
      `import { OfflineEmissionsTracker } from ${INDEX};
const tracker = new OfflineEmissionsTracker(
  { countryIsoCode: 'FRA', measurePowerSecs: 0.1, apiCallInterval: 1, saveToFile: false,
    saveToPrometheus: true, prometheusUrl: ${JSON.stringify(gateway.url)}, logLevel: 'warning' },
  { sampling: ${JSON.stringify(sampling)} },
);
tracker.start();
await tracker.ready();
const from = Date.now();
while (Date.now() < from + 2000) {} // user code blocks the main thread
const to = Date.now();
await tracker.stop();
console.log(JSON.stringify({ from, to }));
`,
    );
    return gateway.pushes.filter((at) => at > from && at < to).length;
  } finally {
    gateway.close();
  }
}

describe('periodic outputs off the main thread', () => {
  it('built-in periodic outputs (a pushgateway) keep their schedule while the main thread is blocked', async () => {
    // About twenty pushes are due during the block; a few are enough to show the schedule held.
    expect(await pushesDuringBlock('worker')).toBeGreaterThanOrEqual(3);
  });

  it('(control) with the outputs on the blocked thread, nothing is pushed during the block', async () => {
    expect(await pushesDuringBlock('inline')).toBe(0);
  });
});

/** What the handlers program prints. */
interface Seen {
  live: number;
  out: number[];
  tasks: string[];
  exit: number;
  threads: number[];
  emissions: number;
  task: string;
  final: number;
  csv: string;
}

describe('outputs that call user code stay on the main thread', () => {
  it("the user's handlers get periodic, final and task records from a worker-hosted run", async () => {
    const seen = await runProgram<Seen>(
      `import { threadId } from 'node:worker_threads';
import { OfflineEmissionsTracker } from ${INDEX};
const seen = { live: 0, out: [], tasks: [], exit: 0, threads: new Set() };
const handler = {
  liveOut(total) { seen.live += 1; seen.threads.add(threadId); },
  out(total, delta) { seen.out.push(total.emissions); seen.threads.add(threadId); },
  taskOut(tasks) { seen.tasks = tasks.map((t) => t.taskName); },
  exit() { seen.exit += 1; },
};
const tracker = new OfflineEmissionsTracker(
  { countryIsoCode: 'FRA', measurePowerSecs: 0.1, apiCallInterval: 1, outputHandlers: [handler],
    logLevel: 'warning' },
  { sampling: 'worker' },
);
tracker.start();
tracker.startTask('load');
await new Promise((resolve) => setTimeout(resolve, 500));
const task = tracker.stopTask('load');
const emissions = await tracker.stop();
console.log(JSON.stringify({ ...seen, threads: [...seen.threads], emissions, task: task.taskName,
  final: tracker.finalEmissionsData.emissions, csv: tracker.csvFilePath }));
`,
    );
    expect(seen.threads).toEqual([0]);
    expect(seen.live).toBeGreaterThan(0);
    expect(seen.out).toEqual([seen.emissions]);
    expect(seen.final).toBe(seen.emissions);
    expect(seen.task).toBe('load');
    expect(seen.tasks).toEqual(['load']);
    expect(seen.exit).toBe(1);
    // The built-in CSV output ran in the worker and wrote the same final record.
    const rows = readCsv(seen.csv);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.emissions)).toBe(seen.emissions);
  });
});

describe('task records in the worker', () => {
  it("a task's energy and duration are read at the same moment: a constant power comes out exact", async () => {
    const tasks = await runProgram<{ ramPower: number; duration: number }[]>(
      `import { OfflineEmissionsTracker } from ${INDEX};
const tracker = new OfflineEmissionsTracker(
  { countryIsoCode: 'FRA', forceRamPower: 10, saveToFile: false, logLevel: 'warning' },
  { sampling: 'worker' },
);
tracker.start();
await tracker.ready();
const tasks = [];
for (let i = 0; i < 20; i++) {
  const name = tracker.startTask();
  const until = performance.now() + (i % 5) + 0.2;
  while (performance.now() < until) {}
  tasks.push(tracker.stopTask(name));
}
await tracker.stop();
console.log(JSON.stringify(tasks.map((t) => ({ ramPower: t.ramPower, duration: t.duration }))));
`,
    );
    expect(tasks).toHaveLength(20);
    for (const task of tasks) {
      expect(task.duration).toBeGreaterThan(0);
      expect(task.ramPower).toBeCloseTo(10, 6);
    }
  });
});
