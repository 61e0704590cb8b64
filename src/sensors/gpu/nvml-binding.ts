import type { LibraryHandle } from 'koffi';

/**
 * The few NVML entry points codecarbon uses, declared through koffi. Handles are pointers
 * (BigInt in koffi 3); outputs go through small typed arrays allocated once, which keeps a
 * call near a tenth of a microsecond. Every method returns NVML's status code.
 */

export const NVML_SUCCESS = 0;
export const NVML_ERROR_NOT_SUPPORTED = 3;
/** NVML's own code for an entry point an old driver does not export. */
export const NVML_ERROR_FUNCTION_NOT_FOUND = 13;

const NAME_BUFFER_BYTES = 96;

export class NvmlBinding {
  private readonly u32 = new Uint32Array(2);
  private readonly u64 = new BigUint64Array(3);
  private readonly text = Buffer.alloc(NAME_BUFFER_BYTES);
  private readonly fn: Record<string, ((...args: unknown[]) => number) | undefined>;
  private readonly errorText: ((code: number) => string) | undefined;

  constructor(library: LibraryHandle) {
    const bind = (declaration: string) => optional(library, declaration);
    this.fn = {
      init: bind('int nvmlInit_v2(void)'),
      count: bind('int nvmlDeviceGetCount_v2(void *count)'),
      handle: bind('int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void *device)'),
      name: bind('int nvmlDeviceGetName(void *device, void *name, unsigned int length)'),
      uuid: bind('int nvmlDeviceGetUUID(void *device, void *uuid, unsigned int length)'),
      energy: bind('int nvmlDeviceGetTotalEnergyConsumption(void *device, void *energy)'),
      power: bind('int nvmlDeviceGetPowerUsage(void *device, void *power)'),
      limit: bind('int nvmlDeviceGetEnforcedPowerLimit(void *device, void *limit)'),
      utilisation: bind('int nvmlDeviceGetUtilizationRates(void *device, void *rates)'),
      memory: bind('int nvmlDeviceGetMemoryInfo(void *device, void *memory)'),
      migMode: bind('int nvmlDeviceGetMigMode(void *device, void *current, void *pending)'),
      migMax: bind('int nvmlDeviceGetMaxMigDeviceCount(void *device, void *count)'),
      migHandle: bind(
        'int nvmlDeviceGetMigDeviceHandleByIndex(void *device, unsigned int index, void *mig)',
      ),
    };
    const errorString = optional(library, 'const char *nvmlErrorString(int result)');
    this.errorText = errorString && ((code) => String(errorString(code)));
  }

  init(): number {
    return this.call('init');
  }

  errorString(code: number): string {
    try {
      return `${this.errorText?.(code) ?? 'error'} (NVML code ${code})`;
    } catch {
      return `NVML code ${code}`;
    }
  }

  count(): { status: number; value: number } {
    return this.readU32((out) => this.call('count', out));
  }

  handle(index: number): { status: number; value: bigint } {
    const status = this.call('handle', index, this.u64);
    return { status, value: this.u64[0] as bigint };
  }

  name(device: bigint): { status: number; value: string } {
    return this.readText((buffer) => this.call('name', device, buffer, buffer.length));
  }

  uuid(device: bigint): { status: number; value: string } {
    return this.readText((buffer) => this.call('uuid', device, buffer, buffer.length));
  }

  /** Total energy since the driver loaded, mJ. */
  energyMj(device: bigint): { status: number; value: number } {
    const status = this.call('energy', device, this.u64);
    return { status, value: Number(this.u64[0]) };
  }

  powerMw(device: bigint): { status: number; value: number } {
    return this.readU32((out) => this.call('power', device, out));
  }

  limitMw(device: bigint): { status: number; value: number } {
    return this.readU32((out) => this.call('limit', device, out));
  }

  /** `nvmlUtilization_t`: { gpu, memory } percentages; returns the GPU one. */
  utilisationPercent(device: bigint): { status: number; value: number } {
    const status = this.call('utilisation', device, this.u32);
    return { status, value: this.u32[0] as number };
  }

  /** `nvmlMemory_t`: { total, free, used } bytes; returns the total. */
  memoryTotalBytes(device: bigint): { status: number; value: number } {
    const status = this.call('memory', device, this.u64);
    return { status, value: Number(this.u64[0]) };
  }

  migEnabled(device: bigint): { status: number; value: boolean } {
    const pending = new Uint32Array(1);
    const status = this.call('migMode', device, this.u32, pending);
    return { status, value: this.u32[0] === 1 };
  }

  migMaxCount(device: bigint): { status: number; value: number } {
    return this.readU32((out) => this.call('migMax', device, out));
  }

  migHandle(device: bigint, index: number): { status: number; value: bigint } {
    const status = this.call('migHandle', device, index, this.u64);
    return { status, value: this.u64[0] as bigint };
  }

  private readU32(run: (out: Uint32Array) => number): { status: number; value: number } {
    this.u32[0] = 0;
    const status = run(this.u32);
    return { status, value: this.u32[0] as number };
  }

  private readText(run: (buffer: Buffer) => number): { status: number; value: string } {
    this.text.fill(0);
    const status = run(this.text);
    const end = this.text.indexOf(0);
    return { status, value: this.text.toString('utf8', 0, end < 0 ? this.text.length : end) };
  }

  private call(name: string, ...args: unknown[]): number {
    const fn = this.fn[name];
    if (fn === undefined) return NVML_ERROR_FUNCTION_NOT_FOUND;
    this.u64[0] = 0n;
    return fn(...args);
  }
}

/** Binds an entry point, or undefined when this driver's library does not export it. */
export function optional(
  library: LibraryHandle,
  declaration: string,
): ((...args: unknown[]) => number) | undefined {
  try {
    return library.func(declaration) as (...args: unknown[]) => number;
  } catch {
    return undefined;
  }
}
