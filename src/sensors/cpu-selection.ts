import { unknownCpuTdpW } from '../hardware/cpu-power-model.js';
import { readSystemCpuTimes } from '../hardware/cpu-times.js';
import { severalRanksEvidence, severalRanksWarning } from '../hardware/slurm.js';
import { ConstantPowerSensor } from './constant-power-sensor.js';
import { CpuLoadSensor } from './cpu-load-sensor.js';
import { FallbackSensor } from './fallback-sensor.js';
import { powermetricsCpuSensor } from './powermetrics/powermetrics-selection.js';
import { processTreeReader } from './process-tree-reader.js';
import { RAPL_LOST_ADVICE } from './rapl/rapl-access.js';
import { raplCpuSensor } from './rapl/rapl-selection.js';
import type { HardwareFacts, SensorConfig } from './select-sensors.js';
import type { EnergySensor } from './sensor.js';

/**
 * The best available CPU sensor: the hardware's own energy counters (RAPL on Linux,
 * powermetrics on Apple Silicon) when they can be read, else the load model. A forced TDP
 * (`force_cpu_power`) or `force_mode_cpu_load` always selects the load model. RAPL counters
 * that stop being readable during a run hand the CPU over to the load model.
 */
export function cpuSensor(facts: HardwareFacts, config: SensorConfig): EnergySensor {
  sayJobFacts(facts, config);
  const model = cpuModelSensor(facts, config);
  if (config.forceCpuPower !== undefined || config.forceModeCpuLoad) return model;
  const rapl = raplCpuSensor(config);
  if (rapl) {
    return new FallbackSensor({
      primary: rapl,
      fallback: model,
      instead: `CPU power is estimated with ${model.method}`,
      advice: RAPL_LOST_ADVICE,
      logger: config.logger,
    });
  }
  return powermetricsCpuSensor(facts.cpu.brand, config, model) ?? model;
}

/** The load model, or a constant when no CPU time can be read. */
function cpuModelSensor(facts: HardwareFacts, config: SensorConfig): EnergySensor {
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
    // The node's threads, with the node's TDP: a job's tree is charged its share of the
    // node. (CodeCarbon divides by the SLURM job's CPUs, which charges a 4-CPU job on a
    // 64-thread node with the whole socket's TDP.)
    logicalCount: cpu.logicalCount,
    trackingMode: config.trackingMode,
    fallbackPowerW: defaultCpuPower,
    method: forceCpuPower === undefined ? 'tdp-load-model' : 'forced-tdp-load-model',
    description: () => `${choice().description}, ${scope}`,
    times: {
      system: () => readSystemCpuTimes(config.root),
      processTree:
        config.trackingMode === 'process' ? () => processTreeReader(config)()?.cpuS : undefined,
    },
  });
}

/**
 * SLURM: what the job detection could not find, and several ranks per node in machine mode,
 * where every rank would count the whole node.
 */
function sayJobFacts(facts: HardwareFacts, config: SensorConfig): void {
  for (const warning of facts.slurm?.warnings ?? []) {
    config.logger.once(`slurm:${warning}`, 'warn', warning);
  }
  const evidence = config.trackingMode === 'machine' ? severalRanksEvidence(config.env) : undefined;
  if (evidence !== undefined) {
    config.logger.once('slurm:several-ranks', 'warn', severalRanksWarning(evidence));
  }
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
