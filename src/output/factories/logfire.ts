import { ConfigError } from '../../config/config-error.js';
import { resolveLogfireTarget } from '../otlp/logfire-target.js';
import { DEFAULT_TIMEOUT_MS } from '../otlp/otlp-endpoint.js';
import { OtlpMetricsOutput } from '../otlp/otlp-output.js';
import { resourceAttributes, temporalityFrom } from '../otlp/otlp-resource.js';
import type { OutputBuilder, OutputContext } from './output-context.js';

/**
 * The 'logfire' output method: CodeCarbon's Logfire metrics (spec 9.6) sent to Logfire's
 * OTLP endpoint with the write token from `LOGFIRE_TOKEN`. Without a token the tracker is not
 * built: nothing could ever be sent.
 */
export function logfireOutput(context: OutputContext): OutputBuilder {
  const { config, logger, env } = context;
  const target = resolveLogfireTarget(env);
  if (target === undefined) {
    const viaMethods = config.outputMethods !== undefined;
    const key = viaMethods ? 'output_methods' : 'save_to_logfire';
    throw new ConfigError({
      key,
      value: viaMethods ? (config.outputMethods ?? []).join(',') : 'true',
      source: config.sources[key] ?? { kind: 'option' },
      accepted:
        'LOGFIRE_TOKEN set in the environment to a Logfire write token when Logfire output is on',
    });
  }
  return () => {
    logger.info(`Metrics will be sent to Logfire at ${target.url} (from ${target.origin}).`);
    return new OtlpMetricsOutput({
      name: 'Logfire',
      url: target.url,
      headers: target.headers,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      // Logfire's own SDKs send counters as deltas.
      temporality: temporalityFrom(env, 'delta'),
      resource: resourceAttributes(env),
      experimentName: config.experimentName,
      logger,
    });
  };
}
