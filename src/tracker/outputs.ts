import { describeUnknownKey } from '../config/config-layers.js';
import type { ResolvedConfig } from '../config/options.js';
import type { TrackerConfig } from '../config/resolve-config.js';
import { filterByLevel, type Logger, type OnceLogger, StderrLogger } from '../log/logger.js';
import { apiOutput } from '../output/factories/api.js';
import { boampsOutput } from '../output/factories/boamps.js';
import { csvOutput } from '../output/factories/csv.js';
import { httpOutput } from '../output/factories/http.js';
import { logfireOutput } from '../output/factories/logfire.js';
import { loggerOutput } from '../output/factories/logger.js';
import { otlpOutput } from '../output/factories/otlp.js';
import type { OutputContext } from '../output/factories/output-context.js';
import { prometheusOutput, prometheusScrapeOutput } from '../output/factories/prometheus.js';
import { type OutputFactory, type OutputKind, planOutputs } from './output-plan.js';

/** The tracker's logger: the user's, or CodeCarbon's stderr format, filtered by level. */
export function makeLogger(config: ResolvedConfig, custom: Logger | undefined): Logger {
  return custom
    ? filterByLevel(custom, config.logLevel)
    : new StderrLogger({ level: config.logLevel, preamble: config.loggerPreamble });
}

/** Every output factory, loaded with the package (the sampling worker loads only those it needs). */
const FACTORIES: Record<OutputKind, OutputFactory> = {
  csv: csvOutput,
  api: apiOutput,
  logger: loggerOutput,
  prometheus: prometheusOutput,
  logfire: logfireOutput,
  boamps: boampsOutput,
  http: httpOutput,
  otlp: otlpOutput,
  scrape: prometheusScrapeOutput,
};

/** Checks every output of the configuration now; see `planOutputs`. */
export function checkOutputs(context: OutputContext): ReturnType<typeof planOutputs> {
  return planOutputs(context, FACTORIES);
}

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
