import { describe, expect, it } from 'vitest';
import {
  isoTimestamp,
  toApiDelta,
  toEmissionBody,
  toRunBody,
} from '../../../src/output/api/api-payloads.js';
import { makeRecord } from '../record-fixture.js';

describe('API payloads', () => {
  it('timestamps keep the local time and add microseconds and the UTC offset of that time', () => {
    const iso = isoTimestamp('2026-12-03T12:34:13');
    expect(iso).toMatch(/^2026-12-03T12:34:13\.000000[+-]\d{2}:\d{2}$/);
    const local = new Date(2026, 11, 3, 12, 34, 13);
    expect(Date.parse(iso)).toBe(local.getTime());
  });

  it('the run carries the runtime version where CodeCarbon puts Python’s, and the hardware', () => {
    const record = makeRecord({ cpuModel: undefined, gpuModel: '' });
    expect(toRunBody(record, 'exp-1')).toEqual({
      timestamp: isoTimestamp(record.timestamp),
      experiment_id: 'exp-1',
      os: record.os,
      python_version: 'node-20.20.2',
      codecarbon_version: record.codecarbonVersion,
      cpu_count: 2,
      cpu_model: null,
      gpu_count: 0,
      gpu_model: null,
      longitude: null,
      latitude: null,
      region: null,
      provider: null,
      ram_total_size: record.ramTotalSize,
      tracking_mode: 'machine',
    });
  });

  it('an emission has whole seconds (at least 1), the rate over the exact duration, and no NaN', () => {
    const delta = toApiDelta(
      makeRecord({ duration: 2.6, emissions: 2.6e-6, cpuPower: Number.NaN }),
    );
    const body = toEmissionBody(delta, 'server-run');
    expect(body).toMatchObject({ run_id: 'server-run', duration: 3, cpu_power: 0 });
    expect(body.emissions_rate).toBeCloseTo(1e-6, 18);
    expect(toEmissionBody({ ...delta, duration_s: 0.2 }, 'r').duration).toBe(1);
    expect(JSON.stringify(body)).not.toMatch(/NaN|null/);
  });
});
