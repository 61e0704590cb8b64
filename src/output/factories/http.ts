import { resolve } from 'node:path';
import { parseEndpoint } from '../api/endpoint-url.js';
import { HttpEndpointOutput } from '../http/http-endpoint-output.js';
import type { OutputBuilder, OutputContext } from './output-context.js';

/**
 * The `emissions_endpoint` output: the total record POSTed as JSON on flush and stop. Built
 * whenever the endpoint is set, whatever the output methods; an invalid URL fails construction.
 */
export function httpOutput(context: OutputContext): OutputBuilder | undefined {
  const { config, logger } = context;
  const url = config.emissionsEndpoint;
  if (!url) return undefined;
  parseEndpoint(
    'emissions_endpoint',
    url,
    config.sources.emissions_endpoint ?? { kind: 'default' },
    false,
  );
  return () => {
    const output = new HttpEndpointOutput({
      url,
      urlSource: config.sources.emissions_endpoint ?? { kind: 'default' },
      outputDir: resolve(config.outputDir),
      logger,
    });
    logger.info(`Emissions records will be sent to ${output.url}.`);
    return output;
  };
}
