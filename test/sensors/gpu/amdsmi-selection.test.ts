import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pciAddress } from '../../../src/sensors/gpu/amdsmi-devices.js';
import { selectGpus } from '../../../src/sensors/gpu-selection.js';
import {
  FakeAmdSmi,
  FakeNvml,
  type GpuTestConfig,
  gccAvailable,
  gpuConfig,
} from './fake-libraries.js';

const MIB = 1024 * 1024;
const NOT_INIT = 32;
/** PCI 0000:c1:00.0 as AMD SMI packs it. */
const BDF_C1 = 0xc100n;

describe('pciAddress', () => {
  it('unpacks AMD SMI BDF ids, ignoring the partition bits', () => {
    expect(pciAddress(BDF_C1)).toBe('0000:c1:00.0');
    expect(pciAddress((1n << 32n) | (0xaan << 8n) | (3n << 3n) | 1n | (5n << 28n))).toBe(
      '0001:aa:03.1',
    );
  });
});

describe.skipIf(!gccAvailable)('selectGpus with AMD SMI (fake library through koffi)', () => {
  let amd: FakeAmdSmi;

  beforeAll(() => {
    amd = new FakeAmdSmi();
  });

  beforeEach(() => {
    amd.reset();
  });

  function config(overrides: Partial<GpuTestConfig> = {}): GpuTestConfig {
    return gpuConfig({ amdsmiLibrary: amd.path, ...overrides });
  }

  /** A /sys tree where PCI device `address` has an hwmon `power1_average` of `microwatts`. */
  function sysWithPower(address: string, microwatts: number): string {
    const root = mkdtempSync(join(tmpdir(), 'codecarbon-sys-'));
    const hwmon = join(root, 'sys/bus/pci/devices', address, 'hwmon/hwmon4');
    mkdirSync(hwmon, { recursive: true });
    writeFileSync(join(hwmon, 'power1_average'), `${microwatts}\n`);
    return root;
  }

  it('measures energy as accumulator × resolution (µJ) and reads cap, VRAM and name', () => {
    for (const uuid of [
      '8cff74a1-0000-1000-80a6-b5bbb7ac1b1e',
      '8cff74a1-0000-1000-80a6-c0c0c0c0c0c0',
    ]) {
      const gpu = amd.addGpu('AMD Instinct MI300X', uuid);
      amd.setEnergy(gpu, 1_000_000, 1000); // 1,000,000 mJ
      amd.setCapUw(gpu, 750_000_000);
      amd.setVramMb(gpu, 1000, 250);
    }
    const cfg = config();

    const selection = selectGpus(cfg);

    expect(selection).toMatchObject({
      count: 2,
      model: '2 x AMD Instinct MI300X',
      method: 'amdsmi-energy',
    });
    expect(selection.devices[0]).toMatchObject({
      vendor: 'amd',
      uuid: '8cff74a1-0000-1000-80a6-b5bbb7ac1b1e',
      powerLimitW: 750,
      memoryTotalBytes: 1000 * MIB,
    });
    const [sensor] = selection.sensors;
    sensor?.start(0);
    amd.setEnergy(0, 1_000_000 + 2_000_000, 1000);
    expect(sensor?.read(10)).toEqual({ energyJ: 2000, powerW: 200 });
    expect(cfg.recorded.at('warn')).toEqual([]);
  });

  it('uses the float resolution AMD SMI gives (15.3 µJ per count)', () => {
    amd.addGpu('AMD Instinct MI100', 'u-1');
    amd.setEnergy(0, 1_000, 15.3);
    const [sensor] = selectGpus(config()).sensors;
    sensor?.start(0);
    amd.setEnergy(0, 1_000 + 10_000_000, 15.3);
    expect(sensor?.read(10).energyJ).toBeCloseTo(153, 3);
  });

  it('turns a power cap of 2,000,000 µW into 2 W, as upstream (spec §14.2 item 14)', () => {
    amd.addGpu('AMD Radeon PRO W7900', 'u-1');
    amd.setCapUw(0, 2_000_000);
    expect(selectGpus(config()).devices[0]?.powerLimitW).toBe(2);
  });

  it('retries a call once after initialising again when the library forgot its state', () => {
    amd.addGpu('AMD Instinct MI300X', 'u-1');
    amd.setEnergy(0, 1_000, 1000);
    const [sensor] = selectGpus(config()).sensors;
    sensor?.start(0);

    amd.forgetInit();
    amd.setEnergy(0, 1_000 + 500_000, 1000);
    expect(sensor?.read(5)).toEqual({ energyJ: 500, powerW: 100 });
  });

  it('falls back to hwmon average power when the energy counter is not maintained', () => {
    amd.addGpu('AMD Instinct MI210', 'u-1', BDF_C1); // one die: a 0 counter means "none"
    amd.setEnergy(0, 0, 15.3);
    const root = sysWithPower('0000:c1:00.0', 120_000_000);
    const selection = selectGpus(config({ root }));

    expect(selection.method).toBe('amdsmi-power');
    expect(selection.sensors[0]?.description).toContain(
      'hwmon average power integrated over time (no energy counter)',
    );
    selection.sensors[0]?.start(0);
    expect(selection.sensors[0]?.read(10)).toEqual({ energyJ: 1200, powerW: 120 });
  });

  it('reports a GPU with neither counter nor hwmon power as not measurable', () => {
    amd.addGpu('AMD Instinct MI210', 'u-1', BDF_C1);
    amd.fail(0, 'energy', 2);
    const cfg = config();
    expect(selectGpus(cfg)).toMatchObject({ count: 0, sensors: [], method: 'none' });
    expect(cfg.recorded.at('warn')).toEqual([
      'GPU 0 (AMD Instinct MI210) has neither an energy counter nor power readings: its energy is not counted.',
    ]);
  });

  describe('dual-die packages (MI250-class)', () => {
    function mi250x(): void {
      amd.addGpu('AMD Instinct MI250X', 'die-0');
      amd.addGpu('AMD Instinct MI250X', 'die-1');
      amd.setEnergy(0, 1_000_000, 1000);
      amd.setEnergy(1, 0, 1000); // the second die's counter stays at 0
    }

    it('counts the package once, on the first die, when both dies are tracked', () => {
      mi250x();
      const cfg = config();
      const selection = selectGpus(cfg);

      expect(selection).toMatchObject({
        count: 2,
        model: '2 x AMD Instinct MI250X',
        method: 'amdsmi-energy',
      });
      expect(selection.sensors[1]?.description).toBe(
        "GPU 1: AMD Instinct MI250X (die-1), second die of a dual-die package: its energy is in GPU 0's counter, power limit 500 W",
      );
      for (const sensor of selection.sensors) sensor.start(0);
      amd.setEnergy(0, 1_000_000 + 3_000_000, 1000);
      expect(selection.sensors.map((sensor) => sensor.read(10).energyJ)).toEqual([3000, 0]);
      expect(cfg.recorded.at('warn')).toEqual([]);
    });

    it('warns once that the second die alone is not counted', () => {
      mi250x();
      const cfg = config({ env: { ROCR_VISIBLE_DEVICES: '1' } });
      selectGpus(cfg);
      selectGpus(cfg);
      expect(cfg.recorded.at('warn')).toEqual([
        "GPU 1 (AMD Instinct MI250X) is the second die of a package whose energy is read on GPU 0, which is not tracked: this die's energy is not counted.",
      ]);
    });

    it('warns once that the first die alone reads both dies', () => {
      mi250x();
      const cfg = config({ gpuIds: ['0'] });
      selectGpus(cfg);
      expect(cfg.recorded.at('warn')).toEqual([
        'GPU 0 (AMD Instinct MI250X) reads the energy of both dies of its package, GPU 0 and 1; GPU 1 is not tracked but its energy is counted.',
      ]);
    });
  });

  it('reads gfx activity as utilisation', () => {
    amd.addGpu('AMD Instinct MI300X', 'u-1');
    amd.setEnergy(0, 1, 1000);
    amd.setActivity(0, 64);
    expect(selectGpus(config()).sensors[0]?.utilisationPercent?.()).toBe(64);
  });

  it('treats an AMD SMI that does not initialise as "no AMD GPU", with one warning', () => {
    amd.addGpu('AMD Instinct MI300X', 'u-1');
    amd.failInit(NOT_INIT);
    const cfg = config();
    expect(selectGpus(cfg).count).toBe(0);
    selectGpus(cfg);
    expect(cfg.recorded.at('warn')).toEqual([
      `AMD SMI (${amd.path}) did not initialise: AMDSMI_STATUS_NOT_INIT: Device not initialized (AMD SMI status 32). AMD GPUs are not measured; check the amdgpu driver (amd-smi list).`,
    ]);
  });

  it('lists NVIDIA GPUs first, then AMD GPUs, on a machine with both', () => {
    const nvml = new FakeNvml();
    nvml.reset();
    nvml.addGpu('NVIDIA H200', 'GPU-8932f937-d72c-4106-c12f-20bd9faed9f6');
    amd.addGpu('AMD Instinct MI300X', '8cff74a1-0000-1000-80a6-b5bbb7ac1b1e');
    amd.setEnergy(0, 1, 1000);

    const both = selectGpus(config({ nvmlLibrary: nvml.path }));
    expect(both.devices.map((d) => [d.index, d.vendor])).toEqual([
      [0, 'nvidia'],
      [1, 'amd'],
    ]);
    expect(both).toMatchObject({
      count: 2,
      model: '1 x NVIDIA H200, 1 x AMD Instinct MI300X',
      method: 'nvml-energy+amdsmi-energy',
    });

    const amdOnly = selectGpus(config({ nvmlLibrary: nvml.path, gpuIds: ['8cff74a1'] }));
    expect(amdOnly.devices.filter((d) => d.tracked).map((d) => d.index)).toEqual([1]);
  });
});
