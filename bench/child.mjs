// Runs one measurement in a fresh process and prints its result as JSON on stdout.
// Usage: node bench/child.mjs <scenario> [args...]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [scenario, ...args] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
process.env.TMPDIR = dir; // each process has its own machine lock
const quiet = {
  countryIsoCode: 'FRA',
  logLevel: 'error',
  outputDir: dir,
  installExitHandlers: false,
};

const scenarios = {
  async import() {
    const t0 = performance.now();
    await import('../dist/index.js');
    return { importMs: performance.now() - t0 };
  },

  async start() {
    const { OfflineEmissionsTracker } = await import('../dist/index.js');
    const t0 = performance.now();
    const first = new OfflineEmissionsTracker({ ...quiet, allowMultipleRuns: true });
    first.start();
    const t1 = performance.now();
    const later = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const t = new OfflineEmissionsTracker({ ...quiet, allowMultipleRuns: true });
      t.start();
      later.push(performance.now() - s);
      await t.stop();
    }
    const s = performance.now();
    await first.stop();
    const stopMs = performance.now() - s;
    return { firstStartMs: t1 - t0, laterStartMs: median(later), stopWithCsvMs: stopMs };
  },

  async idle() {
    // CPU time of a process that sleeps for `seconds`, with or without a tracker reading
    // every `interval` seconds. Steady state: the tracker is started (and has taken a first
    // reading and made a record) before the measured window, so one-time costs (module
    // loading, hardware detection, the worker's boot) are not counted as per-reading cost.
    const [withTracker, interval, seconds, warmUpSeconds] = [
      args[0] === 'tracker',
      Number(args[1]),
      Number(args[2]),
      Number(args[3] ?? 25),
    ];
    const { OfflineEmissionsTracker } = await import('../dist/index.js');
    let tracker;
    const rssBefore = process.memoryUsage().rss;
    if (withTracker) {
      tracker = new OfflineEmissionsTracker({
        ...quiet,
        measurePowerSecs: interval,
        saveToFile: false,
      });
      tracker.start();
      await tracker.flush();
    } else {
      // The same warm-up without a tracker: load the package's modules.
      await import('../dist/tracker/setup-run.js');
    }
    // V8 keeps compiling and collecting after a start-up, in each thread: its memory reducer
    // runs full collections 8 s after start-up, or at a later 8 s step while the process still
    // allocates. Wait past them for the steady state the user's long run will see.
    await new Promise((resolve) => setTimeout(resolve, warmUpSeconds * 1000));
    const cpu0 = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const rssAfter = process.memoryUsage().rss;
    if (tracker) await tracker.stop();
    return { cpuMs: (cpu.user + cpu.system) / 1000, rssAddedBytes: rssAfter - rssBefore };
  },
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const result = await scenarios[scenario]();
process.stdout.write(`${JSON.stringify(result)}\n`);
