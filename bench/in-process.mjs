// Benchmarks that run inside one process: cost of a reading per sensor type, task pairs,
// and the accuracy of the accounting against sensors whose truth is known.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './stats.mjs';

const dir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
process.env.TMPDIR = dir;

const { OfflineEmissionsTracker } = await import('../dist/index.js');
const { CpuLoadSensor } = await import('../dist/sensors/cpu-load-sensor.js');
const { readSystemCpuTimes } = await import('../dist/hardware/cpu-times.js');
const { readProcessTree } = await import('../dist/hardware/process-tree.js');
const { readMemory, effectiveMemory } = await import('../dist/hardware/memory.js');
const { buildSensors, detectHardware } = await import('../dist/sensors/select-sensors.js');
const { OnceLogger, silentLogger } = await import('../dist/log/logger.js');
const here = dirname(fileURLToPath(import.meta.url));

/** CPU microseconds per call of `fn`, over `count` calls, repeated `rounds` times. */
function cpuMicrosPerCall(fn, count = 2000, rounds = 7) {
  const values = [];
  for (let round = 0; round < rounds; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < count; i++) fn(i);
    const used = process.cpuUsage(before);
    values.push((used.user + used.system) / count);
  }
  return summarize(values);
}

/** A sensor with a known constant power: energy is exactly power × time. */
class KnownSensor {
  description = 'known power';
  method = 'known';
  constructor(component, powerW) {
    this.component = component;
    this.powerW = powerW;
  }
  start(nowS) {
    this.startS = nowS;
  }
  read(nowS) {
    return { energyJ: this.powerW * (nowS - this.startS), powerW: this.powerW };
  }
}

/** A fake powercap tree: two packages and their DRAM zones (as on a 2-socket server). */
function fakePowercap() {
  const root = mkdtempSync(join(tmpdir(), 'cc-bench-rapl-'));
  const zones = [
    ['intel-rapl:0', 'package-0'],
    ['intel-rapl:0:0', 'dram', 'intel-rapl:0'],
    ['intel-rapl:1', 'package-1'],
    ['intel-rapl:1:0', 'dram', 'intel-rapl:1'],
  ];
  for (const [id, name, parent] of zones) {
    const dir = join(
      root,
      'sys/devices/virtual/powercap/intel-rapl',
      ...(parent ? [parent] : []),
      id,
    );
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'name'), `${name}\n`);
    writeFileSync(join(dir, 'energy_uj'), '1000\n');
    writeFileSync(join(dir, 'max_energy_range_uj'), '262143328850\n');
    mkdirSync(join(root, 'sys/class/powercap'), { recursive: true });
    symlinkSync(dir, join(root, 'sys/class/powercap', id));
  }
  return root;
}

/** Sensors of a configuration, built as a tracker would (inline). */
function sensorsFor(root, overrides, env = {}) {
  const logger = new OnceLogger(silentLogger);
  const config = {
    trackingMode: 'machine',
    forceCpuPower: undefined,
    forceRamPower: undefined,
    defaultCpuPower: 42.5,
    forceModeCpuLoad: false,
    raplIncludeDram: true,
    raplPreferPsys: false,
    gpuIds: undefined,
    rootPid: process.pid,
    root,
    env,
    logger,
    ...overrides,
  };
  return buildSensors(detectHardware(root, env), config).sensors;
}

/** Fake NVML with 8 GPUs, compiled with gcc like the tests do; undefined without gcc. */
function fakeNvmlSensors() {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-nvml-'));
    const library = join(dir, 'libfake-nvml.so');
    execFileSync('gcc', [
      '-shared',
      '-fPIC',
      '-O1',
      '-o',
      library,
      join(here, '..', 'test', 'sensors', 'gpu', 'fake-nvml.c'),
    ]);
    const gpus = Array.from(
      { length: 8 },
      (_, i) => `NVIDIA H200=GPU-${String(i).padStart(4, '0')}@300`,
    ).join(';');
    process.env.FAKE_NVML_GPUS = gpus;
    const sensors = sensorsFor(dir, { nvmlLibrary: library }, { FAKE_NVML_GPUS: gpus });
    return sensors.filter((sensor) => sensor.component === 'gpu');
  } catch {
    return undefined;
  }
}

function readAll(sensors) {
  // Sensors skip a reading whose time is not after the previous one: give each a later time.
  let timeS = performance.now() / 1000;
  for (const sensor of sensors) sensor.start(timeS);
  return () => {
    timeS += 1;
    for (const sensor of sensors) sensor.read(timeS);
  };
}

export function readingCosts() {
  const load = new CpuLoadSensor({
    tdpW: 65,
    logicalCount: 2,
    trackingMode: 'machine',
    times: { system: () => readSystemCpuTimes('/') },
    fallbackPowerW: 42.5,
    method: 'tdp-load-model',
    description: 'bench',
  });
  let loadTimeS = performance.now() / 1000;
  load.start(loadTimeS);
  const rapl = sensorsFor(fakePowercap(), {}).filter((sensor) => sensor.method.startsWith('rapl'));
  const gpus = fakeNvmlSensors();
  return {
    raplFourZonesUs: cpuMicrosPerCall(readAll(rapl)),
    raplMethods: rapl.map((sensor) => sensor.method),
    fakeNvmlEightGpusUs: gpus && gpus.length > 0 ? cpuMicrosPerCall(readAll(gpus)) : null,
    procfsLoadModelUs: cpuMicrosPerCall(() => {
      loadTimeS += 1;
      load.read(loadTimeS);
    }),
    procfsMemoryUs: cpuMicrosPerCall(() => effectiveMemory(readMemory('/'))),
    processTreeUs: cpuMicrosPerCall(() => readProcessTree(process.pid, '/'), 500),
  };
}

export async function fullReading() {
  const tracker = new OfflineEmissionsTracker({
    countryIsoCode: 'FRA',
    logLevel: 'error',
    outputDir: dir,
    saveToFile: false,
    installExitHandlers: false,
  });
  tracker.start();
  // A task pair reads every sensor twice: its cost is two full readings plus bookkeeping.
  const perPair = cpuMicrosPerCall(() => {
    const name = tracker.startTask('t');
    tracker.stopTask(name);
  }, 500);
  await tracker.stop();
  const half = Object.fromEntries(
    Object.entries(perPair).map(([key, value]) => [key, key === 'runs' ? value : value / 2]),
  );
  return { taskPairCpuUs: perPair, readingCpuUs: half };
}

/** 1,000 start/stop task pairs around a tiny workload, against the same loop without tasks. */
export async function taskLoop() {
  const work = () => {
    let x = 0;
    for (let i = 0; i < 2000; i++) x += Math.sqrt(i);
    return x;
  };
  const values = [];
  for (let round = 0; round < 5; round++) {
    const tracker = new OfflineEmissionsTracker({
      countryIsoCode: 'FRA',
      logLevel: 'error',
      outputDir: dir,
      saveToFile: false,
      installExitHandlers: false,
    });
    tracker.start();
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) work();
    const bare = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 1000; i++) {
      const name = tracker.startTask(`task-${i}`);
      work();
      tracker.stopTask(name);
    }
    const tracked = performance.now() - t1;
    await tracker.stop();
    values.push(tracked - bare);
  }
  return { addedMsFor1000Pairs: summarize(values) };
}

/** Simulated long runs on sensors with known power: relative error of the totals. */
export async function accuracy() {
  let timeS = 0;
  const clock = () => ({ timeS, wallMs: 1_700_000_000_000 + timeS * 1000 });
  const sensors = [new KnownSensor('cpu', 37.5), new KnownSensor('ram', 11.25)];
  const tracker = new OfflineEmissionsTracker(
    {
      countryIsoCode: 'FRA',
      logLevel: 'error',
      outputDir: dir,
      saveToFile: false,
      installExitHandlers: false,
      measurePowerSecs: 3600,
    },
    { env: {}, cwd: dir, homeDir: dir, sensors, clock },
  );
  tracker.start();
  let task;
  for (let i = 0; i < 20_000; i++) {
    timeS += 0.37 + (i % 7) * 0.11; // about 12 hours of readings at irregular intervals
    if (i === 10_000) task = tracker.startTask('short');
    if (i === 10_001) task = tracker.stopTask(task);
    await tracker.flush();
  }
  await tracker.stop();
  const record = tracker.finalEmissionsData;
  const trueJ = (37.5 + 11.25) * timeS;
  const measuredJ = record.energyConsumed * 3_600_000;
  const taskTrueJ = (37.5 + 11.25) * task.duration;
  return {
    longRunRelativeError: Math.abs(measuredJ - trueJ) / trueJ,
    shortTaskRelativeError: Math.abs(task.energyConsumed * 3_600_000 - taskTrueJ) / taskTrueJ,
  };
}
