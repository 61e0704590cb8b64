import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnceLogger } from '../../log/logger.js';
import { AMDSMI_SUCCESS, AmdSmiBinding } from './amdsmi-binding.js';
import type { GpuDevice } from './gpu-device.js';
import { anyExists, messageOf, openFirst } from './load-library.js';

/** Where to look for AMD SMI and what the scan may log. */
export interface AmdSmiScanOptions {
  /** A library path given by the user; searched alone when set. */
  libraryPath: string | undefined;
  /** Filesystem root for the driver hint (`/dev/kfd`) and the hwmon power files. */
  root: string;
  env: Record<string, string | undefined>;
  logger: OnceLogger;
}

const bindings = new Map<string, AmdSmiBinding>();
const MEBIBYTE = 1024 * 1024;

/**
 * The AMD GPUs AMD SMI sees, in its enumeration order. No library is silent (debug); a
 * library that does not initialise is one warning. Nothing throws.
 */
export function scanAmd(options: AmdSmiScanOptions): GpuDevice[] {
  const { logger } = options;
  const candidates = amdSmiCandidates(options);
  if (candidates.length === 0) return [];

  const opened = openFirst(candidates);
  if (!opened.ok) {
    const message = `AMD SMI not loaded, no AMD GPU measured: ${opened.problems.join('; ')}`;
    if (options.libraryPath === undefined) logger.debug(message);
    else logger.once('gpu:amdsmi-load', 'warn', message);
    return [];
  }

  try {
    let api = bindings.get(opened.path);
    if (!api) {
      api = new AmdSmiBinding(opened.library);
      bindings.set(opened.path, api);
    }
    return enumerate(api, opened.path, options);
  } catch (error) {
    logger.once(
      'gpu:amdsmi-failed',
      'warn',
      `AMD SMI (${opened.path}) failed: ${messageOf(error)}. AMD GPUs are not measured.`,
    );
    return [];
  }
}

function enumerate(api: AmdSmiBinding, path: string, options: AmdSmiScanOptions): GpuDevice[] {
  const { logger } = options;
  const init = api.init();
  if (init !== AMDSMI_SUCCESS) {
    logger.once(
      'gpu:amdsmi-init',
      'warn',
      `AMD SMI (${path}) did not initialise: ${api.errorString(init)}. AMD GPUs are not measured; check the amdgpu driver (amd-smi list).`,
    );
    return [];
  }

  const processors = api.processors();
  if (processors.status !== AMDSMI_SUCCESS) {
    logger.once(
      'gpu:amdsmi-list',
      'warn',
      `AMD SMI could not list the GPUs: ${api.errorString(processors.status)}. AMD GPUs are not measured.`,
    );
    return [];
  }
  return processors.value.map(
    (handle, index) => new AmdSmiDevice(api, handle, index, options.root),
  );
}

/** One AMD GPU; each field read is its own guarded call. */
class AmdSmiDevice implements GpuDevice {
  readonly vendor = 'amd';
  readonly library = 'amdsmi';
  readonly name: string;
  readonly uuid: string | undefined;
  readonly powerLimitW: number | undefined;
  readonly memoryTotalBytes: number | undefined;
  readonly dualDie: boolean;
  private readonly hwmon: HwmonPower | undefined;

  constructor(
    private readonly api: AmdSmiBinding,
    private readonly handle: bigint,
    readonly vendorIndex: number,
    root: string,
  ) {
    this.name = this.value(() => api.name(handle)) || 'Unknown GPU';
    this.uuid = this.value(() => api.uuid(handle)) || undefined;
    const bdf = this.value(() => api.bdfId(handle));
    this.hwmon = bdf === undefined ? undefined : new HwmonPower(root, pciAddress(bdf));
    const capUw = this.value(() => api.powerCapUw(handle));
    this.powerLimitW = capUw ? Math.floor(capUw / 1e6) || undefined : this.hwmon?.capW();
    const vramMb = this.value(() => api.vramTotalMb(handle));
    this.memoryTotalBytes = vramMb ? vramMb * MEBIBYTE : undefined;
    // MI250-class packages show two GPUs whose second counter stays at 0 (MI210 is one die).
    this.dualDie = /\bMI[23]\d/i.test(this.name) && !/\bMI210\b/i.test(this.name);
  }

  energyMj(): number | undefined {
    return this.value(() => this.api.energyMj(this.handle));
  }

  /** hwmon's `power1_average`: what AMD SMI reports as average socket power, read directly. */
  powerW(): number | undefined {
    return this.hwmon?.averageW();
  }

  utilisationPercent(): number | undefined {
    return this.value(() => this.api.gfxActivityPercent(this.handle));
  }

  migUuids(): readonly string[] {
    return [];
  }

  private value<T>(read: () => { status: number; value: T }): T | undefined {
    try {
      const result = read();
      return result.status === AMDSMI_SUCCESS ? result.value : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * The amdgpu hwmon files of one PCI device. AMD SMI's power struct moved its fields between
 * ROCm releases; the kernel's hwmon files (µW) have not, so the power fallback reads them.
 */
class HwmonPower {
  private file: string | undefined | null = null;

  constructor(
    private readonly root: string,
    private readonly address: string,
  ) {}

  averageW(): number | undefined {
    if (this.file === null) this.file = this.find(['power1_average', 'power1_input']);
    return this.file === undefined ? undefined : readMicrowattsAsW(this.file);
  }

  capW(): number | undefined {
    const file = this.find(['power1_cap']);
    return file === undefined ? undefined : readMicrowattsAsW(file);
  }

  private find(names: readonly string[]): string | undefined {
    const base = join(this.root, 'sys/bus/pci/devices', this.address, 'hwmon');
    try {
      for (const hwmon of readdirSync(base)) {
        for (const name of names) {
          const file = join(base, hwmon, name);
          if (anyExists([file])) return file;
        }
      }
    } catch {
      // No hwmon directory: this device has no power file.
    }
    return undefined;
  }
}

function readMicrowattsAsW(file: string): number | undefined {
  try {
    const microwatts = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(microwatts) && microwatts >= 0 ? microwatts / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/** AMD SMI's packed BDF id → `0000:c1:00.0`. Bits 28–31 carry a partition id, not the bus. */
export function pciAddress(bdfId: bigint): string {
  const domain = Number((bdfId >> 32n) & 0xffffffffn);
  const bus = Number((bdfId >> 8n) & 0xffn);
  const device = Number((bdfId >> 3n) & 0x1fn);
  const fn = Number(bdfId & 0x7n);
  const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');
  return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(device, 2)}.${fn}`;
}

function amdSmiCandidates(options: AmdSmiScanOptions): string[] {
  if (options.libraryPath !== undefined) return [options.libraryPath];
  if (process.platform !== 'linux') return [];
  const driver = ['dev/kfd', 'sys/module/amdgpu'].map((path) => join(options.root, path));
  if (!anyExists(driver)) return [];
  const rocm = options.env.ROCM_PATH;
  return [
    'libamd_smi.so',
    ...(rocm ? [join(rocm, 'lib/libamd_smi.so')] : []),
    '/opt/rocm/lib/libamd_smi.so',
  ];
}
