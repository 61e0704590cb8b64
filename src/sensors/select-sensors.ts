import type { ResolvedConfig } from '../config/options.js';
import { type CpuInfo, readCpuInfo } from '../hardware/cpu-info.js';
import { lookupCpuTdp } from '../hardware/cpu-tdp.js';
import { readSystemCpuTimes } from '../hardware/cpu-times.js';
import { effectiveMemory, readMemory } from '../hardware/memory.js';
import type { OnceLogger } from '../log/logger.js';
import { cpuSensor, once } from './cpu-selection.js';
import { type GpuSelection, selectGpus } from './gpu-selection.js';
import { ramSensor } from './ram-selection.js';
import type { Component, EnergySensor } from './sensor.js';

/** What the machine is, read once per process (hardware does not change under a tracker). */
export interface HardwareFacts {
  cpu: CpuInfo;
  /**
   * TDP table match for the CPU brand, if any. Looked up on first use: indexing the table
   * costs tens of milliseconds in a cold process, which `start()` must not pay.
   */
  tdp: () => { model: string; tdpW: number } | undefined;
  /** Memory the RAM model uses; a container limit when it is below the host's RAM. */
  memory: { totalBytes: number; fromContainerLimit: boolean } | undefined;
  /** Whether cumulative CPU times can be read (the load model needs them). */
  cpuTimesReadable: boolean;
}

export interface SensorConfig {
  trackingMode: 'machine' | 'process';
  forceCpuPower: number | undefined;
  forceRamPower: number | undefined;
  defaultCpuPower: number;
  forceModeCpuLoad: boolean;
  raplIncludeDram: boolean;
  raplPreferPsys: boolean;
  /** GPUs asked for (indices, UUIDs); undefined: all visible. */
  gpuIds: string[] | undefined;
  /** Environment for CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES and library path overrides. */
  env: Record<string, string | undefined>;
  /** Sensor warnings are said once through it. */
  logger: OnceLogger;
  /** Root of the tracked process tree (process mode). */
  rootPid: number;
  /** Filesystem root for /proc and /sys (tests replay fake trees). */
  root: string;
}

export interface SensorSet {
  sensors: EnergySensor[];
  methods: Record<Component, string>;
  /** What the record says about GPUs (the tracked ones). */
  gpu: Pick<GpuSelection, 'count' | 'model'>;
}

export function detectHardware(root = '/'): HardwareFacts {
  const cpu = readCpuInfo(root);
  const info = readMemory(root);
  const memory = info ? effectiveMemory(info) : undefined;
  return {
    cpu,
    tdp: once(() => (cpu.brand ? lookupCpuTdp(cpu.brand) : undefined)),
    memory: memory && {
      totalBytes: memory.totalBytes,
      fromContainerLimit: memory.fromContainerLimit,
    },
    cpuTimesReadable: readSystemCpuTimes(root) !== undefined,
  };
}

/** The sensor settings of a resolved configuration. */
export function sensorConfigFrom(
  config: ResolvedConfig,
  where: { root: string; rootPid: number; env: Record<string, string | undefined> },
  logger: OnceLogger,
): SensorConfig {
  return {
    trackingMode: config.trackingMode,
    forceCpuPower: config.forceCpuPower,
    forceRamPower: config.forceRamPower,
    defaultCpuPower: config.defaultCpuPower,
    forceModeCpuLoad: config.forceModeCpuLoad,
    raplIncludeDram: config.raplIncludeDram,
    raplPreferPsys: config.raplPreferPsys,
    gpuIds: config.gpuIds,
    ...where,
    logger,
  };
}

/** Chooses the best available way to measure each component. */
export function buildSensors(facts: HardwareFacts, config: SensorConfig): SensorSet {
  const cpu = cpuSensor(facts, config);
  const ram = ramSensor(facts, config);
  const gpus = selectGpus(config);
  return {
    sensors: [cpu, ram, ...gpus.sensors],
    methods: { cpu: cpu.method, gpu: gpus.method, ram: ram.method },
    gpu: { count: gpus.count, model: gpus.model },
  };
}
