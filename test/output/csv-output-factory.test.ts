import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { TrackerOptions } from '../../src/config/options.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { OnceLogger } from '../../src/log/logger.js';
import { csvWriteFailed } from '../../src/output/csv-write-status.js';
import { csvOutput } from '../../src/output/factories/csv.js';
import type { OutputHandler } from '../../src/output/handler.js';
import { makeDirectorySync } from '../../src/output/make-directory.js';
import { recordingLogger, useTempDir } from './csv-test-helpers.js';
import { makeRecord } from './record-fixture.js';

const REPO = join(import.meta.dirname, '..', '..');

describe('csvOutput: the path is checked when the tracker is built', () => {
  const tempDir = useTempDir();

  function build(options: TrackerOptions, env: Record<string, string> = {}): OutputHandler {
    const dir = tempDir();
    const config = resolveConfig(options, { env, cwd: dir, homeDir: dir });
    const logger = new OnceLogger(recordingLogger());
    return csvOutput({ config, logger, env: {}, csvLiveUpdate: false })();
  }

  function refusal(options: TrackerOptions, env: Record<string, string> = {}): ConfigError {
    try {
      build(options, env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('expected a ConfigError');
  }

  it('refuses an output_file that names an existing directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'runs'));
    const error = refusal({ outputDir: dir, outputFile: 'runs' });
    expect(error.key).toBe('output_file');
    expect(error.value).toBe('runs');
    expect(error.source).toEqual({ kind: 'option' });
    expect(error.message).toContain(`${join(dir, 'runs')} is a directory`);
  });

  it('refuses an empty output_file from the environment, naming the variable', () => {
    const error = refusal({ outputDir: tempDir() }, { CODECARBON_OUTPUT_FILE: '' });
    expect(error.key).toBe('output_file');
    expect(error.message).toContain('environment variable CODECARBON_OUTPUT_FILE');
  });

  it.runIf(existsSync('/proc/sys'))('refuses a directory that leads into /proc by a link', () => {
    const dir = tempDir();
    symlinkSync('/proc/sys', join(dir, 'kernel'));
    const error = refusal({ outputDir: join(dir, 'kernel', 'none') });
    expect(error.key).toBe('output_dir');
    expect(error.accepted).toContain('outside /proc and /sys');
  });

  it('refuses an absolute output_file in /sys, naming output_file', () => {
    const error = refusal({ outputDir: tempDir(), outputFile: '/sys/emissions.csv' });
    expect(error.key).toBe('output_file');
    expect(error.value).toBe('/sys/emissions.csv');
  });

  it('creates missing directories of output_dir and of output_file', () => {
    const dir = tempDir();
    build({ outputDir: join(dir, 'a', 'b'), outputFile: 'c/emissions.csv' });
    expect(existsSync(join(dir, 'a', 'b', 'c'))).toBe(true);
  });

  it('tells csvWriteFailed whether the latest write to the file failed', () => {
    const dir = tempDir();
    const output = build({ outputDir: join(dir, 'out') });
    const path = join(dir, 'out', 'emissions.csv');
    output.out?.(makeRecord(), makeRecord());
    expect(csvWriteFailed(path)).toBe(false);

    // The directory becomes a file while the tracker runs: the next write cannot happen.
    rmSync(join(dir, 'out'), { recursive: true });
    writeFileSync(join(dir, 'out'), '');
    output.out?.(makeRecord(), makeRecord());
    expect(csvWriteFailed(path)).toBe(true);
    expect(csvWriteFailed(join(dir, 'other.csv'))).toBe(false);
  });
});

describe('makeDirectorySync', () => {
  const tempDir = useTempDir();

  it('creates every missing level, and accepts one that exists', () => {
    const dir = join(tempDir(), 'a', 'b', 'c');
    makeDirectorySync(dir);
    makeDirectorySync(dir);
    expect(existsSync(dir)).toBe(true);
  });

  it('says which part of the path is a file', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    expect(() => makeDirectorySync(join(file, 'a', 'b'))).toThrow(`${file} is a file`);
  });

  // Node's mkdirSync(…, { recursive: true }) never returns on this path: run it in a child
  // process with a deadline, so a regression fails instead of hanging the test run.
  it.runIf(existsSync('/proc/sys'))('fails at once where mkdir loops on procfs', () => {
    const script =
      `import { makeDirectorySync } from ${JSON.stringify(join(REPO, 'dist', 'output', 'make-directory.js'))};` +
      "try { makeDirectorySync('/proc/sys/codecarbon-none/x'); } catch (e) { console.log(e.code); }";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.signal).toBeNull();
    expect(result.stdout.trim()).toMatch(/^E[A-Z]+$/);
  });
});
