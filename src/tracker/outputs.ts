import { describeUnknownKey } from '../config/config-layers.js';
import type { ResolvedConfig } from '../config/options.js';
import type { OutputMethod } from '../config/parameters.js';
import type { TrackerConfig } from '../config/resolve-config.js';
import { filterByLevel, type Logger, type OnceLogger, StderrLogger } from '../log/logger.js';
import { apiOutput } from '../output/factories/api.js';
import { boampsOutput } from '../output/factories/boamps.js';
import { csvOutput } from '../output/factories/csv.js';
import { httpOutput } from '../output/factories/http.js';
import { logfireOutput } from '../output/factories/logfire.js';
import { loggerOutput } from '../output/factories/logger.js';
import { otlpOutput } from '../output/factories/otlp.js';
import type { OutputBuilder, OutputContext } from '../output/factories/output-context.js';
import { prometheusOutput, prometheusScrapeOutput } from '../output/factories/prometheus.js';
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

/**
 * Every output of a tracker, checked now (a bad setting throws here) and built later. Outputs
 * that call user code (the user's own handlers, the `logging_logger` output) must run on the
 * user's thread; the built-in ones may run in the sampling worker, where they keep their
 * schedule while user code blocks this thread. Each list keeps CodeCarbon's order.
 */
export function planOutputs(context: OutputContext): {
  userThread: OutputBuilder[];
  anyThread: OutputBuilder[];
} {
  const userThread: OutputBuilder[] = context.config.outputHandlers.map((handler) => () => handler);
  const anyThread: OutputBuilder[] = [];
  for (const method of selectedOutputMethods(context.config)) {
    const builder = BUILT_IN[method](context);
    if (builder) (method === 'logger' ? userThread : anyThread).push(builder);
  }
  for (const extra of [httpOutput, otlpOutput, prometheusScrapeOutput]) {
    const builder = extra(context);
    if (builder) anyThread.push(builder);
  }
  return { userThread, anyThread };
}

/** Builds every output on this thread: user handlers first, then the built-in ones. */
export function buildOutputs(context: OutputContext): OutputHandler[] {
  const { userThread, anyThread } = planOutputs(context);
  return [...userThread, ...anyThread].map((build) => build());
}

/**
 * The settings the built-in outputs need, without what only the user's thread can hold (their
 * handlers and logger): a copy that can be sent to the sampling worker.
 */
export function anyThreadConfig(config: TrackerConfig): TrackerConfig {
  return {
    ...config,
    outputHandlers: [],
    loggingLogger: undefined,
    saveToLogger: false,
    outputMethods: config.outputMethods?.filter((method) => method !== 'logger'),
  };
}

const BUILT_IN: Record<OutputMethod, (context: OutputContext) => OutputBuilder | undefined> = {
  csv: csvOutput,
  api: apiOutput,
  logger: loggerOutput,
  prometheus: prometheusOutput,
  logfire: logfireOutput,
  boamps: boampsOutput,
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
