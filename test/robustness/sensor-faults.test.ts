import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log/logger.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { ManualClock } from '../helpers/fakes.js';
import { FakeNvml, gccAvailable } from '../sensors/gpu/fake-libraries.js';
import { FakePowercap } from '../sensors/rapl/fake-powercap.js';

/**
 * Sensors that fail in the middle of a run: a RAPL counter file that vanishes or turns
 * unreadable, a GPU whose NVML calls start failing. Every interval's record is still written,
 * energies stay exact and never decrease, and the record's method says what happened.
 */

const FRANCE_G_PER_KWH = 56.039;
const J_PER_KWH = 3_600_000;

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup) step();
  cleanup = [];
});

/** A tracker on a fake root, read on this thread, with a manual clock and its own lock. */
function trackerOn(root: string, options: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-sensor-faults-'));
  const clock = new ManualClock();
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(`error: ${message}`),
  };
  const records: EmissionsData[] = [];
  const tracker = new OfflineEmissionsTracker(
    {
      countryIsoCode: 'FRA',
      outputDir: dir,
      logger,
      installExitHandlers: false,
      allowMultipleRuns: true,
      measurePowerSecs: 3600, // readings come from flush() and stop() only
      forceRamPower: 0,
      outputHandlers: [{ out: (total: EmissionsData) => void records.push(total) }],
      ...options,
    },
    { env: {}, cwd: dir, homeDir: dir, lockDir: dir, root, clock: clock.read, sampling: 'inline' },
  );
  const rows = () =>
    parse(readFileSync(join(dir, 'emissions.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
  return { tracker, clock, warnings, records, rows };
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Four threads of a CPU the TDP table does not know: the load model's TDP is 4 × 4 W. */
function fakeCpu(root: string): void {
  const processors = [0, 1, 2, 3].map((n) => `processor\t: ${n}\nmodel name\t: Zzyzx Q1\n`);
  write(root, 'proc/cpuinfo', processors.join('\n'));
  cpuTicks(root, 0, 0);
}

/** The machine's cumulative busy and idle ticks: the load model's utilisation. */
function cpuTicks(root: string, busy: number, idle: number): void {
  write(root, 'proc/stat', `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\n`);
}

/** Cumulative energies of a run's rows never go down, whatever failed. */
function expectNonDecreasing(values: readonly number[]): void {
  values.slice(1).forEach((value, index) => {
    expect(value).toBeGreaterThanOrEqual(values[index] as number);
  });
}

const kwh = (joules: number) => joules / J_PER_KWH;
const kg = (joules: number) => (kwh(joules) * FRANCE_G_PER_KWH) / 1000;

describe.each([
  ['is deleted', 'ENOENT', (path: string) => rmSync(path)],
  [
    'is replaced by a directory',
    'EISDIR',
    (path: string) => {
      rmSync(path);
      mkdirSync(path);
    },
  ],
])('a tracker whose RAPL energy_uj %s mid-run', (_, code, breakCounter) => {
  it('writes every interval, keeps the measured energy and goes on with the load model', async () => {
    const powercap = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', energyUj: 0 });
    cleanup.push(() => powercap.remove());
    fakeCpu(powercap.root);
    const { tracker, clock, warnings, records, rows } = trackerOn(powercap.root);

    tracker.start();
    const flushed: (number | undefined)[] = [];
    const step = async (change: () => void) => {
      clock.advance(10);
      change();
      flushed.push(await tracker.flush());
    };
    await step(() => powercap.set('intel-rapl:0', 300e6)); // 300 J measured
    await step(() => {
      breakCounter(powercap.path('intel-rapl:0'));
      cpuTicks(powercap.root, 1000, 0);
    });
    await step(() => cpuTicks(powercap.root, 2000, 0)); // fully busy: 16 W
    await step(() => cpuTicks(powercap.root, 3000, 0)); // third failure: the model takes over
    await step(() => cpuTicks(powercap.root, 3000, 1000)); // idle: 1.6 W
    clock.advance(10);
    cpuTicks(powercap.root, 3000, 2000);
    const final = await tracker.stop();

    // Held at 300 J through two failures; then 300 J + the 10 s before the first failure and
    // the 20 s since, at the model's 16 W; then the model alone.
    const expectedJ = [300, 300, 300, 300 + 160 + 320, 780 + 16, 796 + 16];
    const rowJ = rows().map((row) => Number(row.cpu_energy) * J_PER_KWH);
    expect(rowJ).toHaveLength(6);
    expectNonDecreasing(rowJ);
    rowJ.forEach((joules, index) => {
      expect(joules).toBeCloseTo(expectedJ[index] as number, 9);
    });
    expect([...flushed, final].map((value) => (value ?? 0) / kg(1))).toEqual(
      expectedJ.map((joules) => expect.closeTo(joules, 9)),
    );
    expect(records.map((record) => record.cpuMethod)).toEqual([
      'rapl-package',
      'rapl-package',
      'rapl-package',
      'tdp-load-model (after rapl-package failed)',
      'tdp-load-model (after rapl-package failed)',
      'tdp-load-model (after rapl-package failed)',
    ]);
    expect(warnings.filter((line) => line.startsWith('CPU measurement failed'))).toEqual([
      `CPU measurement failed 3 times in a row (RAPL package-0 (intel-rapl:0), whole machine, rapl-package): /sys/class/powercap/intel-rapl:0/energy_uj: ${code}. From now on CPU power is estimated with tdp-load-model; the 300 J measured until then are kept. Check that the powercap files are still there and readable (the intel_rapl_common module loaded, the permissions of energy_uj), then start a new run to measure with RAPL again.`,
    ]);
    expect(tracker.measurementDetails?.components.cpu.method).toBe(
      'tdp-load-model (after rapl-package failed)',
    );
  });
});

describe.skipIf(!gccAvailable)('a tracker whose GPU stops answering NVML mid-run', () => {
  let nvml: FakeNvml;

  beforeAll(() => {
    nvml = new FakeNvml();
  });

  it('writes every interval and stops counting that GPU, saying so once', async () => {
    nvml.reset();
    const gpu = nvml.addGpu('NVIDIA H100', 'GPU-aaaa');
    nvml.setEnergyMj(gpu, 5_000_000);
    nvml.setLimitMw(gpu, 700_000);
    // Energy answers the selection's probe, the baseline and the first reading; power never
    // (the driver lost the GPU).
    process.env.FAKE_NVML_FAIL_AFTER = 'energy=3,power=0';
    cleanup.push(() => delete process.env.FAKE_NVML_FAIL_AFTER);
    const root = mkdtempSync(join(tmpdir(), 'cc-no-proc-'));
    const { tracker, clock, warnings, records, rows } = trackerOn(root, {
      nvmlLibrary: nvml.path,
      forceCpuPower: 10, // no CPU times in this root: half the forced TDP, 5 W
    });

    tracker.start();
    const flushed: (number | undefined)[] = [];
    for (let interval = 0; interval < 5; interval += 1) {
      clock.advance(10);
      nvml.addEnergyMj(gpu, 1_000_000); // 100 W, seen only by the first reading
      flushed.push(await tracker.flush());
    }
    clock.advance(10);
    const final = await tracker.stop();

    // 1000 J measured, then nothing more from the GPU: never its last power extrapolated.
    const gpuJ = [1000, 1000, 1000, 1000, 1000, 1000];
    const totalJ = gpuJ.map((joules, index) => joules + 5 * 10 * (index + 1));
    const table = rows();
    expectNonDecreasing(table.map((row) => Number(row.energy_consumed)));
    expect(table.map((row) => Number(row.gpu_energy) * J_PER_KWH)).toEqual(
      gpuJ.map((joules) => expect.closeTo(joules, 9)),
    );
    expect(table.map((row) => Number(row.energy_consumed) * J_PER_KWH)).toEqual(
      totalJ.map((joules) => expect.closeTo(joules, 9)),
    );
    expect(table.map((row) => [row.gpu_count, row.gpu_model])).toEqual(
      gpuJ.map(() => ['1', '1 x NVIDIA H100']),
    );
    expect([...flushed, final].map((value) => (value ?? 0) / kg(1))).toEqual(
      totalJ.map((joules) => expect.closeTo(joules, 9)),
    );
    expect(records.map((record) => record.gpuMethod)).toEqual([
      'nvml-energy',
      'nvml-energy',
      'nvml-energy',
      'none (after nvml-energy failed)',
      'none (after nvml-energy failed)',
      'none (after nvml-energy failed)',
    ]);
    expect(warnings.filter((line) => line.startsWith('GPU measurement failed'))).toEqual([
      "GPU measurement failed 3 times in a row (GPU 0: NVIDIA H100 (GPU-aaaa), NVML energy counter, power limit 700 W, nvml-energy): neither energy nor power could be read. From now on GPU 0's energy is not counted; the 1000 J measured until then are kept. Check the GPU and its driver with nvidia-smi, then start a new run to measure it again.",
    ]);
  });
});
