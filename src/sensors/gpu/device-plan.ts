import type { GpuDevice } from './gpu-device.js';
import type { GpuEnergySource } from './gpu-device-sensor.js';

/** How one GPU would be measured, decided once from a first reading of each field. */
export interface DevicePlan {
  device: GpuDevice;
  /** Combined index: NVIDIA GPUs first, then AMD ones. */
  index: number;
  /** Undefined: neither an energy counter nor power readings (not measurable). */
  source: GpuEnergySource | undefined;
  /** `nvml-energy`, `nvml-power`, `amdsmi-energy`, `amdsmi-power`, or `none`. */
  method: string;
}

export function planDevice(device: GpuDevice, index: number): DevicePlan {
  const source = probeSource(device);
  const kind = source === 'power' ? 'power' : 'energy';
  return {
    device,
    index,
    source,
    method: source === undefined ? 'none' : `${device.library}-${kind}`,
  };
}

function probeSource(device: GpuDevice): GpuEnergySource | undefined {
  const energyMj = finite(() => device.energyMj());
  // AMD: a counter stuck at 0 is either a second die (its package's energy is read on the
  // first die) or a counter this GPU does not maintain.
  if (energyMj !== undefined && !(device.vendor === 'amd' && energyMj === 0)) return 'energy';
  if (energyMj === 0 && device.dualDie === true) return 'counted-by-sibling';
  return finite(() => device.powerW()) === undefined ? undefined : 'power';
}

/** One line for the sensor and for `codecarbon detect`. */
export function describePlan(
  plan: DevicePlan,
  notes: { viaMig: boolean; siblingIndex?: number },
): string {
  const { device, index, source } = plan;
  const uuid = device.uuid === undefined ? '' : ` (${device.uuid})`;
  const limit = device.powerLimitW === undefined ? '' : `, power limit ${device.powerLimitW} W`;
  const library = device.library === 'nvml' ? 'NVML' : 'AMD SMI';
  const how =
    source === 'energy'
      ? `${library} energy counter`
      : source === 'power'
        ? `${device.library === 'nvml' ? 'NVML power' : 'hwmon average power'} integrated over time (no energy counter)`
        : source === 'counted-by-sibling'
          ? `second die of a dual-die package: its energy is in GPU ${notes.siblingIndex ?? index - 1}'s counter`
          : 'neither an energy counter nor power readings: not measurable';
  const mig = notes.viaMig
    ? '; chosen through a MIG slice: the whole GPU is measured, its energy is shared with the other slices'
    : '';
  return `GPU ${index}: ${device.name}${uuid}, ${how}${limit}${mig}`;
}

function finite(read: () => number | undefined): number | undefined {
  try {
    const value = read();
    return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
