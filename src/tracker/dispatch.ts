import type { OnceLogger } from '../log/logger.js';
import type { OutputHandler } from '../output/handler.js';
import type { EmissionsData } from '../records/emissions-data.js';

type Event = 'out' | 'liveOut' | 'exit';

/**
 * Calls one event on every handler, in order, each with its own copy of the records. A handler
 * that throws or rejects is logged once and never stops the others or reaches user code.
 * Returns when every asynchronous handler has settled.
 */
export function dispatch(
  handlers: readonly OutputHandler[],
  event: Event,
  logger: OnceLogger,
  total?: EmissionsData,
  delta?: EmissionsData,
): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (const [index, handler] of handlers.entries()) {
    const report = (error: unknown) =>
      logger.once(
        `handler-${index}-${event}`,
        'error',
        `Output ${handlerName(handler)} failed in ${event}(): ${describeError(error)}. ` +
          'Other outputs continue; later failures of this output are not repeated.',
      );
    try {
      const result =
        event === 'exit'
          ? handler.exit?.()
          : handler[event]?.call(
              handler,
              { ...(total as EmissionsData) },
              { ...(delta as EmissionsData) },
            );
      if (result instanceof Promise) pending.push(result.catch(report));
    } catch (error) {
      report(error);
    }
  }
  return Promise.all(pending).then(() => undefined);
}

function handlerName(handler: OutputHandler): string {
  return handler.constructor?.name && handler.constructor.name !== 'Object'
    ? handler.constructor.name
    : 'handler';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
