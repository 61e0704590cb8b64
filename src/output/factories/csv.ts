import { realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import type { ResolvedConfig, ValueSource } from '../../config/options.js';
import { isInPseudoFileSystem } from '../../config/parse-value.js';
import { CsvFileOutput } from '../csv-file.js';
import { recordCsvWriteResult } from '../csv-write-status.js';
import { makeDirectorySync } from '../make-directory.js';
import type { OutputBuilder, OutputContext } from './output-context.js';

/** The CSV file's absolute path (an absolute `output_file` ignores `output_dir`). */
export function csvPath(config: ResolvedConfig): string {
  return resolve(config.outputDir, config.outputFile);
}

/**
 * The 'csv' output method. The file's path is checked and its directories are created now,
 * so a bad `output_dir` or `output_file` fails construction instead of every write.
 */
export function csvOutput(context: OutputContext): OutputBuilder {
  const { config, logger } = context;
  const path = csvPath(config);
  prepareDirectory(resolve(config.outputDir), 'output_dir', config);
  prepareDirectory(dirname(path), 'output_file', config);
  checkNotADirectory(path, config);

  return () => {
    logger.info(`Emissions data will be saved to file ${path}`);
    return new CsvFileOutput({
      path,
      mode: config.onCsvWrite,
      logger,
      liveUpdate: context.csvLiveUpdate,
      taskFilePath: (runId) =>
        resolve(config.outputDir, `emissions_${config.experimentName}_${runId}.csv`),
      onWriteResult: (written) => {
        recordCsvWriteResult(path, !written);
      },
    });
  };
}

type PathKey = 'output_dir' | 'output_file';

/** Refuses /proc and /sys (also through a symbolic link), then creates what is missing. */
function prepareDirectory(dir: string, key: PathKey, config: ResolvedConfig): void {
  const refuse = (accepted: string) =>
    new ConfigError({
      key,
      value: key === 'output_dir' ? config.outputDir : config.outputFile,
      source: sourceOf(key, config),
      accepted,
    });

  if (isInPseudoFileSystem(realLocation(dir))) {
    throw refuse('a directory outside /proc and /sys (kernel interfaces, not storage)');
  }
  try {
    makeDirectorySync(dir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw refuse(`a directory that exists or can be created (${reason})`);
  }
}

function checkNotADirectory(path: string, config: ResolvedConfig): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return; // missing (created at the first write) or unreadable (reported at the first write)
  }
  if (!isDirectory) return;
  throw new ConfigError({
    key: 'output_file',
    value: config.outputFile,
    source: sourceOf('output_file', config),
    accepted: `the name of a file; ${path} is a directory`,
  });
}

/** The path with symbolic links resolved in the part that exists. */
function realLocation(path: string): string {
  for (let existing = path; ; existing = dirname(existing)) {
    try {
      return join(realpathSync(existing), relative(existing, path));
    } catch {
      if (dirname(existing) === existing) return path;
    }
  }
}

function sourceOf(key: PathKey, config: ResolvedConfig): ValueSource {
  return config.sources[key] ?? { kind: 'default' };
}
