import type { ResolvedConfig } from '../config/options.js';
import { type CpuInfo, readCpuInfo } from '../hardware/cpu-info.js';
import { lookupCpuTdp } from '../hardware/cpu-tdp.js';
import { readSystemCpuTimes } from '../hardware/cpu-times.js';
import { effectiveMemory, readMemory } from '../hardware/memory.js';
import { readSlurmJob, type SlurmJob, withJobMemory } from '../hardware/slurm.js';
import type { OnceLogger } from '../log/logger.js';
import { cpuSensor, once } from './cpu-selection.js';
import { combinedMethod } from './gpu/gpu-summary.js';
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
  /**
   * Memory the RAM model uses; a container limit when it is below the host's RAM, a SLURM
   * job's allocation when that is lower still.
   */
  memory: { totalBytes: number; fromContainerLimit: boolean; fromSlurmJob?: boolean } | undefined;
  /** Whether cumulative CPU times can be read (the load model needs them). */
  cpuTimesReadable: boolean;
  /** The SLURM job this process runs in: its CPUs and memory on this node. */
  slurm?: SlurmJob | undefined;
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
  /** Paths of the GPU vendor libraries, when not the system's. */
  nvmlLibrary?: string | undefined;
  amdsmiLibrary?: string | undefined;
  /** Root of the tracked process tree (process mode). */
  rootPid: number;
  /** Count the root's descendants (and its reaped children) but not the root's own work. */
  excludeRootProcess?: boolean;
  /** Filesystem root for /proc and /sys (tests replay fake trees). */
  root: string;
}

export interface SensorSet {
  sensors: EnergySensor[];
  /** Makes the sensors read now, when they are read on their own schedule (the sampling worker). */
  refresh?: () => void;
  /** How each component is measured now: a sensor that fell back mid-run says so. */
  methods: Record<Component, string>;
  /** What the record says about GPUs (the tracked ones), and every GPU found. */
  gpu: Pick<GpuSelection, 'count' | 'model' | 'devices'>;
}

/** `env` holds the SLURM variables; a fake root (tests) never sees the real process's. */
export function detectHardware(
  root = '/',
  env: Record<string, string | undefined> = root === '/' ? process.env : {},
): HardwareFacts {
  const cpu = readCpuInfo(root);
  const info = readMemory(root);
  const memory = info ? effectiveMemory(info) : undefined;
  const slurm = readSlurmJob(env);
  return {
    cpu,
    tdp: once(() => (cpu.brand ? lookupCpuTdp(cpu.brand) : undefined)),
    memory: withJobMemory(
      memory && { totalBytes: memory.totalBytes, fromContainerLimit: memory.fromContainerLimit },
      slurm,
    ),
    cpuTimesReadable: readSystemCpuTimes(root) !== undefined,
    slurm,
  };
}

/** The sensor settings of a resolved configuration. */
export function sensorConfigFrom(
  config: ResolvedConfig,
  where: {
    root: string;
    rootPid: number;
    excludeRootProcess?: boolean;
    env: Record<string, string | undefined>;
  },
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
    nvmlLibrary: config.nvmlLibrary,
    amdsmiLibrary: config.amdsmiLibrary,
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
    // GPU counters first: a counter is read when read() runs, and the CPU's first reading
    // may take a moment (TDP lookup).
    sensors: [...gpus.sensors, cpu, ram],
    // Read when asked: a sensor's method changes when it hands over to its fallback.
    methods: {
      get cpu() {
        return cpu.method;
      },
      get gpu() {
        return combinedMethod(gpus.sensors.map((sensor) => sensor.method));
      },
      get ram() {
        return ram.method;
      },
    },
    gpu: { count: gpus.count, model: gpus.model, devices: gpus.devices },
  };
}
