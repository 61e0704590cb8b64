import { ConfigError } from '../config/config-error.js';
import type { TrackerOptions } from '../config/options.js';
import { resolveConfig } from '../config/resolve-config.js';
import { offlineGridProblem } from '../intensity/offline-grid.js';
import { EmissionsTracker } from '../tracker/emissions-tracker.js';
import { OfflineEmissionsTracker } from '../tracker/offline-emissions-tracker.js';

/** Options of `trackEmissions`: every tracker option, `offline` included. */
export type TrackEmissionsOptions = TrackerOptions;

// biome-ignore lint/suspicious/noExplicitAny: a wrapper must accept any function signature.
type AnyFunction = (this: any, ...args: any[]) => any;

type MethodDecorator = <This, Args extends unknown[], Result>(
  method: (this: This, ...args: Args) => Result,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Result>,
) => (this: This, ...args: Args) => Result;

/**
 * Measures every call of `fn`: the returned function has the same signature (sync or async,
 * `this` preserved), starts a tracker, runs `fn`, stops the tracker in every case and returns
 * `fn`'s result or rethrows its error after stopping. Without a function, returns a standard
 * method decorator: `@trackEmissions({ projectName: 'x' })`.
 *
 * The options are validated now, at wrap time: `offline` without a country (from the options,
 * the environment or the config files) is an error here, not at the first call.
 */
export function trackEmissions<F extends AnyFunction>(fn: F, options?: TrackEmissionsOptions): F;
export function trackEmissions(options?: TrackEmissionsOptions): MethodDecorator;
export function trackEmissions(
  fnOrOptions?: AnyFunction | TrackEmissionsOptions,
  maybeOptions: TrackEmissionsOptions = {},
): AnyFunction | MethodDecorator {
  if (typeof fnOrOptions === 'function') return wrap(fnOrOptions, maybeOptions);
  const options = fnOrOptions ?? {};
  checkOptions(options);
  return ((method: AnyFunction) => wrap(method, options)) as MethodDecorator;
}

function wrap<F extends AnyFunction>(fn: F, options: TrackEmissionsOptions): F {
  const offline = checkOptions(options);
  const wrapped = function (this: unknown, ...args: unknown[]) {
    const tracker = offline ? new OfflineEmissionsTracker(options) : new EmissionsTracker(options);
    return runMeasured(tracker, () => fn.apply(this, args));
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped as F;
}

/**
 * Runs `call` between `start()` and a stop that happens before the result is returned: a
 * synchronous result stops synchronously (the CSV row is written before returning), a
 * promise stops when it settles.
 */
export function runMeasured<T>(
  tracker: { start(): void; stop(): Promise<unknown>; stopSync(reason?: string): unknown },
  call: () => T,
): T {
  tracker.start();
  let result: T;
  try {
    result = call();
  } catch (error) {
    tracker.stopSync('the measured function threw');
    throw error;
  }
  if (!isPromiseLike(result)) {
    tracker.stopSync('the measured function returned');
    return result;
  }
  return Promise.resolve(result).then(
    async (value) => {
      await tracker.stop();
      return value;
    },
    async (error: unknown) => {
      await tracker.stop();
      throw error;
    },
  ) as T;
}

/** Validates the options once; returns whether the wrapped calls run offline. */
function checkOptions(options: TrackEmissionsOptions): boolean {
  const config = resolveConfig(options);
  const problem = config.offline ? offlineGridProblem(config) : undefined;
  if (problem !== undefined) {
    throw new ConfigError({
      key: 'country_iso_code',
      value: '',
      source: config.sources.country_iso_code ?? { kind: 'default' },
      accepted:
        `a location for offline mode (${problem}): countryIsoCode (e.g. "FRA"), a region that ` +
        'names its country ("US-NY"), a cloudProvider with cloudRegion, or ' +
        'forceCarbonIntensity — as options, CODECARBON_* variables or in .codecarbon.config',
    });
  }
  return config.offline;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
