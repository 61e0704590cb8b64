import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSlurmJob } from '../../../src/hardware/slurm.js';
import { cpuSensor } from '../../../src/sensors/cpu-selection.js';
import { ramSensor } from '../../../src/sensors/ram-selection.js';
import {
  detectHardware,
  type HardwareFacts,
  type SensorConfig,
} from '../../../src/sensors/select-sensors.js';
import { fixtureRoot } from '../../hardware/fixture-root.js';
import { FakePowercap, recordingLogger } from './fake-powercap.js';

let tree: FakePowercap;
afterEach(() => tree?.remove());

const GIB = 1024 ** 3;

function facts(overrides: Partial<HardwareFacts> = {}): HardwareFacts {
  return {
    cpu: {
      brand: 'Intel(R) Xeon(R) Gold 6330N CPU @ 2.20GHz',
      logicalCount: 8,
      socketCount: 2,
      arch: 'x64',
    },
    tdp: vi.fn(() => ({ model: 'Intel Xeon Gold 6330N', tdpW: 50 })),
    memory: { totalBytes: 64 * GIB, fromContainerLimit: false },
    cpuTimesReadable: true,
    ...overrides,
  };
}

function config(overrides: Partial<SensorConfig> = {}) {
  const { logger, lines } = recordingLogger();
  const sensorConfig: SensorConfig = {
    trackingMode: 'machine',
    forceCpuPower: undefined,
    forceRamPower: undefined,
    defaultCpuPower: 42.5,
    forceModeCpuLoad: false,
    raplIncludeDram: false,
    raplPreferPsys: false,
    gpuIds: undefined,
    env: {},
    logger,
    rootPid: 1,
    root: tree.root,
    ...overrides,
  };
  return {
    sensorConfig,
    warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.text),
  };
}

describe('cpuSensor with RAPL', () => {
  it('prefers RAPL and never looks the TDP up', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', energyUj: 1 });
    const hardware = facts();
    const sensor = cpuSensor(hardware, config().sensorConfig);
    expect(sensor.method).toBe('rapl-package');
    expect(sensor.description).toBe('RAPL package-0 (intel-rapl:0), whole machine');
    expect(hardware.tdp).not.toHaveBeenCalled();
  });

  it('uses the load model with TDP × sockets under force_mode_cpu_load (table 50 W, 2 sockets → 100 W)', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', energyUj: 1 });
    const stat = join(tree.root, 'proc/stat');
    mkdirSync(dirname(stat), { recursive: true });
    writeFileSync(stat, 'cpu  0 0 0 100 0 0 0 0 0 0\n');
    const sensor = cpuSensor(facts(), config({ forceModeCpuLoad: true }).sensorConfig);
    expect(sensor.method).toBe('tdp-load-model');
    expect(sensor.description).toMatch(/^TDP 50 W × 2 sockets/);

    sensor.start(0);
    writeFileSync(stat, 'cpu  50 0 0 150 0 0 0 0 0 0\n'); // 50 % busy
    expect(sensor.read(10).powerW).toBeCloseTo(100 * 0.2125, 10);
  });

  it('uses the forced TDP, not RAPL, under force_cpu_power', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', energyUj: 1 });
    const sensor = cpuSensor(facts(), config({ forceCpuPower: 80 }).sensorConfig);
    expect(sensor.method).toBe('forced-tdp-load-model');
  });

  it('falls back to the load model when the counters cannot be read', () => {
    tree = new FakePowercap().zone('intel-rapl:0', { name: 'package-0', counter: 'dir' });
    const { sensorConfig, warnings } = config();
    expect(cpuSensor(facts(), sensorConfig).method).toBe('tdp-load-model');
    expect(warnings()).toEqual([expect.stringMatching(/^RAPL counters cannot be read: .*EISDIR/)]);
  });

  it('warns in machine mode that several ranks per node count the node once per rank', () => {
    tree = new FakePowercap();
    const machine = config({ env: { SLURM_NTASKS_PER_NODE: '4' } });
    cpuSensor(facts(), machine.sensorConfig);
    expect(machine.warnings()).toEqual([
      'Several ranks of this job appear to run on this node (SLURM_NTASKS_PER_NODE=4). In machine mode each rank measures the whole node, so node energy will be counted once per rank. Use tracking_mode=process, or track from one rank per node (local rank 0).',
    ]);

    const process = config({ env: { LOCAL_WORLD_SIZE: '8' }, trackingMode: 'process' });
    cpuSensor(facts(), process.sensorConfig);
    expect(process.warnings()).toEqual([]);
  });

  it('says what the SLURM detection could not find', () => {
    tree = new FakePowercap();
    const slurm = readSlurmJob({ SLURM_JOB_ID: '99' }, () => undefined);
    const { sensorConfig, warnings } = config();
    cpuSensor(facts({ slurm }), sensorConfig);
    expect(warnings()).toEqual([expect.stringMatching(/^SLURM job 99: .* the node's is used\.$/)]);
  });
});

describe('ramSensor with RAPL DRAM', () => {
  it('reports DRAM zones as the RAM component with rapl_include_dram', () => {
    tree = new FakePowercap()
      .zone('intel-rapl:0', { name: 'package-0', energyUj: 1 })
      .zone('intel-rapl:0:0', { name: 'dram', energyUj: 1_000_000 });
    const sensor = ramSensor(facts(), config({ raplIncludeDram: true }).sensorConfig);
    expect(sensor.method).toBe('rapl-dram');
    sensor.start(0);
    tree.set('intel-rapl:0:0', 7_000_000);
    expect(sensor.read(2)).toEqual({ energyJ: 6, powerW: 3 });
  });

  it('keeps the DIMM model without the option, and force_ram_power wins over DRAM zones', () => {
    tree = new FakePowercap().zone('intel-rapl:0:0', { name: 'dram', energyUj: 1 });
    expect(ramSensor(facts(), config().sensorConfig).method).toBe('ram-dimm-model');
    const forced = config({ raplIncludeDram: true, forceRamPower: 7 }).sensorConfig;
    expect(ramSensor(facts(), forced).method).toBe('forced');
  });

  it('models a SLURM job’s memory allocation, and says so', () => {
    tree = new FakePowercap();
    const slurm = readSlurmJob({
      SLURM_JOB_ID: '5',
      SLURM_CPUS_ON_NODE: '4',
      SLURM_MEM_PER_NODE: '8G',
    });
    const memory = { totalBytes: 8 * GIB, fromContainerLimit: false, fromSlurmJob: true };
    const sensor = ramSensor(facts({ slurm, memory }), config().sensorConfig);
    expect(sensor.description).toBe(
      '8.0 GiB SLURM job memory (SLURM_MEM_PER_NODE) → 10 W (DIMM model)',
    );
  });
});

describe('detectHardware under SLURM', () => {
  it('takes the job memory when it is below the host’s, and keeps the job facts', () => {
    const env = { SLURM_JOB_ID: '12', SLURM_CPUS_ON_NODE: '2', SLURM_MEM_PER_NODE: '1024' };
    const hardware = detectHardware(fixtureRoot('memory-host-only'), env);
    expect(hardware.memory).toEqual({
      totalBytes: GIB,
      fromContainerLimit: false,
      fromSlurmJob: true,
    });
    expect(hardware.slurm).toMatchObject({ jobId: '12', cpuCount: 2 });
  });

  it('never reads the real process environment for a fake root', () => {
    const hardware = detectHardware(fixtureRoot('memory-host-only'));
    expect(hardware.slurm).toBeUndefined();
    expect(hardware.memory?.totalBytes).toBe(16_318_460 * 1024);
  });
});
