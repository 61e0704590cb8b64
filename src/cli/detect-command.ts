import { resolveConfig } from '../config/resolve-config.js';
import { describeSlurmJob, slurmReport } from '../hardware/slurm.js';
import { OnceLogger, StderrLogger } from '../log/logger.js';
import { selectGpus } from '../sensors/gpu-selection.js';
import { raplReport, raplReportLines } from '../sensors/rapl/rapl-report.js';
import { buildSensors, sensorConfigFrom } from '../sensors/select-sensors.js';
import { detectHardwareCached } from '../tracker/setup-run.js';
import { trackerOptionsFrom } from './tracker-flags.js';

const GIB = 1024 ** 3;

/** `codecarbon detect [--json]`: the hardware found and how each component will be measured. */
export function runDetect(parsed: Record<string, unknown>): void {
  const config = resolveConfig(trackerOptionsFrom(parsed));
  const hardware = detectHardwareCached('/');
  const logger = new OnceLogger(new StderrLogger({ level: config.logLevel }));
  const sensorConfig = sensorConfigFrom(
    config,
    { root: '/', rootPid: process.pid, env: process.env },
    logger,
  );
  const sensors = buildSensors(hardware, sensorConfig);
  // Every GPU found, tracked or not (the sensor set only holds the tracked ones).
  const gpus = selectGpus({
    ...sensorConfig,
    nvmlLibrary: config.nvmlLibrary,
    amdsmiLibrary: config.amdsmiLibrary,
  });

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
      fromSlurmJob: hardware.memory?.fromSlurmJob ?? false,
      method: sensors.methods.ram,
      description: describe('ram'),
    },
    gpu: {
      count: gpus.count,
      model: gpus.model,
      method: gpus.method,
      description:
        gpus.devices.length === 0
          ? 'no NVIDIA (NVML) or AMD (AMD SMI) GPU found'
          : `${gpus.count} of ${gpus.devices.length} GPUs tracked${gpus.source ? ` (from ${gpus.source})` : ''}`,
      devices: gpus.devices,
    },
    trackingMode: config.trackingMode,
    // Zones found, which are used and why the others are not (issue 3).
    rapl: raplReport(sensorConfig),
    slurm: slurmReport(hardware.slurm),
  };

  if (parsed.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const { cpu, ram, gpu } = report;
  const lines = [
    `CPU        ${cpu.brand ?? 'unknown'} — ${cpu.logicalCount} thread(s) in ${cpu.socketCount} socket(s), ${cpu.arch}`,
    `TDP match  ${cpu.tdpMatch ? `${cpu.tdpMatch.model}: ${cpu.tdpMatch.tdpW} W` : 'none in the TDP table'}`,
    `RAM        ${ram.totalGiB === null ? 'unknown' : `${ram.totalGiB.toFixed(3)} GiB`}${ram.fromContainerLimit ? ' (container memory limit)' : ''}${ram.fromSlurmJob ? ' (SLURM job allocation)' : ''}`,
    `GPU        ${gpu.count === 0 ? 'none tracked' : gpu.model}`,
    '',
    `Measurement (${report.trackingMode} mode):`,
    `  CPU  ${cpu.method}: ${cpu.description}`,
    `  RAM  ${ram.method}: ${ram.description}`,
    `  GPU  ${gpu.method}: ${gpu.description}`,
    ...gpu.devices.map(
      (device) =>
        `       ${device.tracked ? '[tracked]    ' : '[not tracked]'} ${device.description}`,
    ),
    '',
    ...raplReportLines(report.rapl),
    ...(hardware.slurm ? [describeSlurmJob(hardware.slurm)] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
