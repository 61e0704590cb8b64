import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import type { ResolvedConfig } from '../../config/options.js';
import { CsvFileOutput } from '../csv-file.js';
import type { OutputHandler } from '../handler.js';
import type { OutputContext } from './output-context.js';

/** The CSV file's absolute path (an absolute `output_file` ignores `output_dir`). */
export function csvPath(config: ResolvedConfig): string {
  return resolve(config.outputDir, config.outputFile);
}

/** The 'csv' output method; `output_dir` is created now, so a bad one fails construction. */
export function createCsvOutput(context: OutputContext): OutputHandler {
  const { config, logger } = context;
  ensureOutputDir(config);
  logger.info(`Emissions data will be saved to file ${csvPath(config)}`);
  return new CsvFileOutput({
    path: csvPath(config),
    mode: config.onCsvWrite,
    logger,
    liveUpdate: context.csvLiveUpdate,
    taskFilePath: (runId) =>
      resolve(config.outputDir, `emissions_${config.experimentName}_${runId}.csv`),
  });
}

function ensureOutputDir(config: ResolvedConfig): void {
  try {
    mkdirSync(resolve(config.outputDir), { recursive: true });
  } catch (error) {
    throw new ConfigError({
      key: 'output_dir',
      value: config.outputDir,
      source: config.sources.output_dir ?? { kind: 'default' },
      accepted: `a directory that exists or can be created (${error instanceof Error ? error.message : String(error)})`,
    });
  }
}
