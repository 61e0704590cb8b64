import type { ResolvedConfig } from '../config/options.js';
import { readSystemCpuTimes } from '../hardware/cpu-times.js';
import { effectiveMemory, readMemory } from '../hardware/memory.js';
import { carbonIntensity, type IntensityResult } from '../intensity/carbon-intensity.js';
import type { OnceLogger } from '../log/logger.js';
import {
  buildSensors,
  detectHardware,
  type HardwareFacts,
  type SensorSet,
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
  intensity: IntensityResult;
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
    : buildSensors(hardware, {
        trackingMode: config.trackingMode,
        forceCpuPower: config.forceCpuPower,
        forceRamPower: config.forceRamPower,
        defaultCpuPower: config.defaultCpuPower,
        rootPid: env.rootPid ?? process.pid,
        root,
      });

  const intensity = resolveIntensity(config, logger);
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
    intensity: () => intensity,
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
      gpuCount: 0,
      gpuModel: '',
      ramTotalSizeGiB: (hardware.memory?.totalBytes ?? 0) / GIB,
      trackingMode: config.trackingMode,
      pue: config.pue,
      wue: config.wue,
      countryName: intensity.countryName,
      countryIsoCode: intensity.countryIsoCode,
      region: intensity.region,
      cloudProvider: intensity.cloudProvider ?? '',
      cloudRegion: intensity.cloudRegion ?? '',
      longitude: undefined,
      latitude: undefined,
      methods: sensorSet.methods,
      intensitySource: intensity.source,
      intensityDetail: intensity.detail,
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
  return { sensors, methods };
}

function systemClock(): { timeS: number; wallMs: number } {
  return { timeS: performance.now() / 1000, wallMs: Date.now() };
}
