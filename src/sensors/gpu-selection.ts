import { ConstantPowerSensor } from './constant-power-sensor.js';
import { FallbackSensor } from './fallback-sensor.js';
import { scanAmd } from './gpu/amdsmi-devices.js';
import { type DevicePlan, describePlan, planDevice } from './gpu/device-plan.js';
import type { GpuDevice, GpuVendor } from './gpu/gpu-device.js';
import { GpuDeviceSensor } from './gpu/gpu-device-sensor.js';
import {
  type GpuIdRequest,
  type GpuIdResolution,
  type GpuIdSource,
  requestedGpuIds,
  resolveGpuIds,
} from './gpu/gpu-ids.js';
import { combinedMethod, gpuModel, indexList } from './gpu/gpu-summary.js';
import { messageOf } from './gpu/load-library.js';
import { scanNvidia } from './gpu/nvml-devices.js';
import type { SensorConfig } from './select-sensors.js';
import type { EnergySensor } from './sensor.js';

/** The GPUs a run tracks and how. */
export interface GpuSelection {
  /** One sensor per tracked, measurable GPU, component `gpu`. */
  sensors: EnergySensor[];
  /** `nvml-energy`, `amdsmi-power`… (`+`-joined when GPUs differ); `none` without GPU. */
  method: string;
  /** Tracked GPUs. */
  count: number;
  /** `2 x NVIDIA H200`, groups separated by `, `; empty without GPU. */
  model: string;
  /** Every GPU found, tracked or not, for `codecarbon detect`. */
  devices: GpuReport[];
  /** Where the list of GPUs came from; undefined: every GPU. */
  source: GpuIdSource | undefined;
}

/** One GPU as `codecarbon detect` lists it. */
export interface GpuReport {
  /** Combined index: NVIDIA GPUs in NVML order, then AMD GPUs in AMD SMI order. */
  index: number;
  vendor: GpuVendor;
  name: string;
  uuid: string | null;
  powerLimitW: number | null;
  memoryTotalBytes: number | null;
  tracked: boolean;
  /** The method used, or that would be used if tracked; `none`: not measurable. */
  method: string;
  description: string;
}

/** Library paths given by the user (`nvml_library`, `amdsmi_library`). */
export interface GpuLibraryPaths {
  nvmlLibrary?: string | undefined;
  amdsmiLibrary?: string | undefined;
}

function noGpu(): GpuSelection {
  return { sensors: [], method: 'none', count: 0, model: '', devices: [], source: undefined };
}

/**
 * Finds the NVIDIA (NVML) and AMD (AMD SMI) GPUs, keeps those the job was given and builds a
 * sensor for each one that can be measured. Never throws: a GPU problem is logged and the
 * run goes on with the other GPUs, the CPU and the RAM.
 */
export function selectGpus(config: SensorConfig & GpuLibraryPaths): GpuSelection {
  try {
    return select(config);
  } catch (error) {
    config.logger.once('gpu:select', 'warn', `GPUs are not measured: ${messageOf(error)}`);
    return noGpu();
  }
}

function select(config: SensorConfig & GpuLibraryPaths): GpuSelection {
  const { logger, env, root } = config;
  const devices = [
    ...scanNvidia({ libraryPath: libraryPath(config, 'NVML'), root, env, logger }),
    ...scanAmd({ libraryPath: libraryPath(config, 'AMDSMI'), root, env, logger }),
  ];
  const request = requestedGpuIds(config.gpuIds, env);
  if (devices.length === 0) {
    logger.debug(`No GPU found${request ? `; ${request.source} is not used` : ''}.`);
    return noGpu();
  }

  const chosen = chooseDevices(request, devices, config);
  const plans = devices.map((device, index) => planDevice(device, index));
  const tracked = plans.filter((plan) => chosen.indices.includes(plan.index));
  warnAboutDies(plans, chosen.indices, config);

  const sensors: EnergySensor[] = [];
  for (const plan of tracked) {
    if (plan.source === undefined) {
      logger.once(
        `gpu:${plan.index}:not-measurable`,
        'warn',
        `GPU ${plan.index} (${plan.device.name}) has neither an energy counter nor power readings: its energy is not counted.`,
      );
      continue;
    }
    const device = new GpuDeviceSensor({
      device: plan.device,
      index: plan.index,
      source: plan.source,
      method: plan.method,
      description: describe(plan, chosen),
      warnOnce: (key, message) => logger.once(key, 'warn', message),
    });
    sensors.push(withoutStaleReadings(device, plan, logger));
  }

  const measured = tracked.filter((plan) => plan.source !== undefined);
  const selection: GpuSelection = {
    sensors,
    method: combinedMethod(measured.map((plan) => plan.method)),
    count: measured.length,
    model: gpuModel(measured.map((plan) => plan.device.name)),
    devices: plans.map((plan) => report(plan, chosen)),
    source: request?.source,
  };
  logSummary(selection, chosen, request, config);
  return selection;
}

/**
 * A GPU whose readings keep failing (it fell off the bus, the driver was unloaded) stops
 * contributing rather than having its last known power extrapolated for the rest of the run.
 */
function withoutStaleReadings(
  device: GpuDeviceSensor,
  plan: DevicePlan,
  logger: SensorConfig['logger'],
): EnergySensor {
  const name = `GPU ${plan.index}: ${plan.device.name}`;
  const tool = plan.device.library === 'nvml' ? 'nvidia-smi' : 'amd-smi';
  return new FallbackSensor({
    primary: device,
    fallback: new ConstantPowerSensor('gpu', 0, 'none', `${name}, not counted (0 W)`),
    instead: `GPU ${plan.index}'s energy is not counted`,
    advice: `Check the GPU and its driver with ${tool}, then start a new run to measure it again.`,
    logger,
  });
}

/** Every GPU, or those the request names (with one warning for names that match none). */
function chooseDevices(
  request: GpuIdRequest | undefined,
  devices: readonly GpuDevice[],
  config: SensorConfig,
): GpuIdResolution {
  if (request === undefined) {
    const indices = devices.map((_, index) => index);
    return { indices, viaMig: new Set(), invalid: undefined, ignored: [] };
  }
  const resolution = resolveGpuIds(request.ids, devices);
  const { invalid, ignored } = resolution;
  const endsOnPurpose = invalid !== undefined && /^-\d+$/.test(invalid.trim());
  if (invalid !== undefined && !(endsOnPurpose && ignored.length === 0)) {
    const known = devices.map((device, index) => `${index} = ${device.uuid ?? device.name}`);
    const what = endsOnPurpose
      ? `"${invalid}" ends the list`
      : `"${invalid}" names none of the ${devices.length} GPUs (${known.join(', ')}); as CUDA does, the list ends there`;
    const after =
      ignored.length > 0
        ? `, so ${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} ignored too`
        : '';
    config.logger.once(
      `gpu:ids:${request.source}:${request.ids.join(',')}`,
      'warn',
      `${request.source}: ${what}${after}.`,
    );
  }
  warnAboutCudaOrder(request, devices, config);
  return resolution;
}

/** CUDA's default order puts the fastest GPU first: its indices may not be NVML's. */
function warnAboutCudaOrder(
  request: GpuIdRequest,
  devices: readonly GpuDevice[],
  config: SensorConfig,
): void {
  if (request.source !== 'CUDA_VISIBLE_DEVICES') return;
  if (!request.ids.some((id) => /^\d+$/.test(id.trim()))) return;
  const models = new Set(devices.filter((d) => d.vendor === 'nvidia').map((d) => d.name));
  if (models.size < 2 || config.env.CUDA_DEVICE_ORDER === 'PCI_BUS_ID') return;
  config.logger.once(
    'gpu:cuda-order',
    'warn',
    'CUDA_VISIBLE_DEVICES gives indices on a machine with different GPU models: codecarbon reads them in PCI bus order, CUDA in fastest-first order unless CUDA_DEVICE_ORDER=PCI_BUS_ID. Set it, or give GPU UUIDs.',
  );
}

/** MI250-class packages: one counter for two dies, so tracking one die alone is off. */
function warnAboutDies(
  plans: readonly DevicePlan[],
  indices: readonly number[],
  config: SensorConfig,
): void {
  for (const plan of plans) {
    if (plan.source !== 'counted-by-sibling') continue;
    const first = plan.index - 1;
    const secondTracked = indices.includes(plan.index);
    const firstTracked = indices.includes(first);
    if (secondTracked === firstTracked) continue;
    const name = plan.device.name;
    const message = secondTracked
      ? `GPU ${plan.index} (${name}) is the second die of a package whose energy is read on GPU ${first}, which is not tracked: this die's energy is not counted.`
      : `GPU ${first} (${name}) reads the energy of both dies of its package, GPU ${first} and ${plan.index}; GPU ${plan.index} is not tracked but its energy is counted.`;
    config.logger.once(`gpu:dual-die:${plan.index}`, 'warn', message);
  }
}

function logSummary(
  selection: GpuSelection,
  chosen: GpuIdResolution,
  request: GpuIdRequest | undefined,
  config: SensorConfig,
): void {
  const total = selection.devices.length;
  const from = request ? `, from ${request.source}` : '';
  const message =
    chosen.indices.length === 0
      ? `No GPU tracked out of ${total}${from}.`
      : `Tracking ${chosen.indices.length} of ${total} GPUs (${indexList(chosen.indices)}${from}): ${selection.model || 'none measurable'}, ${selection.method}.`;
  config.logger.once(`gpu:summary:${message}`, 'info', message);
}

function describe(plan: DevicePlan, chosen: GpuIdResolution): string {
  return describePlan(plan, { viaMig: chosen.viaMig.has(plan.index) });
}

function report(plan: DevicePlan, chosen: GpuIdResolution): GpuReport {
  const { device } = plan;
  return {
    index: plan.index,
    vendor: device.vendor,
    name: device.name,
    uuid: device.uuid ?? null,
    powerLimitW: device.powerLimitW ?? null,
    memoryTotalBytes: device.memoryTotalBytes ?? null,
    tracked: chosen.indices.includes(plan.index) && plan.source !== undefined,
    method: plan.method,
    description: describe(plan, chosen),
  };
}

/** The option (or config file) value, else `CODECARBON_<NAME>_LIBRARY` from the environment. */
function libraryPath(
  config: SensorConfig & GpuLibraryPaths,
  name: 'NVML' | 'AMDSMI',
): string | undefined {
  const given = name === 'NVML' ? config.nvmlLibrary : config.amdsmiLibrary;
  const value = given ?? config.env[`CODECARBON_${name}_LIBRARY`];
  return value === undefined || value.trim() === '' ? undefined : value;
}
