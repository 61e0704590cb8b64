import { resolve } from 'node:path';
import { CodeCarbonApiOutput } from '../api/api-output.js';
import { parseEndpoint } from '../api/endpoint-url.js';
import type { OutputBuilder, OutputContext } from './output-context.js';

/**
 * The 'api' output method: deltas to the CodeCarbon API. No request is made here; an invalid
 * `api_endpoint` fails construction. The offline tracker uploads too (it only never looks up
 * its location).
 */
export function apiOutput(context: OutputContext): OutputBuilder {
  const { config, logger } = context;
  parseEndpoint(
    'api_endpoint',
    config.apiEndpoint,
    config.sources.api_endpoint ?? { kind: 'default' },
    true,
  );
  return () => {
    const output = new CodeCarbonApiOutput({
      endpoint: config.apiEndpoint,
      endpointSource: config.sources.api_endpoint ?? { kind: 'default' },
      apiKey: config.apiKey,
      experimentId: config.experimentId,
      outputDir: resolve(config.outputDir),
      logger,
    });
    logger.info(
      `Emissions will be sent to the CodeCarbon API at ${output.endpoint} (experiment ${config.experimentId}).`,
    );
    return output;
  };
}
