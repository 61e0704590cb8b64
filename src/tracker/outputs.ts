import { describeUnknownKey } from '../config/config-layers.js';
import type { ResolvedConfig } from '../config/options.js';
import type { OutputMethod } from '../config/parameters.js';
import type { TrackerConfig } from '../config/resolve-config.js';
import { filterByLevel, type Logger, type OnceLogger, StderrLogger } from '../log/logger.js';
import { createApiOutput } from '../output/factories/api.js';
import { createBoampsOutput } from '../output/factories/boamps.js';
import { createCsvOutput } from '../output/factories/csv.js';
import { createHttpOutput } from '../output/factories/http.js';
import { createLogfireOutput } from '../output/factories/logfire.js';
import { createLoggerOutput } from '../output/factories/logger.js';
import { createOtlpOutput } from '../output/factories/otlp.js';
import type { OutputContext } from '../output/factories/output-context.js';
import {
  createPrometheusOutput,
  createPrometheusScrapeOutput,
} from '../output/factories/prometheus.js';
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

/** User handlers first, then the built-in ones in CodeCarbon's order, then the HTTP endpoint. */
export function buildOutputs(context: OutputContext): OutputHandler[] {
  const handlers: OutputHandler[] = [...context.config.outputHandlers];
  for (const method of selectedOutputMethods(context.config)) {
    const handler = BUILT_IN[method](context);
    if (handler) handlers.push(handler);
  }
  const http = createHttpOutput(context);
  if (http) handlers.push(http);
  // The scrape endpoint starts listening when built, so it comes after anything that may throw.
  for (const extra of [createOtlpOutput(context), createPrometheusScrapeOutput(context)]) {
    if (extra) handlers.push(extra);
  }
  return handlers;
}

const BUILT_IN: Record<OutputMethod, (context: OutputContext) => OutputHandler | undefined> = {
  csv: createCsvOutput,
  api: createApiOutput,
  logger: createLoggerOutput,
  prometheus: createPrometheusOutput,
  logfire: createLogfireOutput,
  boamps: createBoampsOutput,
};

/** Logs once what the configuration carries that does nothing or is deprecated. */
export function reportIneffectiveSettings(config: TrackerConfig, logger: OnceLogger): void {
  for (const key of config.notYetEffective) {
    logger.once(
      `unimplemented-${key}`,
      'warn',
      `Parameter '${key}' is accepted but has no effect in this version yet.`,
    );
  }
  for (const entry of config.unknownKeys) {
    logger.once(`unknown-${entry.key}`, 'warn', describeUnknownKey(entry));
  }
  for (const note of config.deprecations) logger.once(`deprecated:${note}`, 'warn', note);
  if (config.allowMultipleRuns && config.trackingMode === 'machine') {
    logger.once(
      'multiple-runs',
      'info',
      'allow_multiple_runs is on: in machine mode every tracker counts the whole machine, so ' +
        'machine-level energy is counted once per running tracker.',
    );
  }
}
