import { resolve } from 'node:path';
import type { OutputHandler } from '../handler.js';
import { HttpEndpointOutput } from '../http/http-endpoint-output.js';
import type { OutputContext } from './output-context.js';

/**
 * The `emissions_endpoint` output: the total record POSTed as JSON on flush and stop. Built
 * whenever the endpoint is set, whatever the output methods; an invalid URL fails construction.
 */
export function createHttpOutput(context: OutputContext): OutputHandler | undefined {
  const { config, logger } = context;
  if (!config.emissionsEndpoint) return undefined;
  const output = new HttpEndpointOutput({
    url: config.emissionsEndpoint,
    urlSource: config.sources.emissions_endpoint ?? { kind: 'default' },
    outputDir: resolve(config.outputDir),
    logger,
  });
  logger.info(`Emissions records will be sent to ${output.url}.`);
  return output;
}
