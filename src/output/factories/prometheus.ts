import { ConfigError } from '../../config/config-error.js';
import { pushGrouping, pushJobName } from '../prometheus/labels.js';
import { loadPromClient } from '../prometheus/load-prom-client.js';
import { resolvePushTarget } from '../prometheus/push-target.js';
import { PushgatewayOutput } from '../prometheus/pushgateway-output.js';
import { PrometheusScrapeOutput } from '../prometheus/scrape-output.js';
import type { OutputBuilder, OutputContext } from './output-context.js';

/**
 * The 'prometheus' output method: pushes to the pushgateway at `prometheus_url` under job
 * `<project>_<experiment>` and grouping `instance=<host name>`. Credentials are checked now,
 * so a user without a password fails at construction, not at the first push.
 */
export function prometheusOutput(context: OutputContext): OutputBuilder {
  const { config, logger, env } = context;
  const target = resolvePushTarget(config, env);
  return () => {
    const output = new PushgatewayOutput(loadPromClient(), {
      url: target.url,
      authorization: target.authorization,
      job: pushJobName(config.projectName, config.experimentName),
      grouping: pushGrouping(),
      deleteOnExit: config.prometheusDeleteOnExit,
      logger,
    });
    logger.info(
      `Metrics will be pushed to ${output.groupUrl}` +
        (target.authorization === undefined ? '.' : ' with basic authentication.'),
    );
    return output;
  };
}

/**
 * The `/metrics` endpoint for Prometheus to scrape, on when `prometheus_port` is set
 * (independent of `output_methods`, as `emissions_endpoint` is).
 */
export function prometheusScrapeOutput(context: OutputContext): OutputBuilder | undefined {
  const { config, logger } = context;
  if (config.prometheusPort === undefined) return undefined;
  if (config.prometheusPort > 65_535) {
    throw new ConfigError({
      key: 'prometheus_port',
      value: String(config.prometheusPort),
      source: config.sources.prometheus_port ?? { kind: 'option' },
      accepted: 'a TCP port from 0 (any free port) to 65535',
    });
  }
  const port = config.prometheusPort;
  return () =>
    new PrometheusScrapeOutput(loadPromClient(), {
      host: config.prometheusHost,
      port,
      experimentName: config.experimentName,
      logger,
    });
}
