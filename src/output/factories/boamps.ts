import type { OutputHandler } from '../handler.js';
import { notYetAvailable, type OutputContext } from './output-context.js';

/** The 'boamps' output method. */
export function createBoampsOutput(context: OutputContext): OutputHandler | undefined {
  return notYetAvailable('boamps', context);
}
