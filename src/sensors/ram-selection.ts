import { ramPowerW } from '../hardware/ram-model.js';
import { ConstantPowerSensor } from './constant-power-sensor.js';
import { processTreeReader } from './process-tree-reader.js';
import { RamModelSensor } from './ram-model-sensor.js';
import { raplDramSensor } from './rapl/rapl-selection.js';
import type { HardwareFacts, SensorConfig } from './select-sensors.js';
import type { EnergySensor } from './sensor.js';

const GIB = 1024 ** 3;

/**
 * The RAM sensor: a forced constant; else, with `rapl_include_dram`, the RAPL DRAM zones
 * (measured, whole machine); else CodeCarbon's DIMM model on the memory size.
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
  if (dram) return dram;
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
