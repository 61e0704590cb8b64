import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, OnceLogger } from '../../../src/log/logger.js';
import { loadKoffi } from '../../../src/sensors/gpu/load-library.js';
import type { GpuLibraryPaths } from '../../../src/sensors/gpu-selection.js';
import type { SensorConfig } from '../../../src/sensors/select-sensors.js';

/**
 * The fake vendor libraries, compiled from the C files beside this one into a fresh temporary
 * directory per test file (so parallel test files never share a library's state), and their
 * fake_* setters bound through koffi, the same FFI the product uses.
 */

export const gccAvailable = (() => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export function compileFake(name: 'fake-nvml' | 'fake-amdsmi'): string {
  const directory = mkdtempSync(join(tmpdir(), 'codecarbon-gpu-'));
  const library = join(directory, `lib${name}.so`);
  const source = join(import.meta.dirname, `${name}.c`);
  execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-o', library, source]);
  return library;
}

type Fn = (...args: unknown[]) => number;

/** Scripts the fake NVML: GPUs, MIG slices, counters (mJ), powers (mW) and per-call errors. */
export class FakeNvml {
  readonly path = compileFake('fake-nvml');
  private readonly fn: Record<string, Fn>;

  constructor() {
    const library = loadKoffi().load(this.path);
    const bind = (declaration: string) => library.func(declaration) as Fn;
    this.fn = {
      reset: bind('void fake_nvml_reset(void)'),
      failInit: bind('void fake_nvml_fail_init(int code)'),
      initCalls: bind('int fake_nvml_init_calls(void)'),
      addGpu: bind('int fake_nvml_add_gpu(const char *name, const char *uuid)'),
      setEnergy: bind('void fake_nvml_set_energy(int i, uint64_t mj)'),
      addEnergy: bind('void fake_nvml_add_energy(int i, uint64_t mj)'),
      setPower: bind('void fake_nvml_set_power(int i, unsigned int mw)'),
      setLimit: bind('void fake_nvml_set_limit(int i, unsigned int mw)'),
      setUtilisation: bind('void fake_nvml_set_utilization(int i, unsigned int percent)'),
      addMig: bind('void fake_nvml_add_mig(int i, const char *uuid)'),
      fail: bind('int fake_nvml_fail(int i, const char *call, int code)'),
    };
  }

  reset(): void {
    this.fn.reset?.();
  }

  failInit(code: number): void {
    this.fn.failInit?.(code);
  }

  initCalls(): number {
    return this.call('initCalls');
  }

  addGpu(name: string, uuid: string): number {
    return this.call('addGpu', name, uuid);
  }

  setEnergyMj(gpu: number, mj: number): void {
    this.call('setEnergy', gpu, mj);
  }

  addEnergyMj(gpu: number, mj: number): void {
    this.call('addEnergy', gpu, mj);
  }

  setPowerMw(gpu: number, mw: number): void {
    this.call('setPower', gpu, mw);
  }

  setLimitMw(gpu: number, mw: number): void {
    this.call('setLimit', gpu, mw);
  }

  setUtilisation(gpu: number, percent: number): void {
    this.call('setUtilisation', gpu, percent);
  }

  addMig(gpu: number, uuid: string): void {
    this.call('addMig', gpu, uuid);
  }

  /** `call`: name, uuid, energy, power, limit, utilization, memory, mig, handle; 0 clears. */
  fail(gpu: number, call: string, code: number): void {
    if (this.call('fail', gpu, call, code) !== 0) throw new Error(`fake NVML has no call ${call}`);
  }

  private call(name: string, ...args: unknown[]): number {
    return (this.fn[name] as Fn)(...args);
  }
}

/** Scripts the fake AMD SMI: GPUs, energy accumulators, power caps (µW) and per-call errors. */
export class FakeAmdSmi {
  readonly path = compileFake('fake-amdsmi');
  private readonly fn: Record<string, Fn>;

  constructor() {
    const library = loadKoffi().load(this.path);
    const bind = (declaration: string) => library.func(declaration) as Fn;
    this.fn = {
      reset: bind('void fake_amd_reset(void)'),
      failInit: bind('void fake_amd_fail_init(int code)'),
      forgetInit: bind('void fake_amd_forget_init(void)'),
      addGpu: bind('int fake_amd_add_gpu(const char *name, const char *uuid, uint64_t bdfid)'),
      setEnergy: bind('void fake_amd_set_energy(int i, uint64_t accumulator, float resolution)'),
      setCap: bind('void fake_amd_set_cap(int i, uint64_t microwatts)'),
      setActivity: bind('void fake_amd_set_activity(int i, uint32_t percent)'),
      setVram: bind('void fake_amd_set_vram(int i, uint32_t total_mb, uint32_t used_mb)'),
      fail: bind('int fake_amd_fail(int i, const char *call, int code)'),
    };
  }

  reset(): void {
    this.call('reset');
  }

  failInit(code: number): void {
    this.call('failInit', code);
  }

  forgetInit(): void {
    this.call('forgetInit');
  }

  addGpu(name: string, uuid: string, bdfId = 0n): number {
    return this.call('addGpu', name, uuid, bdfId);
  }

  /** Energy = accumulator × resolution µJ. */
  setEnergy(gpu: number, accumulator: number, resolutionUj: number): void {
    this.call('setEnergy', gpu, accumulator, resolutionUj);
  }

  setCapUw(gpu: number, microwatts: number): void {
    this.call('setCap', gpu, microwatts);
  }

  setActivity(gpu: number, percent: number): void {
    this.call('setActivity', gpu, percent);
  }

  setVramMb(gpu: number, totalMb: number, usedMb: number): void {
    this.call('setVram', gpu, totalMb, usedMb);
  }

  /** `call`: name, uuid, energy, cap, activity, vram, bdf; 0 clears. */
  fail(gpu: number, call: string, code: number): void {
    if (this.call('fail', gpu, call, code) !== 0)
      throw new Error(`fake AMD SMI has no call ${call}`);
  }

  private call(name: string, ...args: unknown[]): number {
    return (this.fn[name] as Fn)(...args);
  }
}

/** Every message the selection logs, by level. */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string }[] = [];
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  at(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

export type GpuTestConfig = SensorConfig & GpuLibraryPaths & { recorded: RecordingLogger };

/**
 * A sensor configuration for GPU tests: a root without driver hints, no CUDA variables. Only
 * the fields the GPU selection reads are meaningful.
 */
export function gpuConfig(overrides: Partial<GpuTestConfig>): GpuTestConfig {
  const recorded = new RecordingLogger();
  const config = {
    trackingMode: 'machine',
    gpuIds: undefined,
    env: {},
    logger: new OnceLogger(recorded),
    rootPid: process.pid,
    root: '/nonexistent-root',
    recorded,
    ...overrides,
  };
  return config as unknown as GpuTestConfig;
}
