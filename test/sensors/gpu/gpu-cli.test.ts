import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runCli, sandbox } from '../../helpers/cli.js';
import { compileFake, gccAvailable } from './fake-libraries.js';

/**
 * The CLI end to end on the fake NVML: a separate process, so the fake is scripted through
 * FAKE_NVML_GPUS (GPUs drawing constant powers, counters advancing with the clock).
 */
describe.skipIf(!gccAvailable)('codecarbon with NVIDIA GPUs (fake NVML)', () => {
  let library: string;

  beforeAll(() => {
    library = compileFake('fake-nvml');
  });

  function box(gpus: string, extra: Record<string, string> = {}) {
    const sandboxed = sandbox();
    delete sandboxed.env.CUDA_VISIBLE_DEVICES;
    delete sandboxed.env.ROCR_VISIBLE_DEVICES;
    Object.assign(sandboxed.env, { FAKE_NVML_GPUS: gpus, CODECARBON_NVML_LIBRARY: library }, extra);
    return sandboxed;
  }

  it('detect --json lists every GPU with index, UUID, power limit, tracked and method', async () => {
    const result = await runCli(
      ['detect', '--json'],
      box('NVIDIA H200=GPU-8932f937-d72c@120;NVIDIA L4=GPU-4e817856-1fb8@30', {
        CUDA_VISIBLE_DEVICES: 'GPU-4e81',
      }),
    );

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.gpu).toMatchObject({
      count: 1,
      model: '1 x NVIDIA L4',
      method: 'nvml-energy',
      description: '1 of 2 GPUs tracked (from CUDA_VISIBLE_DEVICES)',
    });
    expect(
      report.gpu.devices.map((d: Record<string, unknown>) => [
        d.index,
        d.uuid,
        d.powerLimitW,
        d.tracked,
        d.method,
      ]),
    ).toEqual([
      [0, 'GPU-8932f937-d72c', 300, false, 'nvml-energy'],
      [1, 'GPU-4e817856-1fb8', 300, true, 'nvml-energy'],
    ]);
  });

  it('monitor writes the GPU energy, count and model of the tracked GPU', async () => {
    const sandboxed = box('NVIDIA H200=GPU-8932f937-d72c@120');
    const result = await runCli(
      [
        'monitor',
        '--offline',
        '--country-iso-code',
        'FRA',
        '--',
        process.execPath,
        '-e',
        'setTimeout(() => {}, 1500)',
      ],
      sandboxed,
    );

    expect(result.code).toBe(0);
    const [row] = readCsv(join(sandboxed.dir, 'emissions.csv'));
    expect(row).toMatchObject({ gpu_count: '1', gpu_model: '1 x NVIDIA H200' });
    // The fake draws 120 W. The record's duration and the GPU readings are taken a few
    // milliseconds apart, hence the 5 % tolerance on the mean power.
    const meanW = (Number(row?.gpu_energy) * 3.6e6) / Number(row?.duration);
    expect(meanW).toBeGreaterThan(114);
    expect(meanW).toBeLessThan(126);
  });
});
