import type { OnceLogger } from '../log/logger.js';
import type { OutputHandler } from '../output/handler.js';
import type { RunRecords } from './run.js';

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
  if (pending.length === 0) return Promise.resolve();
  // Only a final output (flush, stop) holds the process while it waits; periodic ones never do.
  return settleWithin(Promise.all(pending), HANDLER_LIMIT_MS, event !== 'liveOut', () =>
    logger.once(
      `handlers-${event}-slow`,
      'warn',
      `An output has not finished ${event}() after ${HANDLER_LIMIT_MS / 1000} s; not waiting for ` +
        'it any longer (it keeps running in the background).',
    ),
  );
}

/** `out` to every handler, then `taskOut` with every finished task when there are tasks. */
export function emitRecords(
  handlers: readonly OutputHandler[],
  logger: OnceLogger,
  records: RunRecords,
): Promise<void> {
  const { total, delta, tasks } = records;
  const outs = dispatch(handlers, 'out', logger, () => [{ ...total }, { ...delta }]);
  if (tasks.length === 0) return outs;
  const taskOuts = dispatch(handlers, 'taskOut', logger, () => [
    tasks.map((task) => ({ ...task })),
  ]);
  return Promise.all([outs, taskOuts]).then(() => undefined);
}

/** How long stop() and flush() wait for asynchronous outputs before going on. */
const HANDLER_LIMIT_MS = 15_000;

/** Resolves when `work` settles or after `limitMs` (calling `onLate`), whichever is first. */
function settleWithin(
  work: Promise<unknown>,
  limitMs: number,
  holdProcess: boolean,
  onLate: () => void,
): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      onLate();
      resolve();
    }, limitMs);
    if (!holdProcess) timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

function handlerName(handler: OutputHandler): string {
  const name = handler.constructor?.name;
  return name && name !== 'Object' ? name : 'handler';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
