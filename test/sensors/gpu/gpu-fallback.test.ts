import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { selectGpus } from '../../../src/sensors/gpu-selection.js';
import type { EnergySensor } from '../../../src/sensors/sensor.js';
import { FakeNvml, gccAvailable, gpuConfig } from './fake-libraries.js';

const GPU_IS_LOST = 15;

describe.skipIf(!gccAvailable)('a GPU whose NVML readings start failing mid-run', () => {
  let nvml: FakeNvml;

  beforeAll(() => {
    nvml = new FakeNvml();
  });

  beforeEach(() => {
    nvml.reset();
  });

  /** Two H100s at 1,000,000 mJ and 100 W; GPU 1 is the one that fails. */
  function twoGpus() {
    for (const uuid of ['GPU-aaaa', 'GPU-bbbb']) {
      const gpu = nvml.addGpu('NVIDIA H100', uuid);
      nvml.setEnergyMj(gpu, 1_000_000);
      nvml.setPowerMw(gpu, 100_000);
      nvml.setLimitMw(gpu, 700_000);
    }
    const config = gpuConfig({ nvmlLibrary: nvml.path });
    const selection = selectGpus(config);
    const [first, second] = selection.sensors as [EnergySensor, EnergySensor];
    first.start(0);
    second.start(0);
    return { first, second, config };
  }

  it('stops counting a GPU that answers neither energy nor power three times in a row', () => {
    const { first, second, config } = twoGpus();
    nvml.addEnergyMj(0, 1_000_000);
    nvml.addEnergyMj(1, 2_000_000);
    expect([first.read(10), second.read(10)]).toEqual([
      { energyJ: 1000, powerW: 100 },
      { energyJ: 2000, powerW: 200 },
    ]);

    nvml.fail(1, 'energy', GPU_IS_LOST);
    nvml.fail(1, 'power', GPU_IS_LOST);
    const energies = [20, 30, 40, 50].map((second_) => {
      nvml.addEnergyMj(0, 1_000_000);
      return [first.read(second_).energyJ, second.read(second_).energyJ];
    });

    // GPU 0 goes on; GPU 1 keeps its 2000 J and adds nothing, never its last power forever.
    expect(energies).toEqual([
      [2000, 2000],
      [3000, 2000],
      [4000, 2000],
      [5000, 2000],
    ]);
    expect([first.method, second.method]).toEqual([
      'nvml-energy',
      'none (after nvml-energy failed)',
    ]);
    expect(second.description).toBe(
      'GPU 1: NVIDIA H100, not counted (0 W), after nvml-energy failed (neither energy nor power could be read)',
    );
    expect(config.recorded.at('warn')).toEqual([
      'GPU 1 (NVIDIA H100): its energy counter could not be read; power readings are used meanwhile.',
      'GPU 1 (NVIDIA H100): neither energy nor power could be read; its last known power is used meanwhile.',
      "GPU measurement failed 3 times in a row (GPU 1: NVIDIA H100 (GPU-bbbb), NVML energy counter, power limit 700 W, nvml-energy): neither energy nor power could be read. From now on GPU 1's energy is not counted; the 2000 J measured until then are kept. Check the GPU and its driver with nvidia-smi, then start a new run to measure it again.",
    ]);
  });

  it('keeps the energy-counter method while power readings fill in for a failing counter', () => {
    const { second } = twoGpus();
    nvml.fail(1, 'energy', GPU_IS_LOST);
    nvml.setPowerMw(1, 150_000);
    const energies = [10, 20, 30, 40].map((time) => second.read(time).energyJ);
    expect(energies).toEqual([1500, 3000, 4500, 6000]);
    expect(second.method).toBe('nvml-energy');
  });

  it('a GPU that answers again after two failed reads is still measured', () => {
    const { second } = twoGpus();
    nvml.addEnergyMj(1, 1_000_000);
    second.read(10); // 100 W
    nvml.fail(1, 'energy', GPU_IS_LOST);
    nvml.fail(1, 'power', GPU_IS_LOST);
    expect([second.read(20).energyJ, second.read(30).energyJ]).toEqual([1000, 1000]);

    nvml.fail(1, 'energy', 0);
    nvml.fail(1, 'power', 0);
    // The two failed intervals at the last known 100 W, then a power reading (the counter
    // needs a new baseline).
    expect(second.read(40)).toEqual({ energyJ: 4000, powerW: 100 });
    expect(second.method).toBe('nvml-energy');
  });
});
