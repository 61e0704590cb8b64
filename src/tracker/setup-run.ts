import os from 'node:os';
import type { ResolvedConfig } from '../config/options.js';
import { readSystemCpuTimes } from '../hardware/cpu-times.js';
import { effectiveMemory, readMemory } from '../hardware/memory.js';
import { carbonIntensity, type IntensityResult } from '../intensity/carbon-intensity.js';
import { type IntensityFeed, staticIntensityFeed } from '../intensity/intensity-feed.js';
import type { onlineIntensityFeedFor } from '../intensity/live/online-settings.js';
import type { OnceLogger } from '../log/logger.js';
import type { SensorPlan } from '../sampling/sampler-protocol.js';
import {
  buildSensors,
  detectHardware,
  type HardwareFacts,
  type SensorSet,
  sensorConfigFrom,
} from '../sensors/select-sensors.js';
import type { EnergySensor } from '../sensors/sensor.js';
import { VERSION } from '../version.js';
import { Accountant } from './accountant.js';
import { componentDetails, type MeasurementDetails } from './measurement-details.js';
import type { RunFacts } from './record-builder.js';
import { osDescription, runtimeVersion } from './runtime-info.js';
import { UtilisationMonitor } from './utilisation-monitor.js';

const GIB = 1024 ** 3;

/** Test and CLI seams: where /proc and /sys live, which tree to track, fake sensors, clock. */
export interface TrackerEnvironment {
  /** Environment variables (defaults to process.env). */
  env?: Record<string, string | undefined>;
  root?: string;
  rootPid?: number;
  sensors?: EnergySensor[];
  clock?: () => { timeS: number; wallMs: number };
  /** Process mode: count the root's children but not the root itself (the CLI). */
  excludeRootProcess?: boolean;
  /** Where sensors are read: a worker thread (default from dist/) or this thread. */
  sampling?: 'worker' | 'inline';
}

export interface PreparedRun {
  accountant: Accountant;
  facts: RunFacts;
  hardware: HardwareFacts;
  sensorSet: SensorSet;
  intensity: IntensityFeed;
  details: MeasurementDetails;
}

/**
 * Where a tracker's runs are measured. Built from the package (dist/), in the sampling worker,
 * so readings and the built-in outputs keep their schedule while user code blocks this thread.
 * Elsewhere (tests on the sources), with injected sensors or clock, or when asked: here.
 */
export function samplingMode(env: TrackerEnvironment): 'worker' | 'inline' {
  if (env.sensors || env.clock) return 'inline';
  return env.sampling ?? (import.meta.url.endsWith('.js') ? 'worker' : 'inline');
}

/** The serializable sensor settings of a run, for the sampling worker. */
export function sensorPlan(
  config: ResolvedConfig,
  env: TrackerEnvironment,
  logger: OnceLogger,
): SensorPlan {
  const { logger: _userThreadOnly, ...plan } = sensorConfigFrom(config, placeOf(env), logger);
  return plan;
}

function placeOf(env: TrackerEnvironment) {
  return {
    root: env.root ?? '/',
    rootPid: env.rootPid ?? process.pid,
    excludeRootProcess: env.excludeRootProcess ?? false,
    env: env.env ?? process.env,
  };
}

/** Hardware is detected once per process and root: later trackers start in microseconds. */
const hardwareCache = new Map<string, HardwareFacts>();

export function detectHardwareCached(
  root: string,
  env?: Record<string, string | undefined>,
): HardwareFacts {
  let facts = hardwareCache.get(root);
  if (!facts) {
    facts = detectHardware(root, env);
    hardwareCache.set(root, facts);
  }
  return facts;
}

/** What the caller of `prepareRun` brings. */
export interface RunParts {
  /** The run's sensors, when the caller built them (the sampling worker). */
  sensorSet?: SensorSet;
  /**
   * Location lookups and live intensity; without it, the intensity comes from the tables. A
   * parameter so that a worker with an offline configuration never loads the online modules.
   */
  onlineFeed?: typeof onlineIntensityFeedFor;
}

/** Sensors, intensity and bookkeeping of a run. */
export function prepareRun(
  config: ResolvedConfig,
  runId: string,
  logger: OnceLogger,
  env: TrackerEnvironment,
  parts: RunParts,
): PreparedRun {
  const { sensorSet = localSensors(config, env, logger), onlineFeed } = parts;
  const root = env.root ?? '/';
  const hardware = detectHardwareCached(root);

  // Online lookups and live intensity start in the background here; start() never waits.
  const intensity =
    onlineFeed?.(config, logger, env) ?? staticIntensityFeed(resolveIntensity(config, logger));
  const monitor = new UtilisationMonitor({
    cpuTimes: () => readSystemCpuTimes(root),
    memory: memorySource(root, hardware),
    gpuPercent: () => meanGpuUtilisation(sensorSet.sensors),
  });
  const accountant = new Accountant({
    sensors: sensorSet.sensors,
    monitor,
    intensity: () => intensity.current(),
    pue: config.pue,
    wue: config.wue,
    clock: env.clock ?? systemClock,
    beforeReading: sensorSet.refresh,
  });

  return {
    accountant,
    hardware,
    sensorSet,
    intensity,
    details: {
      components: componentDetails(sensorSet.sensors),
      get intensity() {
        return intensity.current();
      },
    },
    facts: {
      projectName: config.projectName,
      runId,
      experimentId: config.experimentId,
      os: osDescription(),
      runtimeVersion: runtimeVersion(),
      version: VERSION,
      cpuCount: hardware.slurm?.cpuCount ?? hardware.cpu.logicalCount,
      cpuModel: hardware.cpu.brand,
      gpuCount: sensorSet.gpu.count,
      gpuModel: sensorSet.gpu.model,
      ramTotalSizeGiB: (hardware.memory?.totalBytes ?? 0) / GIB,
      trackingMode: config.trackingMode,
      pue: config.pue,
      wue: config.wue,
      // Read when a record is made: a sensor may hand over to another method mid-run.
      get methods() {
        return sensorSet.methods;
      },
    },
  };
}

/** Sensors read on this thread: injected ones, or those the configuration selects. */
function localSensors(
  config: ResolvedConfig,
  env: TrackerEnvironment,
  logger: OnceLogger,
): SensorSet {
  if (env.sensors) return describeInjected(env.sensors);
  const place = placeOf(env);
  return buildSensors(detectHardwareCached(place.root), sensorConfigFrom(config, place, logger));
}

function resolveIntensity(config: ResolvedConfig, logger: OnceLogger): IntensityResult {
  const result = carbonIntensity({
    countryIsoCode: config.countryIsoCode,
    region: config.region,
    cloudProvider: config.cloudProvider,
    cloudRegion: config.cloudRegion,
    forcedGPerKwh: config.forceCarbonIntensity,
  });
  for (const warning of result.warnings) logger.once(`intensity:${warning}`, 'warn', warning);
  logger.info(
    `Carbon intensity ${result.intensityGPerKwh.toFixed(3)} g CO2eq/kWh (${result.source}: ${result.detail}).`,
  );
  return result;
}

function describeInjected(sensors: EnergySensor[]): SensorSet {
  const methods = { cpu: 'none', gpu: 'none', ram: 'none' };
  for (const sensor of sensors) methods[sensor.component] = sensor.method;
  const gpus = sensors.filter((sensor) => sensor.component === 'gpu').length;
  return {
    sensors,
    methods,
    gpu: { count: gpus, model: gpus > 0 ? `${gpus} x injected GPU sensor` : '', devices: [] },
  };
}

/**
 * Memory in use, for the utilisation fields. Without a container limit the kernel's own
 * counters through `os` are enough (a few µs); inside a limit, the cgroup files are read.
 * The total is read once, like the rest of the hardware: each `os` call parses /proc/meminfo.
 */
function memorySource(
  root: string,
  hardware: HardwareFacts,
): () => { usedBytes: number; totalBytes: number } | undefined {
  if (root === '/' && !hardware.memory?.fromContainerLimit && !hardware.memory?.fromSlurmJob) {
    const totalBytes = os.totalmem();
    return () => ({ totalBytes, usedBytes: totalBytes - os.freemem() });
  }
  return () => {
    const info = readMemory(root);
    return info ? effectiveMemory(info) : undefined;
  };
}

/** Mean utilisation of the GPU sensors that report one, %. */
function meanGpuUtilisation(sensors: readonly EnergySensor[]): number | undefined {
  let sum = 0;
  let count = 0;
  for (const sensor of sensors) {
    if (sensor.component !== 'gpu') continue;
    const percent = sensor.utilisationPercent?.();
    if (percent === undefined || !Number.isFinite(percent)) continue;
    sum += percent;
    count += 1;
  }
  return count > 0 ? sum / count : undefined;
}

function systemClock(): { timeS: number; wallMs: number } {
  return { timeS: performance.now() / 1000, wallMs: Date.now() };
}
