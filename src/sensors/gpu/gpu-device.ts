/**
 * One GPU as the vendor libraries show it, whatever the vendor. Every reader is guarded on
 * its own: a call the driver does not support, or one that fails this time, returns
 * `undefined` and never throws, so one missing field never hides the others.
 */

export type GpuVendor = 'nvidia' | 'amd';

export interface GpuDevice {
  readonly vendor: GpuVendor;
  /** Prefix of the sensor methods: `nvml` or `amdsmi`. */
  readonly library: 'nvml' | 'amdsmi';
  /** Position in the vendor library's own enumeration (the NVML index, AMD SMI's order). */
  readonly vendorIndex: number;
  readonly name: string;
  /** `GPU-8932f937-…` for NVIDIA; AMD SMI's UUID for AMD. */
  readonly uuid: string | undefined;
  /** Enforced power limit (NVIDIA) or power cap (AMD), W. */
  readonly powerLimitW: number | undefined;
  readonly memoryTotalBytes: number | undefined;
  /**
   * AMD dual-die packages (MI250-class): the second die's counter stays at 0 because the
   * first die's counter covers both. Undefined elsewhere.
   */
  readonly dualDie?: boolean;
  /** The driver's cumulative energy counter, mJ. */
  energyMj(): number | undefined;
  /** Power draw now (NVIDIA) or averaged by the driver over about a second (AMD), W. */
  powerW(): number | undefined;
  /** Busy percentage of the compute engine, 0–100. */
  utilisationPercent(): number | undefined;
  /** UUIDs of the MIG slices carved out of this GPU (NVIDIA, MIG mode on); read on first use. */
  migUuids(): readonly string[];
}
