import { describe, expect, it } from 'vitest';
import { dimmCount, isArm, ramPowerW } from '../../src/hardware/ram-model.js';

describe('dimmCount', () => {
  it.each([
    [1, 1],
    [2, 1],
    [4, 2],
    [8, 2],
    [15.5, 2],
    [16, 2],
    [16.1, 4],
    [32, 4],
    [64, 4],
    [96, 8],
    [128, 8],
    [129, 9],
    [130, 9],
    [200, 13],
    [256, 8],
    [384, 12],
    [512, 8],
    [768, 12],
    [1024, 8],
    [1500, 12],
    [2048, 16],
    [3000, 24],
    [4096, 32],
    [8192, 32],
  ])('estimates %f GiB as %i DIMMs', (gib, dimms) => {
    expect(dimmCount(gib)).toBe(dimms);
  });

  it('keeps CodeCarbon’s non-monotonic step above 128 GiB (200 GiB → 13, 256 GiB → 8)', () => {
    expect(dimmCount(200)).toBeGreaterThan(dimmCount(256));
  });

  it('treats unknown or empty sizes as one DIMM', () => {
    expect(dimmCount(0)).toBe(1);
    expect(dimmCount(-3)).toBe(1);
    expect(dimmCount(Number.NaN)).toBe(1);
  });
});

describe('ramPowerW on x86', () => {
  it.each([
    [1, 10],
    [8, 10],
    [16, 10],
    [16.1, 20],
    [32, 20],
    [64, 20],
    [64.1, 38],
    [128, 38],
    [129, 42],
    [130, 42],
    [200, 58],
    [256, 38],
    [384, 54],
    [512, 38],
    [768, 54],
    [1024, 38],
    [1500, 54],
    [2048, 70],
    [3000, 98],
    [4096, 126],
    [8192, 126],
  ])('models %f GiB at %f W', (gib, powerW) => {
    expect(ramPowerW(gib, 'x64')).toBeCloseTo(powerW, 9);
  });

  it('never goes below the two-DIMM minimum of 10 W, even for a tiny process tree', () => {
    expect(ramPowerW(0.01, 'x64')).toBe(10);
  });
});

describe('ramPowerW on ARM', () => {
  it.each([
    [1, 3],
    [4, 3],
    [16, 3],
    [32, 6],
    [64, 6],
    [128, 11.4],
    [256, 11.4],
  ])('models %f GiB at %f W', (gib, powerW) => {
    expect(ramPowerW(gib, 'arm64')).toBeCloseTo(powerW, 9);
  });
});

describe('isArm', () => {
  it('recognises arm and aarch architectures whatever the case', () => {
    expect(['arm', 'arm64', 'AArch64', 'ARMv7l'].map(isArm)).toEqual([true, true, true, true]);
    expect(['x64', 'ia32', 'ppc64', 's390x', ''].map(isArm)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
