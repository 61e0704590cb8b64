import type { TaskEmissionsData } from '../records/emissions-data.js';
import type { EmissionsTracker } from '../tracker/emissions-tracker.js';

export interface TrackTaskOptions {
  /** The tracker whose run the task belongs to (started if it is not running). */
  tracker: EmissionsTracker;
  /** Task name; default: the function's name, else a random id. */
  taskName?: string;
  /** Receives the task's record after each call. */
  onRecord?: (record: TaskEmissionsData) => void;
}

// biome-ignore lint/suspicious/noExplicitAny: a wrapper must accept any function signature.
type AnyFunction = (this: any, ...args: any[]) => any;

type MethodDecorator = <This, Args extends unknown[], Result>(
  method: (this: This, ...args: Args) => Result,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Result>,
) => (this: This, ...args: Args) => Result;

/**
 * Runs each call of `fn` as a task of `options.tracker`: `startTask` before, `stopTask` after
 * (also when it throws or rejects). Without a function, a method decorator:
 * `@trackTaskEmissions({ tracker, taskName: 'inference' })`.
 */
export function trackTaskEmissions<F extends AnyFunction>(fn: F, options: TrackTaskOptions): F;
export function trackTaskEmissions(options: TrackTaskOptions): MethodDecorator;
export function trackTaskEmissions(
  fnOrOptions: AnyFunction | TrackTaskOptions,
  maybeOptions?: TrackTaskOptions,
): AnyFunction | MethodDecorator {
  if (typeof fnOrOptions === 'function')
    return wrapTask(fnOrOptions, maybeOptions as TrackTaskOptions);
  return ((method: AnyFunction, context: ClassMethodDecoratorContext) =>
    wrapTask(method, {
      ...fnOrOptions,
      taskName: fnOrOptions.taskName ?? String(context.name),
    })) as MethodDecorator;
}

function wrapTask<F extends AnyFunction>(fn: F, options: TrackTaskOptions): F {
  const { tracker, onRecord } = options;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const name = tracker.startTask(options.taskName ?? (fn.name || undefined));
    const finish = () => {
      if (name === undefined) return;
      const record = tracker.stopTask(name);
      if (record) onRecord?.(record);
    };
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      finish();
      throw error;
    }
    if (result instanceof Promise) return result.finally(finish);
    finish();
    return result;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped as F;
}
