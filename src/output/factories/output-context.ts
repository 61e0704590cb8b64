import type { ResolvedConfig } from '../../config/options.js';
import type { OnceLogger } from '../../log/logger.js';

/** What a built-in output may use when the tracker builds it. */
export interface OutputContext {
  config: ResolvedConfig;
  logger: OnceLogger;
  /** Environment variables (PROMETHEUS_USERNAME, OTEL_EXPORTER_OTLP_*, LOGFIRE_TOKEN…). */
  env: Record<string, string | undefined>;
  /** Keep the run's CSV row up to date at every periodic output (`codecarbon monitor`). */
  csvLiveUpdate: boolean;
}

/** Logs once that an output is accepted but not implemented in this version. */
export function notYetAvailable(name: string, context: OutputContext): undefined {
  context.logger.once(
    `method-${name}`,
    'warn',
    `Output method '${name}' is accepted but has no effect in this version yet.`,
  );
  return undefined;
}
