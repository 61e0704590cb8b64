import { describe, expect, it } from 'vitest';
import { combinedMethod, gpuModel } from '../../../src/sensors/gpu/gpu-summary.js';

describe('gpu summary', () => {
  it('groups GPU names in first-seen order, separated by ", "', () => {
    expect(gpuModel(['NVIDIA H200', 'NVIDIA H200'])).toBe('2 x NVIDIA H200');
    expect(gpuModel(['NVIDIA A100', 'Tesla T4', 'NVIDIA A100'])).toBe(
      '2 x NVIDIA A100, 1 x Tesla T4',
    );
    expect(gpuModel([])).toBe('');
  });

  it('names one method, or each distinct method joined by + in a fixed order', () => {
    expect(combinedMethod(['nvml-energy', 'nvml-energy'])).toBe('nvml-energy');
    expect(combinedMethod(['nvml-power', 'nvml-energy', 'nvml-power'])).toBe(
      'nvml-energy+nvml-power',
    );
    expect(combinedMethod([])).toBe('none');
  });
});
