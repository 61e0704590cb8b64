import type { ResolvedConfig } from '../../config/options.js';
import type { OnceLogger } from '../../log/logger.js';
import type { OutputHandler } from '../handler.js';

/** What a built-in output may use when the tracker builds it. */
export interface OutputContext {
  config: ResolvedConfig;
  logger: OnceLogger;
  /** Environment variables (PROMETHEUS_USERNAME, OTEL_EXPORTER_OTLP_*, LOGFIRE_TOKEN…). */
  env: Record<string, string | undefined>;
  /** Keep the run's CSV row up to date at every periodic output (`codecarbon monitor`). */
  csvLiveUpdate: boolean;
}

/**
 * An output whose settings were checked when this was made; calling it builds the output, and
 * only then does the output start anything (files, servers, timers, libraries). The tracker
 * checks every output in its constructor and builds them where they will run.
 */
export type OutputBuilder = () => OutputHandler;

/** Logs once that an output is accepted but not implemented in this version. */
export function notYetAvailable(name: string, context: OutputContext): undefined {
  context.logger.once(
    `method-${name}`,
    'warn',
    `Output method '${name}' is accepted but has no effect in this version yet.`,
  );
  return undefined;
}
