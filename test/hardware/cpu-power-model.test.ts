import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cpuPowerFromLoadW,
  loadCurveFactor,
  unknownCpuTdpW,
} from '../../src/hardware/cpu-power-model.js';

describe('loadCurveFactor', () => {
  it.each([
    [0, 0.1],
    [0.1, 0.1009],
    [0.25, 0.1140625],
    [0.5, 0.2125],
    [0.75, 0.4796875],
    [0.9, 0.7561],
    [1, 1],
  ])('gives CodeCarbon’s factor at utilisation %f: %f', (utilisation, factor) => {
    expect(loadCurveFactor(utilisation)).toBeCloseTo(factor, 12);
  });

  it('clamps utilisation outside [0, 1] and treats NaN as idle', () => {
    expect(loadCurveFactor(-0.5)).toBe(0.1);
    expect(loadCurveFactor(3)).toBe(1);
    expect(loadCurveFactor(Number.NaN)).toBe(0.1);
    expect(loadCurveFactor(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('is non-decreasing and stays within [0.1, 1] for any number', () => {
    const utilisation = fc.double({ noNaN: true });
    fc.assert(
      fc.property(utilisation, utilisation, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lowFactor = loadCurveFactor(low);
        const highFactor = loadCurveFactor(high);
        return lowFactor >= 0.1 && highFactor <= 1 && lowFactor <= highFactor;
      }),
    );
  });
});

describe('cpuPowerFromLoadW', () => {
  it('scales the TDP by the load curve: 65 W at 50 % draws 13.8125 W', () => {
    expect(cpuPowerFromLoadW(65, 0.5)).toBeCloseTo(13.8125, 12);
  });

  it('draws 10 % of the TDP when idle and the full TDP at full load', () => {
    expect(cpuPowerFromLoadW(85, 0)).toBeCloseTo(8.5, 12);
    expect(cpuPowerFromLoadW(85, 1)).toBe(85);
  });
});

describe('unknownCpuTdpW', () => {
  it('assumes 4 W per logical CPU (8 threads → 32 W)', () => {
    expect(unknownCpuTdpW(8)).toBe(32);
    expect(unknownCpuTdpW(64)).toBe(256);
  });
});
