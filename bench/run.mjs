#!/usr/bin/env node
// `npm run bench`: the tracker's own cost and the accuracy of its accounting. Writes
// bench/results/latest.json and prints a table; scripts/readme-bench.mjs puts the figures in
// the README. Not part of the test suite: nothing here asserts a time.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accuracy, fullReading, readingCosts, taskLoop } from './in-process.mjs';
import { summarize } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const idleSeconds = quick ? 5 : 60;
const warmUpSeconds = quick ? 12 : 25;

function child(...args) {
  const out = execFileSync(process.execPath, [join(here, 'child.mjs'), ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1));
}

/** Runs children at the same time (the long, mostly sleeping, CPU-time measurements). */
function together(runs) {
  const one = (args) =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, [join(here, 'child.mjs'), ...args], (error, stdout) =>
        error ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').at(-1))),
      );
    });
  return Promise.all(runs.map(one));
}

function fresh(count, ...args) {
  return Array.from({ length: count }, () => child(...args));
}

const pick = (rows, key) => summarize(rows.map((row) => row[key]));

console.error('import and start/stop latency (fresh processes)…');
const imports = fresh(quick ? 5 : 15, 'import');
const starts = fresh(quick ? 5 : 15, 'start');

console.error(`tracker CPU while the workload sleeps ${idleSeconds} s…`);
// Rounds of three children, one of each kind, so that the machine is nearly idle and the
// start-up collections of one child never land in another's measured window.
const repeats = quick ? 1 : 4;
const kinds = ['none-1', 'tracker-1', 'tracker-15'];
const baseline = [];
const at1 = [];
const at15 = [];
for (let round = 0; round < repeats; round++) {
  const [none, one, fifteen] = await together(
    kinds.map((kind) => ['idle', ...kind.split('-'), String(idleSeconds), String(warmUpSeconds)]),
  );
  baseline.push(none);
  at1.push(one);
  at15.push(fifteen);
}
const share = (rows) => {
  const extraMs = pick(rows, 'cpuMs').median - pick(baseline, 'cpuMs').median;
  return { extraCpuMs: extraMs, shareOfOneCorePercent: (extraMs / (idleSeconds * 1000)) * 100 };
};

console.error('in-process: readings, tasks, accuracy…');
const results = {
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    logicalCpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  },
  importMs: pick(imports, 'importMs'),
  firstStartMs: pick(starts, 'firstStartMs'),
  laterStartMs: pick(starts, 'laterStartMs'),
  stopWithCsvMs: pick(starts, 'stopWithCsvMs'),
  trackerCpu: { idleSeconds, warmUpSeconds, at1s: share(at1), at15s: share(at15) },
  memory: {
    rssAddedMiB:
      (pick(at1, 'rssAddedBytes').median - pick(baseline, 'rssAddedBytes').median) / 2 ** 20,
  },
  readingCosts: readingCosts(),
  ...(await fullReading()),
  ...(await taskLoop()),
  accuracy: await accuracy(),
};

mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);

const ms = (s) => `${s.median.toFixed(2)} ms (${s.p25.toFixed(2)}–${s.p75.toFixed(2)})`;
const us = (s) => `${s.median.toFixed(1)} µs (${s.p25.toFixed(1)}–${s.p75.toFixed(1)})`;
console.table({
  import: ms(results.importMs),
  'first start()': ms(results.firstStartMs),
  'later start()': ms(results.laterStartMs),
  'stop() with CSV': ms(results.stopWithCsvMs),
  'CPU share at 1 s': `${results.trackerCpu.at1s.shareOfOneCorePercent.toFixed(3)} %`,
  'CPU share at 15 s': `${results.trackerCpu.at15s.shareOfOneCorePercent.toFixed(3)} %`,
  'RSS added': `${results.memory.rssAddedMiB.toFixed(1)} MiB`,
  'full reading (CPU)': us(results.readingCpuUs),
  'task pair (CPU)': us(results.taskPairCpuUs),
  '1,000 task pairs added': ms(results.addedMsFor1000Pairs),
  'RAPL read, 4 zones (fake tree)': us(results.readingCosts.raplFourZonesUs),
  'NVML read, 8 GPUs (fake library)': results.readingCosts.fakeNvmlEightGpusUs
    ? us(results.readingCosts.fakeNvmlEightGpusUs)
    : 'n/a (no gcc)',
  'procfs load model read': us(results.readingCosts.procfsLoadModelUs),
  'memory read': us(results.readingCosts.procfsMemoryUs),
  'process tree read': us(results.readingCosts.processTreeUs),
  'long-run energy error': results.accuracy.longRunRelativeError.toExponential(2),
  '50 ms-class task error': results.accuracy.shortTaskRelativeError.toExponential(2),
});
