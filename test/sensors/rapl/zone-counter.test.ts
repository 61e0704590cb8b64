import { describe, expect, it } from 'vitest';
import { ZoneCounter } from '../../../src/sensors/rapl/zone-counter.js';

function counter(maxUj: number | undefined) {
  const dropped: string[] = [];
  return {
    counter: new ZoneCounter(maxUj, { dropped: (detail) => dropped.push(detail) }),
    dropped,
  };
}

describe('ZoneCounter', () => {
  it('counts the difference between consecutive reads over the whole interval', () => {
    const { counter: zone } = counter(1e12);
    zone.start(1_000_000, 0);

    expect(zone.step(31_000_000, 15)).toEqual({ deltaUj: 30_000_000, fromS: 0 });
    expect(zone.powerW).toBe(2);
  });

  it('treats a backwards counter as a wrap at max_energy_range_uj (100 → 10, max 105: 15 µJ)', () => {
    const { counter: zone, dropped } = counter(105);
    zone.start(100, 0);
    expect(zone.step(10, 1)?.deltaUj).toBe(15);
    expect(dropped).toEqual([]);
  });

  it('takes a plausible wrap of a real counter', () => {
    const maxUj = 262_143_328_850;
    const { counter: zone } = counter(maxUj);
    zone.start(maxUj - 4_000_000, 0);

    const step = zone.step(6_000_000, 2); // 4 J before the wrap, 6 J after, in 2 s
    expect(step?.deltaUj).toBe(10_000_000);
    expect(zone.powerW).toBe(5);
  });

  it('drops the interval when the implied power is implausible (a reset, not a wrap)', () => {
    const { counter: zone, dropped } = counter(262_143_328_850);
    zone.start(200_000_000_000, 999);
    zone.step(200_050_000_000, 1000); // 50 W

    // Back to 1 J after 1 s: as a wrap that would be ~62 kW, far above the plausible limit.
    expect(zone.step(1_000_000, 1001)).toBeUndefined();
    expect(zone.powerW).toBe(50);
    expect(dropped[0]).toMatch(/went back from 200050000000 to 1000000 µJ; as a wrap .* 62094 W/);

    // Counting resumes from the new value.
    expect(zone.step(3_000_000, 1002)).toEqual({ deltaUj: 2_000_000, fromS: 1001 });
  });

  it('drops the interval when the counter goes back and its range is unknown', () => {
    const { counter: zone, dropped } = counter(undefined);
    zone.start(50_000_000, 0);
    expect(zone.step(10_000_000, 1)).toBeUndefined();
    expect(dropped[0]).toMatch(/max_energy_range_uj is unknown/);
    expect(zone.step(12_000_000, 2)?.deltaUj).toBe(2_000_000);
  });

  it('keeps the previous good reading across a failed read (never taken as 0)', () => {
    const { counter: zone } = counter(1e12);
    zone.start(10_000_000, 0);
    zone.step(20_000_000, 1); // 10 W

    expect(zone.step(undefined, 2)).toBeUndefined();
    expect(zone.powerW).toBe(10);

    // The next good read covers both seconds.
    expect(zone.step(50_000_000, 3)).toEqual({ deltaUj: 30_000_000, fromS: 1 });
    expect(zone.powerW).toBe(15);
  });

  it('starts counting at the first good read when the baseline read failed', () => {
    const { counter: zone } = counter(1e12);
    zone.start(undefined, 0);
    expect(zone.step(5_000_000, 1)).toBeUndefined();
    expect(zone.step(7_000_000, 2)).toEqual({ deltaUj: 2_000_000, fromS: 1 });
  });
});
