import { readProcessTree } from '../hardware/process-tree.js';
import { ramPowerW } from '../hardware/ram-model.js';
import { ConstantPowerSensor } from './constant-power-sensor.js';
import { RamModelSensor } from './ram-model-sensor.js';
import type { HardwareFacts, SensorConfig } from './select-sensors.js';
import type { EnergySensor } from './sensor.js';

const GIB = 1024 ** 3;

/** The RAM sensor: a forced constant, else CodeCarbon's DIMM model on the memory size. */
export function ramSensor(facts: HardwareFacts, config: SensorConfig): EnergySensor {
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
