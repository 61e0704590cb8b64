import type { ChildProcess } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { ConstantPowerSensor } from '../../../src/sensors/constant-power-sensor.js';
import {
  isAppleSilicon,
  powermetricsCpuSensor,
  powermetricsGpuSensor,
} from '../../../src/sensors/powermetrics/powermetrics-selection.js';
import {
  POWERMETRICS_ARGS,
  PowermetricsStream,
} from '../../../src/sensors/powermetrics/powermetrics-stream.js';
import { recordingLogger } from '../rapl/fake-powercap.js';

const fallback = new ConstantPowerSensor('cpu', 5, 'tdp-load-model', 'model');

function where() {
  const { logger, lines } = recordingLogger();
  return { where: { root: '/', logger }, lines, logger };
}

describe('isAppleSilicon', () => {
  it('matches Apple M-series brands only', () => {
    expect(['Apple M1', 'Apple M3 Ultra', 'Apple M10'].map(isAppleSilicon)).toEqual([
      true,
      true,
      true,
    ]);
    const others = ['Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz', 'SuperM2000 Processor', 'M2fast'];
    expect([...others, '', undefined].map(isAppleSilicon)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('powermetricsCpuSensor', () => {
  it('is used on Apple Silicon when `sudo -n powermetrics` works', () => {
    const { where: at, logger } = where();
    const stream = new PowermetricsStream(logger, () => ({}) as ChildProcess);
    const sensor = powermetricsCpuSensor('Apple M1', at, fallback, {
      platform: 'darwin',
      probe: () => true,
      stream,
    });
    expect(sensor?.method).toBe('powermetrics');
    expect(sensor?.component).toBe('cpu');
    const gpu = powermetricsGpuSensor('Apple M1', at, {
      platform: 'darwin',
      probe: () => true,
      stream,
    });
    expect(gpu?.component).toBe('gpu');
  });

  it('says once how to allow it, and is not used, when sudo needs a password', () => {
    const { where: at, lines } = where();
    const options = { platform: 'darwin' as const, probe: () => false };
    expect(powermetricsCpuSensor('Apple M2 Pro', at, fallback, options)).toBeUndefined();
    expect(powermetricsCpuSensor('Apple M2 Pro', at, fallback, options)).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.text).toContain('NOPASSWD: /usr/bin/powermetrics');
  });

  it('never probes an Intel Mac, another platform or a fake root', () => {
    const probe = vi.fn(() => true);
    const { where: at } = where();
    const intelBrand = 'Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz';
    expect(powermetricsCpuSensor(intelBrand, at, fallback, { platform: 'darwin', probe })).toBe(
      undefined,
    );
    expect(powermetricsCpuSensor('Apple M1', at, fallback, { platform: 'linux', probe })).toBe(
      undefined,
    );
    const fakeRoot = { ...at, root: '/tmp/fake' };
    expect(
      powermetricsCpuSensor('Apple M1', fakeRoot, fallback, { platform: 'darwin', probe }),
    ).toBe(undefined);
    expect(probe).not.toHaveBeenCalled();
  });

  it('streams through `sudo -n`, line-buffered, so no read waits and no prompt appears', () => {
    expect(POWERMETRICS_ARGS.slice(0, 2)).toEqual(['-n', 'powermetrics']);
    expect(POWERMETRICS_ARGS.join(' ')).toContain('--samplers cpu_power -i 1000 -b 1');
  });
});
