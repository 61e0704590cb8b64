import type { OutputHandler } from '../handler.js';
import { notYetAvailable, type OutputContext } from './output-context.js';

/** The 'logger' output method. */
export function createLoggerOutput(context: OutputContext): OutputHandler | undefined {
  return notYetAvailable('logger', context);
}
