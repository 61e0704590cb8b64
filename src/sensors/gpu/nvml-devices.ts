import { join } from 'node:path';
import type { OnceLogger } from '../../log/logger.js';
import type { GpuDevice } from './gpu-device.js';
import { anyExists, messageOf, openFirst } from './load-library.js';
import { NVML_SUCCESS, NvmlBinding } from './nvml-binding.js';

/** Where to look for NVML and what the scan may log. */
export interface NvmlScanOptions {
  /** A library path given by the user; searched alone when set. */
  libraryPath: string | undefined;
  /** Filesystem root for the driver-presence hint (`/proc/driver/nvidia`). */
  root: string;
  /** Environment (Windows: where Program Files is). */
  env: Record<string, string | undefined>;
  logger: OnceLogger;
}

const bindings = new Map<string, NvmlBinding>();

/**
 * The NVIDIA GPUs NVML sees, in NVML index order (which ignores CUDA_VISIBLE_DEVICES). No
 * library is silent (debug); a library that does not initialise is one warning. Either way
 * the result is "no NVIDIA GPU" and nothing throws.
 */
export function scanNvidia(options: NvmlScanOptions): GpuDevice[] {
  const { logger } = options;
  const candidates = nvmlCandidates(options);
  if (candidates.length === 0) return [];

  const opened = openFirst(candidates);
  if (!opened.ok) {
    const say = options.libraryPath === undefined ? logger.debug.bind(logger) : warnOnce(logger);
    say(`NVML not loaded, no NVIDIA GPU measured: ${opened.problems.join('; ')}`);
    return [];
  }

  try {
    let api = bindings.get(opened.path);
    if (!api) {
      api = new NvmlBinding(opened.library);
      bindings.set(opened.path, api);
    }
    return enumerate(api, opened.path, logger);
  } catch (error) {
    logger.once(
      'gpu:nvml-failed',
      'warn',
      `NVML (${opened.path}) failed: ${messageOf(error)}. NVIDIA GPUs are not measured.`,
    );
    return [];
  }
}

function enumerate(api: NvmlBinding, path: string, logger: OnceLogger): GpuDevice[] {
  const init = api.init();
  if (init !== NVML_SUCCESS) {
    logger.once(
      'gpu:nvml-init',
      'warn',
      `NVML (${path}) did not initialise: ${api.errorString(init)}. NVIDIA GPUs are not measured; check that the driver works (nvidia-smi).`,
    );
    return [];
  }

  const count = api.count();
  if (count.status !== NVML_SUCCESS) {
    logger.once(
      'gpu:nvml-count',
      'warn',
      `NVML could not count the GPUs: ${api.errorString(count.status)}. NVIDIA GPUs are not measured.`,
    );
    return [];
  }

  const devices: GpuDevice[] = [];
  for (let index = 0; index < count.value; index++) {
    const handle = api.handle(index);
    if (handle.status !== NVML_SUCCESS) {
      logger.once(
        `gpu:nvml-handle:${index}`,
        'warn',
        `NVML GPU ${index} is not reachable: ${api.errorString(handle.status)}. It is not measured.`,
      );
      continue;
    }
    devices.push(new NvmlDevice(api, handle.value, index));
  }
  return devices;
}

/** One NVML device; each field read is its own guarded call. */
class NvmlDevice implements GpuDevice {
  readonly vendor = 'nvidia';
  readonly library = 'nvml';
  readonly name: string;
  readonly uuid: string | undefined;
  readonly powerLimitW: number | undefined;
  readonly memoryTotalBytes: number | undefined;
  private migs: string[] | undefined;

  constructor(
    private readonly api: NvmlBinding,
    private readonly handle: bigint,
    readonly vendorIndex: number,
  ) {
    this.name = this.value(() => api.name(handle)) ?? 'Unknown GPU';
    this.uuid = this.value(() => api.uuid(handle)) || undefined;
    const limitMw = this.value(() => api.limitMw(handle));
    this.powerLimitW = limitMw === undefined || limitMw === 0 ? undefined : limitMw / 1000;
    this.memoryTotalBytes = this.value(() => api.memoryTotalBytes(handle));
  }

  energyMj(): number | undefined {
    return this.value(() => this.api.energyMj(this.handle));
  }

  powerW(): number | undefined {
    const milliwatts = this.value(() => this.api.powerMw(this.handle));
    return milliwatts === undefined ? undefined : milliwatts / 1000;
  }

  utilisationPercent(): number | undefined {
    return this.value(() => this.api.utilisationPercent(this.handle));
  }

  migUuids(): readonly string[] {
    this.migs ??= this.readMigUuids();
    return this.migs;
  }

  private readMigUuids(): string[] {
    const enabled = this.value(() => this.api.migEnabled(this.handle));
    if (enabled !== true) return [];
    const max = this.value(() => this.api.migMaxCount(this.handle)) ?? 0;
    const uuids: string[] = [];
    for (let slot = 0; slot < max; slot++) {
      const mig = this.value(() => this.api.migHandle(this.handle, slot));
      if (mig === undefined) continue; // an empty slot answers "not found"
      const uuid = this.value(() => this.api.uuid(mig));
      if (uuid) uuids.push(uuid);
    }
    return uuids;
  }

  private value<T>(read: () => { status: number; value: T }): T | undefined {
    try {
      const result = read();
      return result.status === NVML_SUCCESS ? result.value : undefined;
    } catch {
      return undefined;
    }
  }
}

function nvmlCandidates(options: NvmlScanOptions): string[] {
  if (options.libraryPath !== undefined) return [options.libraryPath];
  if (process.platform === 'win32') {
    const programFiles = options.env.ProgramW6432 ?? 'C:\\Program Files';
    return ['nvml.dll', join(programFiles, 'NVIDIA Corporation', 'NVSMI', 'nvml.dll')];
  }
  if (process.platform !== 'linux') return [];
  // Without a driver there is nothing to load: skip loading the FFI module at all.
  const root = options.root;
  const driver = ['proc/driver/nvidia/version', 'dev/nvidiactl', 'dev/dxg'];
  if (!anyExists(driver.map((path) => join(root, path)))) return [];
  return ['libnvidia-ml.so.1', '/usr/lib/wsl/lib/libnvidia-ml.so.1'];
}

function warnOnce(logger: OnceLogger): (message: string) => void {
  return (message) => logger.once('gpu:nvml-load', 'warn', message);
}
