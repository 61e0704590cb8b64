import type { OutputHandler } from '../handler.js';
import { notYetAvailable, type OutputContext } from './output-context.js';

/** The 'api' output method. */
export function createApiOutput(context: OutputContext): OutputHandler | undefined {
  return notYetAvailable('api', context);
}
