import type { OutputHandler } from '../handler.js';
import { notYetAvailable, type OutputContext } from './output-context.js';

/** The 'prometheus' output method. */
export function createPrometheusOutput(context: OutputContext): OutputHandler | undefined {
  return notYetAvailable('prometheus', context);
}
