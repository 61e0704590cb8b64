import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/options.js';
import type { OutputMethod } from '../config/parameters.js';
import { filterByLevel, type Logger, type OnceLogger, StderrLogger } from '../log/logger.js';
import { CsvFileOutput } from '../output/csv-file.js';
import type { OutputHandler } from '../output/handler.js';

/** The tracker's logger: the user's, or CodeCarbon's stderr format, filtered by level. */
export function makeLogger(config: ResolvedConfig, custom: Logger | undefined): Logger {
  return custom
    ? filterByLevel(custom, config.logLevel)
    : new StderrLogger({ level: config.logLevel, preamble: config.loggerPreamble });
}

/** Which built-in outputs are on: `output_methods` when set, else the `save_to_*` flags. */
export function selectedOutputMethods(config: ResolvedConfig): OutputMethod[] {
  if (config.outputMethods) return [...new Set(config.outputMethods)];
  const methods: OutputMethod[] = [];
  if (config.saveToFile) methods.push('csv');
  if (config.saveToApi) methods.push('api');
  if (config.saveToLogger) methods.push('logger');
  if (config.saveToPrometheus) methods.push('prometheus');
  if (config.saveToLogfire) methods.push('logfire');
  return methods;
}

/** The CSV file's absolute path (an absolute `output_file` ignores `output_dir`). */
export function csvPath(config: ResolvedConfig): string {
  return resolve(config.outputDir, config.outputFile);
}

/** User handlers first, then the built-in ones, as CodeCarbon orders them. */
export function buildOutputs(
  config: ResolvedConfig,
  logger: OnceLogger,
  csvLiveUpdate: boolean,
): OutputHandler[] {
  const handlers: OutputHandler[] = [...config.outputHandlers];
  for (const method of selectedOutputMethods(config)) {
    if (method === 'csv') {
      ensureOutputDir(config);
      handlers.push(
        new CsvFileOutput({
          path: csvPath(config),
          mode: config.onCsvWrite,
          logger,
          liveUpdate: csvLiveUpdate,
        }),
      );
      logger.info(`Emissions data will be saved to file ${csvPath(config)}`);
    } else {
      logger.once(
        `method-${method}`,
        'warn',
        `Output method '${method}' is accepted but has no effect in this version yet.`,
      );
    }
  }
  return handlers;
}

/** Logs once per parameter that is set but not yet implemented. */
export function reportIneffectiveSettings(
  config: ResolvedConfig,
  logger: OnceLogger,
  offline: boolean,
): void {
  for (const key of config.notYetEffective) {
    logger.once(
      `unimplemented-${key}`,
      'warn',
      `Parameter '${key}' is accepted but has no effect in this version yet.`,
    );
  }
  for (const { key, source } of config.unknownKeys) {
    const where =
      source.kind === 'env'
        ? `environment variable ${source.name}`
        : source.kind === 'file'
          ? `config file ${source.path}`
          : 'options';
    logger.once(`unknown-${key}`, 'warn', `Unknown parameter '${key}' in ${where} is ignored.`);
  }
  const located =
    config.countryIsoCode || config.cloudProvider || config.forceCarbonIntensity !== undefined;
  if (!located) {
    logger.once(
      'no-location',
      'warn',
      offline
        ? 'No country_iso_code, cloud region or forced intensity: using the world average grid intensity (475 g CO2eq/kWh).'
        : 'Location detection is not available in this version: using the world average grid intensity (475 g CO2eq/kWh). Set country_iso_code (and region) for your grid.',
    );
  }
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
