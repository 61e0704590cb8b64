import type { OnceLogger } from '../../log/logger.js';
import { type ReadTextFile, readSysfsFile } from './counter-file.js';
import { discoverPowercapZones, type PowercapZone } from './powercap-zones.js';
import { permissionWarning } from './rapl-access.js';
import { RaplSensor } from './rapl-sensor.js';
import { planRaplZones, type RaplPlan } from './zone-plan.js';

/** The sensor settings RAPL selection depends on (a subset of `SensorConfig`). */
export interface RaplConfig {
  root: string;
  raplPreferPsys: boolean;
  raplIncludeDram: boolean;
  forceCpuPower: number | undefined;
  forceModeCpuLoad: boolean;
  logger: OnceLogger;
}

/** Lists the zones under `config.root` and plans their use; no logging. */
export function raplPlan(
  config: Omit<RaplConfig, 'logger'>,
  readFile: ReadTextFile = readSysfsFile,
): { zones: PowercapZone[]; plan: RaplPlan } {
  const zones = discoverPowercapZones(config.root, readFile);
  const plan = planRaplZones(zones, {
    preferPsys: config.raplPreferPsys,
    includeDram: config.raplIncludeDram,
    cpuRefusedBecause: cpuRefusal(config),
  });
  return { zones, plan };
}

/** Why the CPU must use the load model whatever the hardware offers, if it must. */
export function cpuRefusal(
  config: Pick<RaplConfig, 'forceCpuPower' | 'forceModeCpuLoad'>,
): string | undefined {
  if (config.forceCpuPower !== undefined) return 'force_cpu_power is set (CPU load model)';
  if (config.forceModeCpuLoad) return 'force_mode_cpu_load is set (CPU load model)';
  return undefined;
}

/** The RAPL CPU sensor when counters can be read, else undefined (after saying why once). */
export function raplCpuSensor(
  config: RaplConfig,
  readFile: ReadTextFile = readSysfsFile,
): RaplSensor | undefined {
  if (cpuRefusal(config) !== undefined) return undefined;
  const { zones, plan } = raplPlan(config, readFile);
  if (zones.length === 0) config.logger.debug('No RAPL powercap zone: no CPU energy counter.');
  sayAccessProblems(plan, config.logger);
  for (const note of plan.notes) config.logger.once(`rapl:note:${note}`, 'info', `RAPL: ${note}.`);
  if (plan.cpu === undefined) return undefined;
  return new RaplSensor({
    component: 'cpu',
    method: plan.cpu.method,
    zones: plan.cpu.zones,
    logger: config.logger,
    readFile,
  });
}

/** With `rapl_include_dram`: the DRAM zones as the RAM sensor, else undefined (said once). */
export function raplDramSensor(
  config: RaplConfig,
  readFile: ReadTextFile = readSysfsFile,
): RaplSensor | undefined {
  if (!config.raplIncludeDram) return undefined;
  const { zones, plan } = raplPlan(config, readFile);
  sayAccessProblems(plan, config.logger);
  if (plan.ram !== undefined) {
    return new RaplSensor({
      component: 'ram',
      method: plan.ram.method,
      zones: plan.ram.zones,
      logger: config.logger,
      readFile,
    });
  }

  const dram = zones.filter((zone) => zone.kind === 'dram');
  const why =
    dram.length === 0
      ? 'this machine exposes no RAPL DRAM zone'
      : plan.cpu?.method === 'rapl-psys'
        ? 'the psys zone that measures the CPU already includes memory'
        : 'its DRAM zones cannot be read';
  config.logger.once(
    'rapl:no-dram',
    'info',
    `rapl_include_dram is set but ${why}: RAM power uses the DIMM model.`,
  );
  return undefined;
}

/** One warning for every zone the plan wanted and could not read (chmod hint for EACCES). */
function sayAccessProblems(plan: RaplPlan, logger: OnceLogger): void {
  const blocked = [...plan.denied, ...plan.unreadable];
  if (blocked.length === 0) return;
  const instead = fallbackText(plan, blocked);
  if (plan.denied.length > 0) {
    logger.once('rapl:permission', 'warn', permissionWarning(plan.denied, instead));
  }
  if (plan.unreadable.length > 0) {
    const list = plan.unreadable
      .map(
        (zone) =>
          `${zone.systemPath}/energy_uj (${zone.access.readable ? '' : zone.access.reason})`,
      )
      .join(', ');
    logger.once('rapl:unreadable', 'warn', `RAPL counters cannot be read: ${list}; ${instead}.`);
  }
}

function fallbackText(plan: RaplPlan, blocked: readonly PowercapZone[]): string {
  const parts: string[] = [];
  if (blocked.some((zone) => zone.kind !== 'dram')) {
    parts.push(
      plan.cpu
        ? `the CPU is measured from ${plan.cpu.zones.map((zone) => zone.name).join(' + ')} instead`
        : 'CPU power is estimated with the load model instead',
    );
  }
  if (blocked.some((zone) => zone.kind === 'dram')) parts.push('RAM power uses the DIMM model');
  return parts.join(' and ');
}
