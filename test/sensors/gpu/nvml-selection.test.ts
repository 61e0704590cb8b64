import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { selectGpus } from '../../../src/sensors/gpu-selection.js';
import { FakeNvml, type GpuTestConfig, gccAvailable, gpuConfig } from './fake-libraries.js';

const UUIDS = [
  'GPU-8932f937-d72c-4106-c12f-20bd9faed9f6',
  'GPU-4e817856-1fb8-192a-7ab7-0e0e4476c184',
  'GPU-a0b1c2d3-0000-1111-2222-333344445555',
  'GPU-a0ffeeee-0000-1111-2222-333344445555',
];
const MIG = 'MIG-5c3b2a19-7777-5555-aaaa-bbbbccccdddd';
const NOT_SUPPORTED = 3;
const UNKNOWN_ERROR = 999;

describe.skipIf(!gccAvailable)('selectGpus with NVML (fake library through koffi)', () => {
  let nvml: FakeNvml;

  beforeAll(() => {
    nvml = new FakeNvml();
  });

  beforeEach(() => {
    nvml.reset();
  });

  /** Four H200s at 700 W limits, counters at 1,000,000 mJ, 100 W each. */
  function fourGpus(): void {
    for (const uuid of UUIDS) {
      const gpu = nvml.addGpu('NVIDIA H200', uuid);
      nvml.setEnergyMj(gpu, 1_000_000);
      nvml.setPowerMw(gpu, 100_000);
      nvml.setLimitMw(gpu, 700_000);
    }
  }

  function config(overrides: Partial<GpuTestConfig> = {}): GpuTestConfig {
    return gpuConfig({ nvmlLibrary: nvml.path, ...overrides });
  }

  it('measures every GPU from its energy counter and names them for the record', () => {
    nvml.addGpu('NVIDIA H200', UUIDS[0] as string);
    nvml.addGpu('NVIDIA H200', UUIDS[1] as string);
    nvml.setEnergyMj(0, 5_000_000);
    nvml.setEnergyMj(1, 7_000_000);
    const cfg = config();

    const selection = selectGpus(cfg);
    expect(selection).toMatchObject({ count: 2, model: '2 x NVIDIA H200', method: 'nvml-energy' });
    expect(selection.sensors.map((sensor) => sensor.method)).toEqual([
      'nvml-energy',
      'nvml-energy',
    ]);
    expect(selection.sensors[0]?.description).toBe(
      `GPU 0: NVIDIA H200 (${UUIDS[0]}), NVML energy counter, power limit 300 W`,
    );

    for (const sensor of selection.sensors) sensor.start(0);
    nvml.addEnergyMj(0, 2_000_000); // 2000 J in 10 s
    nvml.addEnergyMj(1, 1_000_000);
    expect(selection.sensors.map((sensor) => sensor.read(10))).toEqual([
      { energyJ: 2000, powerW: 200 },
      { energyJ: 1000, powerW: 100 },
    ]);
    expect(cfg.recorded.at('info')).toEqual([
      'Tracking 2 of 2 GPUs (0, 1): 2 x NVIDIA H200, nvml-energy.',
    ]);
    expect(cfg.recorded.at('warn')).toEqual([]);
  });

  it('takes the library path from CODECARBON_NVML_LIBRARY', () => {
    fourGpus();
    const selection = selectGpus(gpuConfig({ env: { CODECARBON_NVML_LIBRARY: nvml.path } }));
    expect(selection.count).toBe(4);
  });

  it('reports each GPU for detect: index, UUID, power limit, memory, tracked, method', () => {
    fourGpus();
    const selection = selectGpus(config({ env: { CUDA_VISIBLE_DEVICES: '1' } }));
    expect(selection.devices[1]).toEqual({
      index: 1,
      vendor: 'nvidia',
      name: 'NVIDIA H200',
      uuid: UUIDS[1],
      powerLimitW: 700,
      memoryTotalBytes: 80 * 1024 ** 3,
      tracked: true,
      method: 'nvml-energy',
      description: `GPU 1: NVIDIA H200 (${UUIDS[1]}), NVML energy counter, power limit 700 W`,
    });
    expect(selection.devices.map((device) => device.tracked)).toEqual([false, true, false, false]);
    expect(selection.source).toBe('CUDA_VISIBLE_DEVICES');
  });

  describe('chooses the GPUs CUDA_VISIBLE_DEVICES names', () => {
    const cases: [string, string, number[]][] = [
      ['an index', '2', [2]],
      ['indices in any order', '3,1', [1, 3]],
      ['a full UUID', UUIDS[1] as string, [1]],
      ['a unique UUID prefix', 'GPU-8932f937', [0]],
      ['a MIG slice', MIG, [2]],
      ['a pre-R470 MIG slice', `MIG-${UUIDS[3]}/1/0`, [3]],
      ['a mix, deduplicated', `0, ${UUIDS[0]}, GPU-4e81, ${MIG}, 2`, [0, 1, 2]],
      ['-1 (no GPU)', '-1', []],
      ['an empty value (no GPU)', '', []],
    ];
    it.each(cases)('%s: %s', (_what, value, expected) => {
      fourGpus();
      nvml.addMig(2, MIG);
      const cfg = config({ env: { CUDA_VISIBLE_DEVICES: value } });

      const selection = selectGpus(cfg);

      expect(selection.devices.filter((d) => d.tracked).map((d) => d.index)).toEqual(expected);
      expect(selection.count).toBe(expected.length);
      expect(selection.method).toBe(expected.length > 0 ? 'nvml-energy' : 'none');
      expect(cfg.recorded.at('warn')).toEqual([]);
    });
  });

  it('says that a GPU chosen through a MIG slice shares its energy', () => {
    fourGpus();
    nvml.addMig(2, MIG);
    const selection = selectGpus(config({ env: { CUDA_VISIBLE_DEVICES: MIG } }));
    expect(selection.sensors[0]?.description).toBe(
      `GPU 2: NVIDIA H200 (${UUIDS[2]}), NVML energy counter, power limit 700 W; chosen through a MIG slice: the whole GPU is measured, its energy is shared with the other slices`,
    );
  });

  it('ends the list at an unknown id, as CUDA does, with one warning naming the ids lost', () => {
    fourGpus();
    const cfg = config({ env: { CUDA_VISIBLE_DEVICES: '1,GPU-dead,2' } });

    const selection = selectGpus(cfg);
    selectGpus(cfg);

    expect(selection.devices.filter((d) => d.tracked).map((d) => d.index)).toEqual([1]);
    expect(cfg.recorded.at('warn')).toEqual([
      `CUDA_VISIBLE_DEVICES: "GPU-dead" names none of the 4 GPUs (0 = ${UUIDS[0]}, 1 = ${UUIDS[1]}, 2 = ${UUIDS[2]}, 3 = ${UUIDS[3]}); as CUDA does, the list ends there, so 2 is ignored too.`,
    ]);
    expect(cfg.recorded.at('info')).toEqual([
      'Tracking 1 of 4 GPUs (1, from CUDA_VISIBLE_DEVICES): 1 x NVIDIA H200, nvml-energy.',
    ]);
  });

  it('prefers gpu_ids to CUDA_VISIBLE_DEVICES, and CUDA_VISIBLE_DEVICES to ROCR_VISIBLE_DEVICES', () => {
    fourGpus();
    const tracked = (cfg: GpuTestConfig) =>
      selectGpus(cfg)
        .devices.filter((d) => d.tracked)
        .map((d) => d.index);
    const env = { CUDA_VISIBLE_DEVICES: '1', ROCR_VISIBLE_DEVICES: '2' };
    expect(tracked(config({ gpuIds: ['3'], env }))).toEqual([3]);
    expect(tracked(config({ env }))).toEqual([1]);
    expect(tracked(config({ env: { ROCR_VISIBLE_DEVICES: '2' } }))).toEqual([2]);
    expect(tracked(config({ gpuIds: ['-1'], env }))).toEqual([]);
  });

  it('integrates power on a GPU without energy counter while the others use theirs', () => {
    fourGpus();
    nvml.fail(0, 'energy', NOT_SUPPORTED);
    nvml.setPowerMw(0, 60_000);
    const selection = selectGpus(config({ env: { CUDA_VISIBLE_DEVICES: '0,1' } }));

    expect(selection.method).toBe('nvml-energy+nvml-power');
    expect(selection.sensors.map((sensor) => sensor.method)).toEqual(['nvml-power', 'nvml-energy']);
    expect(selection.sensors[0]?.description).toContain(
      'NVML power integrated over time (no energy counter)',
    );

    for (const sensor of selection.sensors) sensor.start(0);
    nvml.setPowerMw(0, 80_000);
    nvml.addEnergyMj(1, 3_000_000);
    expect(selection.sensors.map((sensor) => sensor.read(10))).toEqual([
      { energyJ: 700, powerW: 70 },
      { energyJ: 3000, powerW: 300 },
    ]);
  });

  it('keeps measuring the other GPU when one call fails on one of two GPUs', () => {
    nvml.addGpu('NVIDIA A100', UUIDS[0] as string);
    nvml.addGpu('NVIDIA A100', UUIDS[1] as string);
    const cfg = config();
    const [first, second] = selectGpus(cfg).sensors;
    if (!first || !second) throw new Error('expected two sensors');
    first.start(0);
    second.start(0);

    nvml.fail(1, 'energy', UNKNOWN_ERROR);
    nvml.setPowerMw(1, 150_000);
    nvml.addEnergyMj(0, 1_000_000);
    nvml.addEnergyMj(1, 9_999_000); // unseen: the call fails
    expect(first.read(10)).toEqual({ energyJ: 1000, powerW: 100 });
    expect(second.read(10)).toEqual({ energyJ: 1500, powerW: 150 });

    nvml.fail(1, 'energy', 0);
    nvml.addEnergyMj(0, 1_000_000);
    expect(second.read(20)).toEqual({ energyJ: 3000, powerW: 150 }); // new baseline
    nvml.addEnergyMj(1, 2_000_000);
    expect(second.read(30)).toEqual({ energyJ: 5000, powerW: 200 });
    expect(first.read(30)).toEqual({ energyJ: 2000, powerW: 50 });
    expect(cfg.recorded.at('warn')).toEqual([
      'GPU 1 (NVIDIA A100): its energy counter could not be read; power readings are used meanwhile.',
    ]);
  });

  it('uses power for an interval whose counter jump exceeds 1.5 × the power limit', () => {
    nvml.addGpu('NVIDIA L4', UUIDS[0] as string);
    nvml.setLimitMw(0, 72_000);
    nvml.setPowerMw(0, 40_000);
    const cfg = config();
    const [sensor] = selectGpus(cfg).sensors;
    sensor?.start(0);

    nvml.addEnergyMj(0, 10_000_000); // 1000 W for 10 s on a 72 W card
    expect(sensor?.read(10)).toEqual({ energyJ: 400, powerW: 40 });
    nvml.addEnergyMj(0, 500_000);
    expect(sensor?.read(20)).toEqual({ energyJ: 900, powerW: 50 });
    expect(cfg.recorded.at('warn')).toEqual([
      'GPU 0 (NVIDIA L4): its energy counter moved by 10000.0 J in 10.0 s (1000 W, power limit 72 W); that interval is measured from power readings instead.',
    ]);
  });

  it('reports a GPU with neither energy nor power as not measurable, never as 0 W', () => {
    nvml.addGpu('Tesla K80', UUIDS[0] as string);
    nvml.addGpu('NVIDIA H200', UUIDS[1] as string);
    nvml.fail(0, 'energy', NOT_SUPPORTED);
    nvml.fail(0, 'power', NOT_SUPPORTED);
    const cfg = config();

    const selection = selectGpus(cfg);

    expect(selection).toMatchObject({ count: 1, model: '1 x NVIDIA H200', method: 'nvml-energy' });
    expect(selection.sensors).toHaveLength(1);
    expect(selection.devices[0]).toMatchObject({ tracked: false, method: 'none' });
    expect(selection.devices[0]?.description).toContain(
      'neither an energy counter nor power readings: not measurable',
    );
    expect(cfg.recorded.at('warn')).toEqual([
      'GPU 0 (Tesla K80) has neither an energy counter nor power readings: its energy is not counted.',
    ]);
  });

  it('loses only the field whose call fails: name, UUID, power limit', () => {
    nvml.addGpu('NVIDIA H200', UUIDS[0] as string);
    nvml.fail(0, 'name', UNKNOWN_ERROR);
    nvml.fail(0, 'uuid', UNKNOWN_ERROR);
    nvml.fail(0, 'limit', NOT_SUPPORTED);
    const selection = selectGpus(config());
    expect(selection.devices[0]).toMatchObject({
      name: 'Unknown GPU',
      uuid: null,
      powerLimitW: null,
      tracked: true,
      method: 'nvml-energy',
    });
    expect(selection.model).toBe('1 x Unknown GPU');
  });

  it('reads utilisation per GPU through the sensor', () => {
    fourGpus();
    nvml.setUtilisation(3, 73);
    nvml.fail(2, 'utilization', NOT_SUPPORTED);
    const sensors = selectGpus(config()).sensors;
    expect(sensors.map((sensor) => sensor.utilisationPercent?.())).toEqual([0, 0, undefined, 73]);
  });

  it('treats an NVML that does not initialise as "no NVIDIA GPU", with one warning', () => {
    fourGpus();
    nvml.failInit(9);
    const cfg = config();

    const first = selectGpus(cfg);
    const second = selectGpus(cfg);

    expect(first).toMatchObject({ sensors: [], count: 0, model: '', method: 'none' });
    expect(second.count).toBe(0);
    expect(cfg.recorded.at('warn')).toEqual([
      `NVML (${nvml.path}) did not initialise: Driver Not Loaded (NVML code 9). NVIDIA GPUs are not measured; check that the driver works (nvidia-smi).`,
    ]);
  });

  it('warns when a library path given by the user does not load', () => {
    const cfg = gpuConfig({ nvmlLibrary: '/nonexistent/libnvidia-ml.so.1' });
    expect(selectGpus(cfg).count).toBe(0);
    expect(cfg.recorded.at('warn')).toHaveLength(1);
    expect(cfg.recorded.at('warn')[0]).toMatch(
      /^NVML not loaded, no NVIDIA GPU measured: \/nonexistent/,
    );
  });

  it('stays silent and finds nothing on a machine without GPU driver', () => {
    const cfg = gpuConfig({ env: { CUDA_VISIBLE_DEVICES: '0' } });
    expect(selectGpus(cfg)).toMatchObject({ count: 0, model: '', method: 'none', devices: [] });
    expect(cfg.recorded.lines.filter((line) => line.level !== 'debug')).toEqual([]);
  });
});
