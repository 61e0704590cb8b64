import type { ResolvedConfig } from '../config/options.js';
import { readSystemCpuTimes } from '../hardware/cpu-times.js';
import { effectiveMemory, readMemory } from '../hardware/memory.js';
import { carbonIntensity, type IntensityResult } from '../intensity/carbon-intensity.js';
import { type IntensityFeed, staticIntensityFeed } from '../intensity/intensity-feed.js';
import type { OnceLogger } from '../log/logger.js';
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
}

export interface PreparedRun {
  accountant: Accountant;
  facts: RunFacts;
  hardware: HardwareFacts;
  sensorSet: SensorSet;
  intensity: IntensityFeed;
}

/** Hardware is detected once per process and root: later trackers start in microseconds. */
const hardwareCache = new Map<string, HardwareFacts>();

export function detectHardwareCached(root: string): HardwareFacts {
  let facts = hardwareCache.get(root);
  if (!facts) {
    facts = detectHardware(root);
    hardwareCache.set(root, facts);
  }
  return facts;
}

export function prepareRun(
  config: ResolvedConfig,
  runId: string,
  logger: OnceLogger,
  env: TrackerEnvironment,
): PreparedRun {
  const root = env.root ?? '/';
  const hardware = detectHardwareCached(root);
  const sensorSet = env.sensors
    ? describeInjected(env.sensors)
    : buildSensors(
        hardware,
        sensorConfigFrom(
          config,
          { root, rootPid: env.rootPid ?? process.pid, env: env.env ?? process.env },
          logger,
        ),
      );

  const intensity = staticIntensityFeed(resolveIntensity(config, logger));
  const monitor = new UtilisationMonitor({
    cpuTimes: () => readSystemCpuTimes(root),
    memory: () => {
      const info = readMemory(root);
      return info ? effectiveMemory(info) : undefined;
    },
  });
  const accountant = new Accountant({
    sensors: sensorSet.sensors,
    monitor,
    intensity: () => intensity.current(),
    pue: config.pue,
    wue: config.wue,
    clock: env.clock ?? systemClock,
  });

  return {
    accountant,
    hardware,
    sensorSet,
    intensity,
    facts: {
      projectName: config.projectName,
      runId,
      experimentId: config.experimentId,
      os: osDescription(),
      runtimeVersion: runtimeVersion(),
      version: VERSION,
      cpuCount: hardware.cpu.logicalCount,
      cpuModel: hardware.cpu.brand,
      gpuCount: sensorSet.gpu.count,
      gpuModel: sensorSet.gpu.model,
      ramTotalSizeGiB: (hardware.memory?.totalBytes ?? 0) / GIB,
      trackingMode: config.trackingMode,
      pue: config.pue,
      wue: config.wue,
      methods: sensorSet.methods,
    },
  };
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
  return { sensors, methods, gpu: { count: gpus, model: gpus > 0 ? 'test GPU' : '' } };
}

function systemClock(): { timeS: number; wallMs: number } {
  return { timeS: performance.now() / 1000, wallMs: Date.now() };
}
