import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import type { TrackerOptions } from '../../../src/config/options.js';
import type { Logger } from '../../../src/log/logger.js';
import type { OutputHandler } from '../../../src/output/handler.js';
import { OfflineEmissionsTracker } from '../../../src/tracker/offline-emissions-tracker.js';
import { ConstantFakeSensor, ManualClock } from '../../helpers/fakes.js';

/**
 * An offline tracker in France with a 30 W CPU and a 10 W RAM fake sensor, a hand-moved clock
 * and a logger that keeps every message (`level: text`).
 */
export function makeTracker(options: TrackerOptions, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-metrics-'));
  const clock = new ManualClock();
  const messages: string[] = [];
  const logger: Logger = {
    debug: (m) => messages.push(`debug: ${m}`),
    info: (m) => messages.push(`info: ${m}`),
    warn: (m) => messages.push(`warn: ${m}`),
    error: (m) => messages.push(`error: ${m}`),
  };
  const tracker = new OfflineEmissionsTracker(
    {
      countryIsoCode: 'FRA',
      outputDir: dir,
      logger,
      logLevel: 'debug',
      installExitHandlers: false,
      allowMultipleRuns: true,
      ...options,
    },
    {
      env,
      cwd: dir,
      homeDir: dir,
      sensors: [new ConstantFakeSensor('cpu', 30), new ConstantFakeSensor('ram', 10)],
      clock: clock.read,
    },
  );
  return { tracker, clock, messages, dir };
}

/** kWh of the fake sensors (30 W + 10 W) over `seconds`. */
export function fakeKwh(seconds: number, watts = 40): number {
  return (watts * seconds) / 3_600_000;
}

/** Failure warnings among a tracker's messages. */
export const failures = (lines: readonly string[]) => lines.filter((line) => /failed/.test(line));

/**
 * A tracker with `options` (an output pointed at a server that never answers) and a periodic
 * output every 20 ms, far more often than a request can time out. Once ten periodic outputs
 * came, counts the failures logged while flush() ran and while stop() ran.
 */
export async function failuresAroundFlushAndStop(
  options: TrackerOptions,
  env: Record<string, string> = {},
): Promise<{ duringFlush: number; duringStop: number; messages: string[] }> {
  let periodicOutputs = 0;
  const counter: OutputHandler = {
    liveOut: () => {
      periodicOutputs += 1;
    },
  };
  const { tracker, messages } = makeTracker(
    { ...options, measurePowerSecs: 0.02, apiCallInterval: 1, outputHandlers: [counter] },
    env,
  );
  tracker.start();
  await vi.waitFor(() => expect(periodicOutputs).toBeGreaterThanOrEqual(10), {
    timeout: 5_000,
  });

  const beforeFlush = failures(messages).length;
  await tracker.flush();
  const duringFlush = failures(messages).length - beforeFlush;
  await tracker.stop();
  const duringStop = failures(messages).length - beforeFlush - duringFlush;
  return { duringFlush, duringStop, messages };
}
