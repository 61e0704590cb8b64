import { unknownCpuTdpW } from '../hardware/cpu-power-model.js';
import { readSystemCpuTimes } from '../hardware/cpu-times.js';
import { readProcessTree } from '../hardware/process-tree.js';
import { ConstantPowerSensor } from './constant-power-sensor.js';
import { CpuLoadSensor } from './cpu-load-sensor.js';
import type { HardwareFacts, SensorConfig } from './select-sensors.js';
import type { EnergySensor } from './sensor.js';

/** The best available CPU sensor: hardware counters when readable, else the load model. */
export function cpuSensor(facts: HardwareFacts, config: SensorConfig): EnergySensor {
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

/** Computes `compute()` on the first call only. */
export function once<T>(compute: () => T): () => T {
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
