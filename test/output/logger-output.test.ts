import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { TrackerOptions } from '../../src/config/options.js';
import { toJsonRecord } from '../../src/output/http/json-record.js';
import { LoggerOutput, RECORD_MESSAGE } from '../../src/output/logger-output.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { ConstantFakeSensor, ManualClock } from '../helpers/fakes.js';
import { captureLogger, tempDir } from './api/api-test-helpers.js';
import { makeRecord } from './record-fixture.js';

/** A pino/winston-like logger: `info(object)` called as a method. */
class StructuredLogger {
  readonly entries: Record<string, unknown>[] = [];
  info(entry: Record<string, unknown>): void {
    this.entries.push(entry);
  }
}

function tracker(options: TrackerOptions, env: Record<string, string> = {}) {
  const dir = tempDir();
  const clock = new ManualClock();
  const own = captureLogger();
  const instance = new OfflineEmissionsTracker(
    {
      countryIsoCode: 'FRA',
      outputDir: dir,
      logger: own.logger,
      installExitHandlers: false,
      ...options,
    },
    {
      env,
      cwd: dir,
      homeDir: dir,
      sensors: [new ConstantFakeSensor('cpu', 20)],
      clock: clock.read,
    },
  );
  return { tracker: instance, clock, lines: own.lines };
}

describe('LoggerOutput', () => {
  it('logs each total record as one structured info entry with the preamble', () => {
    const target = new StructuredLogger();
    const output = new LoggerOutput({ target, preamble: 'job-42', logger: captureLogger().logger });
    const total = makeRecord({ emissions: 2e-6 });

    output.out(total, makeRecord({ emissions: 1e-9 }));
    output.liveOut(total, makeRecord());

    expect(target.entries).toHaveLength(2);
    expect(target.entries[0]).toEqual({
      message: RECORD_MESSAGE,
      ...toJsonRecord(total),
      logger_preamble: 'job-42',
    });
    expect(target.entries[0]?.emissions).toBe(2e-6);
  });

  it('uses log() when the object has no info(), as a minimal console-like object', () => {
    const logged: unknown[] = [];
    const output = new LoggerOutput({
      target: { log: (entry: unknown) => void logged.push(entry) },
      logger: captureLogger().logger,
    });

    output.out(makeRecord(), makeRecord());

    expect(logged).toEqual([{ message: RECORD_MESSAGE, ...toJsonRecord(makeRecord()) }]);
  });

  it('writes to a Google Cloud Logging Log: entry(metadata, data) then write(entry), awaited', async () => {
    const written: { metadata: Record<string, unknown>; data: unknown }[] = [];
    const cloudLog = {
      entry: (metadata: Record<string, unknown>, data: unknown) => ({ metadata, data }),
      write: async (entry: { metadata: Record<string, unknown>; data: unknown }) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        written.push(entry);
      },
    };
    const output = new LoggerOutput({ target: cloudLog, logger: captureLogger().logger });

    await output.out(makeRecord(), makeRecord());

    expect(written).toEqual([
      {
        metadata: { severity: 'INFO' },
        data: { message: RECORD_MESSAGE, ...toJsonRecord(makeRecord()) },
      },
    ]);
  });

  it('a logger that throws or rejects is reported once until it works again; nothing is thrown', async () => {
    const own = captureLogger();
    let fail = true;
    const output = new LoggerOutput({
      target: {
        info: () => {
          if (fail) throw new Error('transport closed');
        },
      },
      logger: own.logger,
    });
    const rejecting = new LoggerOutput({
      target: { entry: () => ({}), write: () => Promise.reject(new Error('quota exceeded')) },
      logger: own.logger,
    });

    output.out(makeRecord(), makeRecord());
    output.liveOut(makeRecord(), makeRecord());
    fail = false;
    output.liveOut(makeRecord(), makeRecord());
    fail = true;
    output.out(makeRecord(), makeRecord());
    await rejecting.out(makeRecord(), makeRecord());

    const errors = own.lines.filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/transport closed/);
    expect(errors[2]).toMatch(/quota exceeded/);
  });
});

describe('save_to_logger on a tracker', () => {
  it('sends the total record to logging_logger at each periodic output and at stop', async () => {
    const target = new StructuredLogger();
    const { tracker: t, clock } = tracker({
      saveToLogger: true,
      loggingLogger: target,
      saveToFile: false,
      loggerPreamble: 'P',
      measurePowerSecs: 0.02,
      apiCallInterval: 1,
    });

    t.start();
    clock.advance(60);
    await new Promise((resolve) => setTimeout(resolve, 200));
    clock.advance(60);
    await t.stop();

    const final = t.finalEmissionsData as EmissionsData;
    expect(target.entries.length).toBeGreaterThanOrEqual(2);
    expect(target.entries.at(-1)).toEqual({
      message: RECORD_MESSAGE,
      ...toJsonRecord(final),
      logger_preamble: 'P',
    });
    // Periodic entries are totals too: the run so far, not the time since the last entry.
    expect(target.entries.slice(0, -1).every((e) => e.duration === 60)).toBe(true);
    expect(final.duration).toBe(120);
  });

  it('selected without logging_logger, it is a ConfigError at construction naming the setting that selected it', () => {
    expect(() => tracker({ saveToLogger: true })).toThrow(ConfigError);
    expect(() => tracker({ saveToLogger: true })).toThrow(
      /^Option saveToLogger: the logger output is on but logging_logger is not set; expected an object with info\(\) or log\(\)/,
    );
    expect(() => tracker({}, { CODECARBON_OUTPUT_METHODS: 'csv,logger' })).toThrow(
      /^Environment variable CODECARBON_OUTPUT_METHODS: the logger output is on but logging_logger is not set/,
    );
  });

  it('a logging_logger without info(), log() or entry()/write() is a ConfigError', () => {
    expect(() => tracker({ outputMethods: ['logger'], loggingLogger: { debug() {} } })).toThrow(
      /Invalid logging_logger .* expected an object with info\(\) or log\(\)/,
    );
  });

  it('is off when output_methods does not name it, whatever save_to_logger says', async () => {
    const target = new StructuredLogger();
    const { tracker: t, clock } = tracker({
      outputMethods: ['csv'],
      saveToLogger: true,
      loggingLogger: target,
    });

    t.start();
    clock.advance(10);
    await t.stop();

    expect(target.entries).toEqual([]);
  });
});
