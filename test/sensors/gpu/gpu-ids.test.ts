import { describe, expect, it } from 'vitest';
import {
  type GpuIdentity,
  requestedGpuIds,
  resolveGpuIds,
  splitDeviceList,
} from '../../../src/sensors/gpu/gpu-ids.js';

const A = 'GPU-8932f937-d72c-4106-c12f-20bd9faed9f6';
const B = 'GPU-8932aaaa-0000-4106-c12f-20bd9faed9f6';
const C = 'GPU-4e817856-1fb8-192a-7ab7-0e0e4476c184';
const MIG_C1 = 'MIG-1c2d3e4f-0000-5555-aaaa-bbbbccccdddd';
const MIG_C2 = 'MIG-9f8e7d6c-0000-5555-aaaa-bbbbccccdddd';

function gpu(uuid: string | undefined, migs: string[] = []): GpuIdentity {
  return { uuid, migUuids: () => migs };
}

const THREE = [gpu(A), gpu(B), gpu(C, [MIG_C1, MIG_C2])];

function indices(ids: string[], devices = THREE): number[] {
  return resolveGpuIds(ids, devices).indices;
}

describe('requestedGpuIds', () => {
  it('takes gpu_ids first, then CUDA_VISIBLE_DEVICES, then ROCR_VISIBLE_DEVICES', () => {
    const env = { CUDA_VISIBLE_DEVICES: '2, 3', ROCR_VISIBLE_DEVICES: '1, 2' };
    expect(requestedGpuIds(['0'], env)).toEqual({ source: 'gpu_ids', ids: ['0'] });
    expect(requestedGpuIds(undefined, env)).toEqual({
      source: 'CUDA_VISIBLE_DEVICES',
      ids: ['2', '3'],
    });
    expect(requestedGpuIds(undefined, { ROCR_VISIBLE_DEVICES: '1, 2' })).toEqual({
      source: 'ROCR_VISIBLE_DEVICES',
      ids: ['1', '2'],
    });
    expect(requestedGpuIds(undefined, {})).toBeUndefined();
  });

  it('reads an empty variable as "no GPU", as CUDA does (upstream ignores it)', () => {
    expect(requestedGpuIds(undefined, { CUDA_VISIBLE_DEVICES: '' })).toEqual({
      source: 'CUDA_VISIBLE_DEVICES',
      ids: [],
    });
    expect(requestedGpuIds([], { CUDA_VISIBLE_DEVICES: '0' })).toEqual({
      source: 'gpu_ids',
      ids: [],
    });
  });

  it('splits lists written with spaces, brackets or quotes', () => {
    expect(splitDeviceList(' 0, 1 ,2')).toEqual(['0', '1', '2']);
    expect(splitDeviceList('[0, 1]')).toEqual(['0', '1']);
    expect(splitDeviceList('(0, 1)')).toEqual(['0', '1']);
    expect(splitDeviceList('"GPU-ab", \'1\'')).toEqual(['GPU-ab', '1']);
    expect(splitDeviceList('0,,1,')).toEqual(['0', '1']);
  });
});

describe('resolveGpuIds', () => {
  it('keeps upstream results for indices and ids (spec §14.2 item 10)', () => {
    const two = [gpu('uuid-1'), gpu('uuid-2')];
    expect(indices(['0', '1'], two)).toEqual([0, 1]);
    expect(indices(['0', '1', '2'], two)).toEqual([0, 1]);
    expect(indices(['2'], two)).toEqual([]);
    expect(indices(['uuid-1'], two)).toEqual([0]);
    expect(indices(['uuid-1', 'uuid-2'], two)).toEqual([0, 1]);
    expect(indices(['uuid-3'], two)).toEqual([]);
  });

  it('matches real NVIDIA UUIDs, in full or by a unique prefix, with or without GPU-', () => {
    // Upstream strips the characters G, P, U from "GPU-…" and matches nothing (§2.4 [BUG]).
    expect(indices([A])).toEqual([0]);
    expect(indices([C.toUpperCase()])).toEqual([2]);
    expect(indices(['GPU-4e81'])).toEqual([2]);
    expect(indices(['4e817856-1fb8'])).toEqual([2]);
  });

  it('treats an ambiguous UUID prefix as naming no GPU', () => {
    const result = resolveGpuIds(['GPU-8932'], THREE);
    expect(result.indices).toEqual([]);
    expect(result.invalid).toBe('GPU-8932');
  });

  it('resolves a MIG slice to its parent GPU and marks it shared', () => {
    const modern = resolveGpuIds([MIG_C2], THREE);
    expect(modern.indices).toEqual([2]);
    expect([...modern.viaMig]).toEqual([2]);

    expect(indices(['MIG-1c2d'])).toEqual([2]);
    expect(indices([`MIG-${C}/1/0`])).toEqual([2]);
    expect(indices(['MIG-uuid-1'], [gpu('uuid-1')])).toEqual([]);
  });

  it('mixes forms, deduplicates and sorts', () => {
    const result = resolveGpuIds(['2', MIG_C1, A, '0', 'GPU-4e81'], THREE);
    expect(result.indices).toEqual([0, 2]);
    expect([...result.viaMig]).toEqual([2]);
    expect(result.invalid).toBeUndefined();
  });

  it('ends the list at the first entry that names no GPU, as CUDA does', () => {
    expect(resolveGpuIds(['1', 'GPU-dead', '0'], THREE)).toMatchObject({
      indices: [1],
      invalid: 'GPU-dead',
      ignored: ['0'],
    });
    expect(resolveGpuIds(['0', '7', '1'], THREE)).toMatchObject({
      indices: [0],
      invalid: '7',
      ignored: ['1'],
    });
  });

  it('reads -1 and an empty list as "no GPU"', () => {
    expect(resolveGpuIds(['-1'], THREE)).toMatchObject({ indices: [], invalid: '-1', ignored: [] });
    expect(resolveGpuIds([], THREE)).toMatchObject({ indices: [], invalid: undefined });
  });

  it('ignores devices whose UUID could not be read', () => {
    expect(indices(['GPU-4e81'], [gpu(undefined), gpu(C)])).toEqual([1]);
  });
});
