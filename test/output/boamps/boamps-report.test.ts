import { describe, expect, it } from 'vitest';
import { buildBoampsReport, startOf } from '../../../src/output/boamps/boamps-report.js';
import { makeRecord } from '../record-fixture.js';
import { boampsValidator, type ReportView } from './boamps-schema.js';

const TASK = {
  taskStage: 'inference',
  taskFamily: 'chat',
  algorithms: [{ foundationModelName: 'llama3.1-8b' }],
  dataset: [{ dataUsage: 'input', dataType: 'token' }],
};
const validate = boampsValidator();

describe('BoAmps report content', () => {
  it('a cloud GPU run: publicCloud with its provider, a GPU component and GPU measures', () => {
    const report = buildBoampsReport(
      makeRecord({
        cloudProvider: 'gcp',
        cloudRegion: 'europe-west9',
        onCloud: 'Y',
        gpuCount: 2,
        gpuModel: '2 x NVIDIA H100',
        gpuMethod: 'nvml-energy',
        cpuUtilizationPercent: 37.25,
        gpuUtilizationPercent: 81.5,
      }),
      { task: TASK },
      { cpuSockets: 2 },
    ) as unknown as ReportView;

    expect(validate(report)).toEqual([]);
    expect(report.infrastructure).toEqual({
      infraType: 'publicCloud',
      cloudProvider: 'gcp',
      components: [
        { componentType: 'cpu', componentName: 'Intel(R) Xeon(R) Processor', nbComponent: 2 },
        { componentType: 'gpu', componentName: '2 x NVIDIA H100', nbComponent: 2 },
        { componentType: 'ram', nbComponent: 1, memorySize: 23.540176391601562 },
      ],
    });
    expect(report.measures[0]).toMatchObject({
      gpuTrackingMode: 'nvml-energy',
      averageUtilizationCpu: 0.3725,
      averageUtilizationGpu: 0.815,
    });
  });

  it('leaves out what is unknown instead of writing null or ""', () => {
    const report = buildBoampsReport(
      makeRecord({ countryName: undefined, cpuModel: undefined, carbonIntensitySource: 'world' }),
      {},
      { cpuSockets: 1 },
    ) as unknown as ReportView;
    // No country: BoAmps requires one in `environment`, so the section is not written.
    expect(report).not.toHaveProperty('environment');
    expect(report.infrastructure.components[0]).toEqual({ componentType: 'cpu', nbComponent: 1 });
    expect(report.measures[0]).not.toHaveProperty('averageUtilizationCpu'); // 0 %: unknown
    expect(JSON.stringify(report)).not.toMatch(/null|""/);
  });

  it('keeps a latitude or longitude of 0', () => {
    const report = buildBoampsReport(
      makeRecord({ latitude: 0, longitude: 0 }),
      { task: TASK },
      { cpuSockets: 1 },
    ) as unknown as ReportView;
    expect(report.environment).toMatchObject({ country: 'France', latitude: 0, longitude: 0 });
  });

  it('user header values replace generated ones; publisher merges field by field', () => {
    const report = buildBoampsReport(
      makeRecord(),
      {
        task: TASK,
        header: {
          reportId: 'custom-id',
          formatVersion: '',
          publisher: { name: 'Lab', confidentialityLevel: 'internal', division: null },
        },
      },
      { cpuSockets: 1 },
    ) as unknown as ReportView;
    expect(report.header).toMatchObject({
      reportId: 'custom-id',
      formatVersion: '0.1', // an empty value does not replace
      publisher: { name: 'Lab', confidentialityLevel: 'internal' },
    });
    expect(validate(report)).toEqual([]);
  });

  it('the validator follows the $refs: a measure without powerConsumption is rejected', () => {
    const report = buildBoampsReport(
      makeRecord(),
      { task: TASK },
      { cpuSockets: 1 },
    ) as unknown as ReportView;
    const [measure] = report.measures as [Record<string, unknown>];
    const [cpu] = report.infrastructure.components as [Record<string, unknown>];
    delete measure.powerConsumption;
    cpu.nbComponent = 1.5;
    const errors = validate(report).map((e) => `${e.instancePath} ${e.message}`);
    expect(errors).toEqual([
      "/measures/0 must have required property 'powerConsumption'",
      '/infrastructure/components/0/nbComponent must be integer',
    ]);
  });

  it('measurementDateTime is when the measurement began, across midnight too', () => {
    expect(startOf('2026-01-01T00:00:30', 90)).toBe('2025-12-31 23:59:00');
    expect(startOf('2026-12-03T12:34:14', 2.2544)).toBe('2026-12-03 12:34:11');
  });
});
