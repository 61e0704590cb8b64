import { resolveOtlpTarget } from '../otlp/otlp-endpoint.js';
import { OtlpMetricsOutput } from '../otlp/otlp-output.js';
import { resourceAttributes, temporalityFrom } from '../otlp/otlp-resource.js';
import type { OutputBuilder, OutputContext } from './output-context.js';

/**
 * The OTLP/HTTP metrics output, on when `save_to_otlp` is true or `otlp_endpoint` is set
 * (independent of `output_methods`, as `emissions_endpoint` is). Endpoint, headers, timeout
 * and temporality follow the standard `OTEL_EXPORTER_OTLP_*` variables; the SDK itself is
 * loaded at the first output.
 */
export function otlpOutput(context: OutputContext): OutputBuilder | undefined {
  const { config, logger, env } = context;
  if (!config.saveToOtlp && config.otlpEndpoint === undefined) return undefined;

  const target = resolveOtlpTarget(config.otlpEndpoint, config.sources.otlp_endpoint, env);
  return () => {
    const headerNames = Object.keys(target.headers);
    logger.info(
      `Metrics will be sent over OTLP/HTTP (JSON) to ${target.url} (from ${target.origin})` +
        (headerNames.length > 0 ? ` with headers ${headerNames.join(', ')}.` : '.'),
    );
    const protocol = (
      env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL
    )?.trim();
    if (protocol && protocol !== 'http/json') {
      logger.once(
        'otlp-protocol',
        'warn',
        `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not available in this version: metrics are ` +
          'sent as http/json, which OTLP/HTTP receivers accept as well.',
      );
    }
    return new OtlpMetricsOutput({
      name: 'OTLP',
      url: target.url,
      headers: target.headers,
      timeoutMs: target.timeoutMs,
      temporality: temporalityFrom(env, 'cumulative'),
      resource: resourceAttributes(env),
      experimentName: config.experimentName,
      logger,
    });
  };
}
