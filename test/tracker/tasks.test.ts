import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { trackTaskEmissions } from '../../src/api/track-task.js';
import type { OutputHandler } from '../../src/output/handler.js';
import { TASK_CSV_COLUMNS } from '../../src/output/task-csv.js';
import type { EmissionsData, TaskEmissionsData } from '../../src/records/emissions-data.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { ConstantFakeSensor, ManualClock } from '../helpers/fakes.js';

function setup(options: Record<string, unknown> = {}, clock?: ManualClock) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-tasks-'));
  const tracker = new OfflineEmissionsTracker(
    {
      countryIsoCode: 'FRA',
      outputDir: dir,
      logLevel: 'error',
      installExitHandlers: false,
      ...options,
    },
    {
      env: {},
      cwd: dir,
      homeDir: dir,
      lockDir: dir,
      sensors: [new ConstantFakeSensor('cpu', 20), new ConstantFakeSensor('ram', 5)],
      clock: clock?.read,
    },
  );
  return { tracker, dir };
}

const joules = (record: EmissionsData) => record.energyConsumed * 3_600_000;

describe('tasks', () => {
  it('overlapping tasks each cover exactly their own interval', async () => {
    const clock = new ManualClock();
    const { tracker } = setup({}, clock);
    tracker.start();

    clock.advance(10);
    const load = tracker.startTask('load') as string;
    clock.advance(4);
    const infer = tracker.startTask('infer') as string;
    clock.advance(6);
    const loadRecord = tracker.stopTask(load) as TaskEmissionsData;
    clock.advance(2);
    const inferRecord = tracker.stopTask(infer) as TaskEmissionsData;
    clock.advance(3);
    await tracker.stop();

    expect(loadRecord.taskName).toBe('load');
    expect(loadRecord.duration).toBeCloseTo(10, 9);
    expect(joules(loadRecord)).toBeCloseTo(25 * 10, 9);
    expect(inferRecord.duration).toBeCloseTo(8, 9);
    expect(joules(inferRecord)).toBeCloseTo(25 * 8, 9);
    // The run's own duration is not reset by tasks.
    expect(tracker.finalEmissionsData?.duration).toBeCloseTo(25, 9);
  });

  it('a 50 ms task has non-zero energy (its ends are real readings, not timer ticks)', async () => {
    const { tracker } = setup({ measurePowerSecs: 60 });
    tracker.start();
    const name = tracker.startTask('short') as string;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const record = tracker.stopTask(name) as TaskEmissionsData;
    await tracker.stop();

    expect(record.duration).toBeGreaterThanOrEqual(0.045);
    expect(joules(record)).toBeCloseTo(25 * record.duration, 9);
    expect(record.emissions).toBeGreaterThan(0);
  });

  it('names: a random one when none is given, a suffix when one is taken', () => {
    const { tracker } = setup();
    const first = tracker.startTask('step') as string;
    const second = tracker.startTask('step') as string;
    const anonymous = tracker.startTask() as string;
    expect(first).toBe('step');
    expect(second).toMatch(/^step_[0-9a-f-]{36}$/);
    expect(anonymous).toMatch(/^[0-9a-f-]{36}$/);
    expect(tracker.stopTask()?.taskName).toBe(anonymous); // the latest running task
    void tracker.stop();
  });

  it('a name that is not a string (from plain JavaScript) is said once and replaced by a random one', () => {
    const warnings: string[] = [];
    const { tracker } = setup({
      logLevel: 'warning',
      logger: { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} },
    });
    const name = tracker.startTask({} as unknown as string) as string;
    expect(name).toMatch(/^[0-9a-f-]{36}$/);
    expect(warnings).toEqual([
      'startTask(): a task name is a string, not object; using a random one.',
    ]);
    void tracker.stop();
  });

  it('stopTask() of an unknown task warns and returns undefined', () => {
    const { tracker } = setup();
    tracker.start();
    expect(tracker.stopTask('never-started')).toBeUndefined();
    void tracker.stop();
  });

  it('periodic outputs keep going during tasks; taskOut gets every task at stop', async () => {
    const live: EmissionsData[] = [];
    let tasksOut: TaskEmissionsData[] = [];
    const handler: OutputHandler = {
      liveOut: (total) => void live.push(total),
      taskOut: (tasks) => {
        tasksOut = tasks;
      },
    };
    const { tracker } = setup({
      measurePowerSecs: 0.02,
      apiCallInterval: 1,
      outputHandlers: [handler],
      saveToFile: false,
    });
    tracker.start();
    tracker.startTask('a');
    await new Promise((resolve) => setTimeout(resolve, 120));
    tracker.stopTask('a');
    tracker.startTask('b'); // still running at stop: ended by stop()
    await new Promise((resolve) => setTimeout(resolve, 60));
    await tracker.stop();

    expect(live.length).toBeGreaterThanOrEqual(3);
    expect(tasksOut.map((task) => task.taskName)).toEqual(['a', 'b']);
    expect(tasksOut[1]?.duration).toBeGreaterThan(0.05);
  });

  it('writes the task CSV with complete rows, utilisation included', async () => {
    const clock = new ManualClock();
    const { tracker, dir } = setup({ experimentName: 'bench' }, clock);
    tracker.start();
    tracker.startTask('model_loading');
    clock.advance(2);
    tracker.stopTask();
    tracker.startTask('inference_0');
    clock.advance(1);
    tracker.stopTask();
    await tracker.stop();

    const text = readFileSync(join(dir, `emissions_bench_${tracker.runId}.csv`), 'utf8');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(text.split('\n')[0]).toBe(TASK_CSV_COLUMNS.join(','));
    expect(rows.map((row) => row.task_name)).toEqual(['model_loading', 'inference_0']);
    for (const row of rows) {
      expect(Object.keys(row)).toHaveLength(TASK_CSV_COLUMNS.length);
      expect(row.cpu_utilization_percent).not.toBe('');
      expect(row.ram_utilization_percent).not.toBe('');
    }
    expect(Number(rows[0]?.duration)).toBeCloseTo(2, 9);
  });
});

describe('trackTaskEmissions', () => {
  it('runs each call of a function as a task of the given tracker', async () => {
    const { tracker } = setup();
    const records: TaskEmissionsData[] = [];
    const infer = trackTaskEmissions(async (x: number) => x + 1, {
      tracker,
      taskName: 'infer',
      onRecord: (record) => void records.push(record),
    });
    expect(await infer(1)).toBe(2);
    expect(await infer(2)).toBe(3);
    await tracker.stop();
    expect(records.map((record) => record.taskName)).toEqual([
      'infer',
      expect.stringMatching(/^infer_/),
    ]);
  });

  it('ends the task when the function throws', () => {
    const { tracker } = setup();
    const records: TaskEmissionsData[] = [];
    const boom = trackTaskEmissions(
      () => {
        throw new Error('boom');
      },
      { tracker, onRecord: (record) => void records.push(record) },
    );
    expect(() => boom()).toThrow('boom');
    expect(records).toHaveLength(1);
    void tracker.stop();
  });
});
