import type { OnceLogger } from '../log/logger.js';
import type { OutputHandler } from '../output/handler.js';

type Event = keyof OutputHandler;

/**
 * Calls one event on every handler, in order. `args` is called once per handler so each gets
 * its own copies of the records. A handler that throws or rejects is logged once and never
 * stops the others or reaches user code. Returns when every asynchronous handler has settled.
 */
export function dispatch(
  handlers: readonly OutputHandler[],
  event: Event,
  logger: OnceLogger,
  args: () => unknown[] = () => [],
): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (const [index, handler] of handlers.entries()) {
    const method = handler[event] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof method !== 'function') continue;

    const report = (error: unknown) =>
      logger.once(
        `handler-${index}-${event}`,
        'error',
        `Output ${handlerName(handler)} failed in ${event}(): ${describeError(error)}. ` +
          'Other outputs continue; later failures of this output are not repeated.',
      );
    try {
      const result = method.apply(handler, args());
      if (result instanceof Promise) pending.push(result.catch(report));
    } catch (error) {
      report(error);
    }
  }
  return Promise.all(pending).then(() => undefined);
}

function handlerName(handler: OutputHandler): string {
  const name = handler.constructor?.name;
  return name && name !== 'Object' ? name : 'handler';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
