import { ramPowerW } from '../hardware/ram-model.js';
import { ConstantPowerSensor } from './constant-power-sensor.js';
import { FallbackSensor } from './fallback-sensor.js';
import { processTreeReader } from './process-tree-reader.js';
import { RamModelSensor } from './ram-model-sensor.js';
import { RAPL_LOST_ADVICE } from './rapl/rapl-access.js';
import { raplDramSensor } from './rapl/rapl-selection.js';
import type { HardwareFacts, SensorConfig } from './select-sensors.js';
import type { EnergySensor } from './sensor.js';

const GIB = 1024 ** 3;

/**
 * The RAM sensor: a forced constant; else, with `rapl_include_dram`, the RAPL DRAM zones
 * (measured, whole machine), handed over to the model if they stop being readable; else
 * CodeCarbon's DIMM model on the memory size.
 */
export function ramSensor(facts: HardwareFacts, config: SensorConfig): EnergySensor {
  if (config.forceRamPower !== undefined) {
    return new ConstantPowerSensor(
      'ram',
      config.forceRamPower,
      'forced',
      `${config.forceRamPower} W forced`,
    );
  }
  const dram = raplDramSensor(config);
  const model = ramModelSensor(facts, config);
  if (!dram) return model;
  return new FallbackSensor({
    primary: dram,
    fallback: model,
    instead: `RAM power is estimated with ${model.method}`,
    advice: RAPL_LOST_ADVICE,
    logger: config.logger,
  });
}

/** CodeCarbon's DIMM model on the memory size (a container's or job's when lower). */
function ramModelSensor(facts: HardwareFacts, config: SensorConfig): EnergySensor {
  if (!facts.memory) {
    return new ConstantPowerSensor('ram', 0, 'unavailable', 'memory size unreadable: 0 W');
  }

  const gib = facts.memory.totalBytes / GIB;
  const machinePowerW = ramPowerW(gib, facts.cpu.arch);
  const origin = facts.memory.fromSlurmJob
    ? `SLURM job memory (${facts.slurm?.memorySource ?? 'allocation'})`
    : facts.memory.fromContainerLimit
      ? 'container memory limit'
      : 'RAM';
  return new RamModelSensor({
    machinePowerW,
    totalBytes: facts.memory.totalBytes,
    trackingMode: config.trackingMode,
    readTreeRssBytes:
      config.trackingMode === 'process' ? () => processTreeReader(config)()?.rssBytes : undefined,
    description: `${gib.toFixed(1)} GiB ${origin} → ${machinePowerW} W (DIMM model)${config.trackingMode === 'process' ? ', process tree share by RSS' : ''}`,
  });
}
