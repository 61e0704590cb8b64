import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { TrackerOptions } from '../../src/config/options.js';
import { type ConfigContext, resolveConfig } from '../../src/config/resolve-config.js';

/** A fresh home and working directory per test; the real ones are never read. */
export interface ConfigDirs {
  readonly homeDir: string;
  readonly cwd: string;
  readonly localPath: string;
  readonly globalPath: string;
  writeLocal(text: string): string;
  writeGlobal(text: string): string;
  /** resolveConfig with these directories and `env` (empty unless given). */
  resolve(
    options?: TrackerOptions,
    context?: Omit<ConfigContext, 'cwd' | 'homeDir'>,
  ): ReturnType<typeof resolveConfig>;
}

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function configDirs(): ConfigDirs {
  const root = mkdtempSync(join(tmpdir(), 'codecarbon-config-'));
  created.push(root);
  const homeDir = join(root, 'home');
  const cwd = join(root, 'work');
  mkdirSync(homeDir);
  mkdirSync(cwd);
  const localPath = join(cwd, '.codecarbon.config');
  const globalPath = join(homeDir, '.codecarbon.config');

  return {
    homeDir,
    cwd,
    localPath,
    globalPath,
    writeLocal(text) {
      writeFileSync(localPath, text);
      return localPath;
    },
    writeGlobal(text) {
      writeFileSync(globalPath, text);
      return globalPath;
    },
    resolve(options = {}, context = {}) {
      return resolveConfig(options, { env: {}, ...context, cwd, homeDir });
    },
  };
}

/** Runs `action`, expecting a thrown error, and returns it. */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}

/** Runs `action`, expecting a ConfigError, and returns it. */
export function configError(action: () => unknown): ConfigError {
  const error = thrown(action);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}
