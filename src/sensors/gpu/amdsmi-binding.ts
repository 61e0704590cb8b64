import type { LibraryHandle } from 'koffi';
import { optional } from './nvml-binding.js';

/**
 * The AMD SMI entry points codecarbon uses, declared through koffi. AMD SMI's structs have
 * changed layout between ROCm releases, so only fields that have kept their place (the first
 * ones) are read, from zeroed buffers larger than any version of the struct. Every method
 * returns AMD SMI's status; a call answered "not initialised" is retried once after
 * initialising again, as the driver can forget its state (a reset, a reload).
 */

export const AMDSMI_SUCCESS = 0;
export const AMDSMI_NOT_INIT = 32;
const AMDSMI_FUNCTION_MISSING = 2; // reported as "not supported"
/** AMDSMI_INIT_AMD_GPUS: GPUs only, no CPU sockets. */
const INIT_AMD_GPUS = 2;
const STRUCT_BYTES = 4096;
const UUID_BYTES = 64;

export class AmdSmiBinding {
  private readonly u32 = new Uint32Array(1);
  private readonly u64 = new BigUint64Array(2);
  private readonly f32 = new Float32Array(1);
  private readonly struct = Buffer.alloc(STRUCT_BYTES);
  private readonly fn: Record<string, ((...args: unknown[]) => number) | undefined>;
  private readonly statusText: ((status: number, out: unknown[]) => number) | undefined;

  constructor(library: LibraryHandle) {
    const bind = (declaration: string) => optional(library, declaration);
    this.fn = {
      init: bind('int amdsmi_init(uint64_t flags)'),
      sockets: bind('int amdsmi_get_socket_handles(void *count, void *sockets)'),
      processors: bind('int amdsmi_get_processor_handles(void *socket, void *count, void *out)'),
      asic: bind('int amdsmi_get_gpu_asic_info(void *processor, void *info)'),
      uuid: bind('int amdsmi_get_gpu_device_uuid(void *processor, void *length, void *uuid)'),
      energy: bind(
        'int amdsmi_get_energy_count(void *processor, void *counter, void *resolution, void *time)',
      ),
      cap: bind('int amdsmi_get_power_cap_info(void *processor, uint32_t sensor, void *info)'),
      activity: bind('int amdsmi_get_gpu_activity(void *processor, void *info)'),
      vram: bind('int amdsmi_get_gpu_vram_usage(void *processor, void *info)'),
      bdf: bind('int amdsmi_get_gpu_bdf_id(void *processor, void *bdfid)'),
    };
    this.statusText = optional(
      library,
      'int amdsmi_status_code_to_string(int status, _Out_ const char **text)',
    );
  }

  init(): number {
    const init = this.fn.init;
    return init === undefined ? AMDSMI_FUNCTION_MISSING : init(INIT_AMD_GPUS);
  }

  errorString(status: number): string {
    try {
      const out: unknown[] = [null];
      this.statusText?.(status, out);
      return `${typeof out[0] === 'string' ? out[0] : 'error'} (AMD SMI status ${status})`;
    } catch {
      return `AMD SMI status ${status}`;
    }
  }

  /** Every GPU handle, socket by socket. */
  processors(): { status: number; value: bigint[] } {
    const socketCount = new Uint32Array(1);
    let status = this.call('sockets', socketCount, null);
    if (status !== AMDSMI_SUCCESS) return { status, value: [] };
    const sockets = new BigUint64Array(socketCount[0] as number);
    status = this.call('sockets', socketCount, sockets);
    if (status !== AMDSMI_SUCCESS) return { status, value: [] };

    const handles: bigint[] = [];
    for (const socket of sockets.subarray(0, socketCount[0])) {
      const count = new Uint32Array(1);
      status = this.call('processors', socket, count, null);
      if (status !== AMDSMI_SUCCESS) return { status, value: [] };
      const out = new BigUint64Array(count[0] as number);
      status = this.call('processors', socket, count, out);
      if (status !== AMDSMI_SUCCESS) return { status, value: [] };
      handles.push(...out.subarray(0, count[0]));
    }
    return { status: AMDSMI_SUCCESS, value: handles };
  }

  /** `amdsmi_asic_info_t.market_name`, the struct's first field in every version. */
  name(processor: bigint): { status: number; value: string } {
    const status = this.callWithStruct('asic', processor);
    return { status, value: cString(this.struct, 0, 256) };
  }

  uuid(processor: bigint): { status: number; value: string } {
    const buffer = Buffer.alloc(UUID_BYTES);
    this.u32[0] = UUID_BYTES;
    const status = this.call('uuid', processor, this.u32, buffer);
    return { status, value: cString(buffer, 0, UUID_BYTES) };
  }

  /** The energy accumulator times its resolution (µJ per count), in mJ. */
  energyMj(processor: bigint): { status: number; value: number } {
    this.u64[0] = 0n;
    this.f32[0] = 0;
    const status = this.call('energy', processor, this.u64, this.f32, this.u64.subarray(1));
    return { status, value: (Number(this.u64[0]) * (this.f32[0] as number)) / 1000 };
  }

  /** `amdsmi_power_cap_info_t.power_cap` (first field), µW. */
  powerCapUw(processor: bigint): { status: number; value: number } {
    this.struct.fill(0, 0, 64);
    const status = this.call('cap', processor, 0, this.struct);
    return { status, value: Number(this.struct.readBigUInt64LE(0)) };
  }

  /** `amdsmi_engine_usage_t.gfx_activity` (first field), %. */
  gfxActivityPercent(processor: bigint): { status: number; value: number } {
    const status = this.callWithStruct('activity', processor);
    return { status, value: this.struct.readUInt32LE(0) };
  }

  /** `amdsmi_vram_usage_t.vram_total` (first field), MB. */
  vramTotalMb(processor: bigint): { status: number; value: number } {
    const status = this.callWithStruct('vram', processor);
    return { status, value: this.struct.readUInt32LE(0) };
  }

  /** PCI address packed as domain << 32 | bus << 8 | device << 3 | function. */
  bdfId(processor: bigint): { status: number; value: bigint } {
    this.u64[0] = 0n;
    const status = this.call('bdf', processor, this.u64);
    return { status, value: this.u64[0] as bigint };
  }

  private callWithStruct(name: string, processor: bigint): number {
    this.struct.fill(0, 0, 1024);
    return this.call(name, processor, this.struct);
  }

  private call(name: string, ...args: unknown[]): number {
    const fn = this.fn[name];
    if (fn === undefined) return AMDSMI_FUNCTION_MISSING;
    const status = fn(...args);
    if (status !== AMDSMI_NOT_INIT || this.init() !== AMDSMI_SUCCESS) return status;
    return fn(...args);
  }
}

function cString(buffer: Buffer, start: number, maxBytes: number): string {
  const end = buffer.indexOf(0, start);
  const stop = end < 0 || end > start + maxBytes ? start + maxBytes : end;
  return buffer.toString('utf8', start, stop).trim();
}
