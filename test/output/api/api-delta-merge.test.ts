import { describe, expect, it } from 'vitest';
import { mergeDeltas, nextGroup } from '../../../src/output/api/api-delta-merge.js';
import type { ApiDelta } from '../../../src/output/api/api-payloads.js';

function delta(durationS: number, energyKwh: number, cpuPowerW = 10): ApiDelta {
  return {
    timestamp: `t${durationS}`,
    duration_s: durationS,
    emissions_sum: energyKwh / 20,
    cpu_power: cpuPowerW,
    gpu_power: 0,
    ram_power: 5,
    cpu_energy: energyKwh,
    gpu_energy: 0,
    ram_energy: 0,
    energy_consumed: energyKwh,
    cpu_utilization_percent: 50,
    gpu_utilization_percent: 0,
    ram_utilization_percent: 10,
    wue: 0,
  };
}

const items = (...deltas: ApiDelta[]) => deltas.map((body, i) => ({ seq: i + 1, body }));

describe('nextGroup', () => {
  it('sends a delta of at least a second with energy on its own', () => {
    expect(nextGroup(items(delta(1, 1), delta(5, 5)), false)).toEqual({
      through: 1,
      delta: delta(1, 1),
    });
  });

  it('merges short deltas into the next one, and waits while they are not enough', () => {
    expect(nextGroup(items(delta(0.3, 1), delta(0.3, 1)), false)).toBeUndefined();
    const group = nextGroup(items(delta(0.3, 1), delta(0.3, 1), delta(0.5, 2)), false);
    expect(group?.through).toBe(3);
    expect(group?.delta?.duration_s).toBeCloseTo(1.1, 12);
    expect(group?.delta?.energy_consumed).toBe(4);
  });

  it('a delta without energy waits to be merged too', () => {
    expect(nextGroup(items(delta(3, 0)), false)).toBeUndefined();
    expect(nextGroup(items(delta(3, 0), delta(1, 2)), false)?.delta?.duration_s).toBe(4);
  });

  it('at the end of a run, what is left goes as one delta; nothing when it holds no energy', () => {
    expect(nextGroup(items(delta(0.3, 1), delta(0.2, 1)), true)).toMatchObject({
      through: 2,
      delta: { duration_s: 0.5, energy_consumed: 2 },
    });
    expect(nextGroup(items(delta(0.3, 0)), true)).toEqual({ through: 1, delta: undefined });
    expect(nextGroup([], true)).toBeUndefined();
  });
});

describe('mergeDeltas', () => {
  it('adds energies, emissions and durations; weights mean powers by duration; keeps the last timestamp', () => {
    const merged = mergeDeltas([delta(1, 1, 10), delta(3, 2, 30)]);
    expect(merged).toMatchObject({
      timestamp: 't3',
      duration_s: 4,
      energy_consumed: 3,
      cpu_energy: 3,
      emissions_sum: 1 / 20 + 2 / 20,
      cpu_power: 25,
      ram_power: 5,
    });
  });
});
