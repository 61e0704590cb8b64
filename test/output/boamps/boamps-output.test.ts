import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startOf } from '../../../src/output/boamps/boamps-report.js';
import type { EmissionsData } from '../../../src/records/emissions-data.js';
import { fakeKwh, makeTracker } from '../prometheus/tracker-setup.js';
import { boampsValidator, type ReportView } from './boamps-schema.js';

const CONTEXT_FILE = join(import.meta.dirname, 'fixtures', 'context.json');
const validate = boampsValidator();

function readReport(dir: string, runId: string): ReportView {
  return JSON.parse(readFileSync(join(dir, `boamps_report_${runId}.json`), 'utf8')) as ReportView;
}

describe('BoAmps report output', () => {
  it('writes boamps_report_<run_id>.json that validates against the BoAmps schemas', async () => {
    const { tracker, clock, dir, messages } = makeTracker({
      outputMethods: ['boamps'],
      boampsContextFile: CONTEXT_FILE,
    });
    tracker.start();
    clock.advance(90);
    await tracker.stop();

    const report = readReport(dir, tracker.runId);
    expect(validate(report)).toEqual([]);
    const total = tracker.finalEmissionsData as EmissionsData;
    expect(report.header).toEqual({
      formatVersion: '0.1',
      formatVersionSpecificationUri: 'https://github.com/Boavizta/BoAmps/tree/main/model',
      reportId: tracker.runId,
      reportDatetime: total.timestamp.replace('T', ' '),
      licensing: 'CC-BY-4.0',
      reportStatus: 'final',
      publisher: { name: 'Example Org', confidentialityLevel: 'public' },
    });
    expect(report.measures).toHaveLength(1);
    expect(report.measures[0]).toMatchObject({
      measurementMethod: 'codecarbon',
      version: total.codecarbonVersion,
      cpuTrackingMode: 'fake-cpu',
      measurementDuration: 90,
      measurementDateTime: startOf(total.timestamp, 90),
    });
    expect(report.measures[0]?.powerConsumption).toBeCloseTo(fakeKwh(90), 15);
    expect(report.measures[0]).not.toHaveProperty('gpuTrackingMode'); // no GPU
    expect(report.software).toEqual({ language: 'javascript', version: total.pythonVersion });
    expect(report.software.version).toMatch(/^(node|bun|deno)-\d/);
    expect(report.system).toEqual({ os: total.os });
    expect(report.task.taskStage).toBe('inference');
    expect(report.quality).toBe('high');
    expect(report.environment).toMatchObject({
      country: 'France',
      location: 'Paris',
      powerSupplierType: 'public',
    });
    expect(report.environment.powerSourceCarbonIntensity).toBeCloseTo(56.039, 3);

    // The user's CPU entry is merged into the detected one; the SSD is kept; RAM comes after.
    expect(report.infrastructure.infraType).toBe('onPremise');
    expect(report.infrastructure.components.map((c) => c.componentType)).toEqual([
      'cpu',
      'ssd',
      'ram',
    ]);
    expect(report.infrastructure.components[0]).toMatchObject({
      componentName: total.cpuModel,
      manufacturer: 'Intel',
      share: 0.5,
    });
    expect(report.infrastructure.components[0]?.nbComponent).toBeGreaterThanOrEqual(1);
    expect(report.infrastructure.components[2]).toEqual({
      componentType: 'ram',
      nbComponent: 1,
      memorySize: total.ramTotalSize,
    });
    expect(messages).toContain(
      `info: BoAmps report saved to ${join(dir, `boamps_report_${tracker.runId}.json`)}`,
    );
  });

  it('rewrites the same file at every flush and stop, ending with the run total', async () => {
    const { tracker, clock, dir } = makeTracker({
      outputMethods: ['boamps'],
      boampsContextFile: CONTEXT_FILE,
    });
    tracker.start();
    clock.advance(60);
    await tracker.flush();
    expect(readReport(dir, tracker.runId).measures[0]?.measurementDuration).toBe(60);
    clock.advance(30);
    await tracker.stop();

    expect(readdirSync(dir).filter((name) => name.startsWith('boamps_report_'))).toEqual([
      `boamps_report_${tracker.runId}.json`,
    ]);
    expect(readReport(dir, tracker.runId).measures[0]?.measurementDuration).toBe(90);
    expect(readdirSync(dir).some((name) => name.endsWith('.tmp'))).toBe(false);
  });

  it('without a task it warns once: the report is then invalid for that reason only', async () => {
    const { tracker, clock, dir, messages } = makeTracker({ outputMethods: ['boamps'] });
    tracker.start();
    clock.advance(10);
    await tracker.flush();
    await tracker.stop();

    expect(messages.filter((m) => m.startsWith('warn:'))).toEqual([
      expect.stringContaining('BoAmps reports need a task'),
    ]);
    const errors = validate(readReport(dir, tracker.runId));
    expect(errors.map((e) => `${e.keyword} ${JSON.stringify(e.params)}`)).toEqual([
      'required {"missingProperty":"task"}',
    ]);
  });

  it('boampsContext (an object) wins over the file', async () => {
    const { tracker, clock, dir } = makeTracker({
      outputMethods: ['boamps'],
      boampsContextFile: CONTEXT_FILE,
      boampsContext: {
        task: {
          taskStage: 'training',
          taskFamily: 'image generation',
          algorithms: [{ algorithmName: 'diffusion' }],
          dataset: [{ dataUsage: 'input', dataType: 'image' }],
        },
      },
    });
    tracker.start();
    clock.advance(10);
    await tracker.stop();
    const report = readReport(dir, tracker.runId);
    expect(validate(report)).toEqual([]);
    expect(report.task.taskStage).toBe('training');
    expect(report).not.toHaveProperty('quality');
  });

  it('a missing, malformed or mis-shaped context file is a ConfigError at construction', () => {
    const { dir } = makeTracker({ outputMethods: [] });
    expect(() =>
      makeTracker({ outputMethods: ['boamps'], boampsContextFile: join(dir, 'missing.json') }),
    ).toThrow(
      /Invalid boamps_context_file ".*missing\.json" from option boampsContextFile: .*ENOENT/,
    );

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "task": ');
    expect(() => makeTracker({ outputMethods: ['boamps'], boampsContextFile: bad })).toThrow(
      /not valid JSON/,
    );
    writeFileSync(bad, '{ "tasks": {} }');
    expect(() => makeTracker({ outputMethods: ['boamps'], boampsContextFile: bad })).toThrow(
      /has unknown key\(s\) tasks/,
    );
    expect(() =>
      makeTracker({ outputMethods: ['boamps'], boampsContext: { task: 'inference' } }),
    ).toThrow(/boamps_context has a task that is not an object/);
  });

  it('a write failure after construction is logged once and never thrown', async () => {
    const { tracker, clock, dir, messages } = makeTracker({
      outputMethods: ['boamps'],
      boampsContextFile: CONTEXT_FILE,
    });
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');
    tracker.start();
    clock.advance(10);
    await expect(tracker.flush()).resolves.toBeGreaterThan(0);
    await tracker.stop();

    const errors = messages.filter((m) => m.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('could not be written');
    expect(existsSync(join(dir, `boamps_report_${tracker.runId}.json`))).toBe(false);
    rmSync(dir);
  });
});
