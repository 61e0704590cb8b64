import { resolveConfig } from '../config/resolve-config.js';
import { OnceLogger, StderrLogger } from '../log/logger.js';
import { buildSensors, sensorConfigFrom } from '../sensors/select-sensors.js';
import { detectHardwareCached } from '../tracker/setup-run.js';
import { trackerOptionsFrom } from './tracker-flags.js';

const GIB = 1024 ** 3;

/** `codecarbon detect [--json]`: the hardware found and how each component will be measured. */
export function runDetect(parsed: Record<string, unknown>): void {
  const config = resolveConfig(trackerOptionsFrom(parsed));
  const hardware = detectHardwareCached('/');
  const logger = new OnceLogger(new StderrLogger({ level: config.logLevel }));
  const sensors = buildSensors(
    hardware,
    sensorConfigFrom(config, { root: '/', rootPid: process.pid, env: process.env }, logger),
  );

  const describe = (component: string) =>
    sensors.sensors.find((sensor) => sensor.component === component)?.description ??
    'not measured in this version';
  const report = {
    cpu: {
      brand: hardware.cpu.brand ?? null,
      logicalCount: hardware.cpu.logicalCount,
      socketCount: hardware.cpu.socketCount,
      arch: hardware.cpu.arch,
      tdpMatch: hardware.tdp() ?? null,
      method: sensors.methods.cpu,
      description: describe('cpu'),
    },
    ram: {
      totalGiB: hardware.memory ? hardware.memory.totalBytes / GIB : null,
      fromContainerLimit: hardware.memory?.fromContainerLimit ?? false,
      method: sensors.methods.ram,
      description: describe('ram'),
    },
    gpu: {
      count: sensors.gpu.count,
      model: sensors.gpu.model,
      method: sensors.methods.gpu,
      description: describe('gpu'),
    },
    trackingMode: config.trackingMode,
  };

  if (parsed.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const { cpu, ram, gpu } = report;
  const lines = [
    `CPU        ${cpu.brand ?? 'unknown'} — ${cpu.logicalCount} thread(s) in ${cpu.socketCount} socket(s), ${cpu.arch}`,
    `TDP match  ${cpu.tdpMatch ? `${cpu.tdpMatch.model}: ${cpu.tdpMatch.tdpW} W` : 'none in the TDP table'}`,
    `RAM        ${ram.totalGiB === null ? 'unknown' : `${ram.totalGiB.toFixed(3)} GiB`}${ram.fromContainerLimit ? ' (container memory limit)' : ''}`,
    `GPU        ${gpu.count === 0 ? 'none tracked' : gpu.count}`,
    '',
    `Measurement (${report.trackingMode} mode):`,
    `  CPU  ${cpu.method}: ${cpu.description}`,
    `  RAM  ${ram.method}: ${ram.description}`,
    `  GPU  ${gpu.method}: ${gpu.description}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
