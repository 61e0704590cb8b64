import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../src/log/logger.js';
import {
  CodeCarbonApiOutput,
  type CodeCarbonApiOutputOptions,
} from '../../../src/output/api/api-output.js';
import type { EmissionsData } from '../../../src/records/emissions-data.js';
import { makeRecord } from '../record-fixture.js';
import type { FakeCodeCarbonApi } from './fake-codecarbon-api.js';

export const API_KEY = 'cc-test-key-7f3a9d';
export const EXPERIMENT = '11111111-2222-3333-4444-555555555555';
export const LOCAL_RUN = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** A logger that keeps every line with its level. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  return { logger, lines };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cc-api-'));
}

/** An API output with quick retries, talking to `fake`. */
export function makeOutput(
  fake: FakeCodeCarbonApi,
  dir: string,
  logger: Logger,
  overrides: Partial<CodeCarbonApiOutputOptions> = {},
): CodeCarbonApiOutput {
  return new CodeCarbonApiOutput({
    endpoint: fake.url,
    apiKey: API_KEY,
    experimentId: EXPERIMENT,
    outputDir: dir,
    logger,
    requestTimeoutMs: 2_000,
    finalAttemptMs: 2_000,
    backoff: { initialMs: 20, maxMs: 100 },
    ...overrides,
  });
}

/**
 * A delta of `durationS` seconds at a constant 10 W CPU + 5 W RAM, intensity 50 g/kWh, at
 * wall-clock second `second` of the run.
 */
export function delta(durationS: number, second: number, overrides: Partial<EmissionsData> = {}) {
  const cpuKwh = (10 * durationS) / 3_600_000;
  const ramKwh = (5 * durationS) / 3_600_000;
  const energy = cpuKwh + ramKwh;
  return makeRecord({
    runId: LOCAL_RUN,
    experimentId: EXPERIMENT,
    timestamp: `2026-01-15T10:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}`,
    duration: durationS,
    cpuPower: 10,
    ramPower: 5,
    cpuEnergy: cpuKwh,
    ramEnergy: ramKwh,
    energyConsumed: energy,
    emissions: (energy * 50) / 1000,
    emissionsRate: durationS > 0 ? (energy * 50) / 1000 / durationS : 0,
    ...overrides,
  });
}

/** Spool files in `dir`. */
export function spools(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('.codecarbon-api-spool.'));
}

export function readText(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}
