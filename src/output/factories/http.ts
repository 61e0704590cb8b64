import type { OutputHandler } from '../handler.js';
import type { OutputContext } from './output-context.js';

/**
 * The `emissions_endpoint` output: POST of the total record on flush and stop. Not available
 * in this version; the configuration layer already says so once when the parameter is set.
 */
export function createHttpOutput(_context: OutputContext): OutputHandler | undefined {
  return undefined;
}
