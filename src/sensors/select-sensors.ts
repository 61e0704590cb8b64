import { type CpuInfo, readCpuInfo } from '../hardware/cpu-info.js';
import { unknownCpuTdpW } from '../hardware/cpu-power-model.js';
import { lookupCpuTdp } from '../hardware/cpu-tdp.js';
import { readSystemCpuTimes } from '../hardware/cpu-times.js';
import { effectiveMemory, readMemory } from '../hardware/memory.js';
import { readProcessTree } from '../hardware/process-tree.js';
import { ramPowerW } from '../hardware/ram-model.js';
import { ConstantPowerSensor } from './constant-power-sensor.js';
import { CpuLoadSensor } from './cpu-load-sensor.js';
import { RamModelSensor } from './ram-model-sensor.js';
import type { Component, EnergySensor } from './sensor.js';

const GIB = 1024 ** 3;

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
  /** Root of the tracked process tree (process mode). */
  rootPid: number;
  /** Filesystem root for /proc and /sys (tests replay fake trees). */
  root: string;
}

export interface SensorSet {
  sensors: EnergySensor[];
  methods: Record<Component, string>;
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

/** Chooses the best available way to measure each component. */
export function buildSensors(facts: HardwareFacts, config: SensorConfig): SensorSet {
  const cpu = cpuSensor(facts, config);
  const ram = ramSensor(facts, config);
  return {
    sensors: [cpu, ram],
    methods: { cpu: cpu.method, gpu: 'none', ram: ram.method },
  };
}

function cpuSensor(facts: HardwareFacts, config: SensorConfig): EnergySensor {
  const { cpu } = facts;
  const { forceCpuPower, defaultCpuPower } = config;

  if (!facts.cpuTimesReadable) {
    // No load to read: CodeCarbon's constant mode takes half the TDP; without a forced TDP we
    // use the configured default CPU power.
    return forceCpuPower !== undefined
      ? new ConstantPowerSensor(
          'cpu',
          forceCpuPower / 2,
          'forced-tdp-constant',
          `${forceCpuPower} W forced TDP × 50 % (CPU load unreadable)`,
        )
      : new ConstantPowerSensor(
          'cpu',
          defaultCpuPower,
          'constant',
          `${defaultCpuPower} W default CPU power (CPU load unreadable)`,
        );
  }

  const choice = once(() => chooseTdp(facts, forceCpuPower));
  const scope =
    config.trackingMode === 'process' ? 'process tree share of all CPUs' : 'machine load curve';
  return new CpuLoadSensor({
    tdpW: () => choice().tdpW,
    logicalCount: cpu.logicalCount,
    trackingMode: config.trackingMode,
    fallbackPowerW: defaultCpuPower,
    method: forceCpuPower === undefined ? 'tdp-load-model' : 'forced-tdp-load-model',
    description: () => `${choice().description}, ${scope}`,
    times: {
      system: () => readSystemCpuTimes(config.root),
      processTree:
        config.trackingMode === 'process'
          ? () => readProcessTree(config.rootPid, config.root)?.cpuS
          : undefined,
    },
  });
}

function chooseTdp(
  facts: HardwareFacts,
  forceCpuPower: number | undefined,
): { tdpW: number; description: string } {
  const { cpu } = facts;
  if (forceCpuPower !== undefined) {
    return { tdpW: forceCpuPower, description: `forced TDP ${forceCpuPower} W` };
  }
  const tdp = facts.tdp();
  if (tdp) {
    const sockets = cpu.socketCount;
    const socketsText = sockets > 1 ? ` × ${sockets} sockets` : '';
    return {
      tdpW: tdp.tdpW * sockets,
      description: `TDP ${tdp.tdpW} W${socketsText} (${tdp.model})`,
    };
  }
  const tdpW = unknownCpuTdpW(cpu.logicalCount);
  return {
    tdpW,
    description: `${cpu.brand ?? 'unknown CPU'} not in the TDP table: 4 W × ${cpu.logicalCount} threads = ${tdpW} W`,
  };
}

function ramSensor(facts: HardwareFacts, config: SensorConfig): EnergySensor {
  if (config.forceRamPower !== undefined) {
    return new ConstantPowerSensor(
      'ram',
      config.forceRamPower,
      'forced',
      `${config.forceRamPower} W forced`,
    );
  }
  if (!facts.memory) {
    return new ConstantPowerSensor('ram', 0, 'unavailable', 'memory size unreadable: 0 W');
  }

  const gib = facts.memory.totalBytes / GIB;
  const machinePowerW = ramPowerW(gib, facts.cpu.arch);
  const origin = facts.memory.fromContainerLimit ? 'container memory limit' : 'RAM';
  return new RamModelSensor({
    machinePowerW,
    totalBytes: facts.memory.totalBytes,
    trackingMode: config.trackingMode,
    readTreeRssBytes:
      config.trackingMode === 'process'
        ? () => readProcessTree(config.rootPid, config.root)?.rssBytes
        : undefined,
    description: `${gib.toFixed(1)} GiB ${origin} → ${machinePowerW} W (DIMM model)${config.trackingMode === 'process' ? ', process tree share by RSS' : ''}`,
  });
}

/** Computes `compute()` on the first call only. */
function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}
