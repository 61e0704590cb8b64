import type { OutputHandler } from '../handler.js';
import { notYetAvailable, type OutputContext } from './output-context.js';

/** The 'logfire' output method. */
export function createLogfireOutput(context: OutputContext): OutputHandler | undefined {
  return notYetAvailable('logfire', context);
}
