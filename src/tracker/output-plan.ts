import type { ResolvedConfig } from '../config/options.js';
import type { OutputMethod } from '../config/parameters.js';
import type { OutputBuilder, OutputContext } from '../output/factories/output-context.js';

/** Every kind of output: the `output_methods` ones and those turned on by their own setting. */
export type OutputKind = OutputMethod | 'http' | 'otlp' | 'scrape';

/** Checks an output's settings (throwing a ConfigError) and says how to build it. */
export type OutputFactory = (context: OutputContext) => OutputBuilder | undefined;

/** Which built-in outputs are on: `output_methods` when set, else the `save_to_*` flags. */
export function selectedOutputMethods(config: ResolvedConfig): OutputMethod[] {
  if (config.outputMethods) return [...new Set(config.outputMethods)];
  const methods: OutputMethod[] = [];
  if (config.saveToFile) methods.push('csv');
  if (config.saveToApi) methods.push('api');
  if (config.saveToLogger) methods.push('logger');
  if (config.saveToPrometheus) methods.push('prometheus');
  if (config.saveToLogfire) methods.push('logfire');
  return methods;
}

/**
 * The outputs the configuration turns on, in CodeCarbon's order, then the HTTP endpoint, OTLP
 * and the scrape endpoint (on with their own settings, whatever `output_methods` says).
 */
export function outputKinds(config: ResolvedConfig): OutputKind[] {
  const kinds: OutputKind[] = selectedOutputMethods(config);
  if (config.emissionsEndpoint) kinds.push('http');
  if (config.saveToOtlp || config.otlpEndpoint !== undefined) kinds.push('otlp');
  if (config.prometheusPort !== undefined) kinds.push('scrape');
  return kinds;
}

/**
 * Every output of a tracker, checked now (a bad setting throws here) and built later. Outputs
 * that call user code (the user's own handlers, the `logging_logger` output) must run on the
 * user's thread; the built-in ones may run in the sampling worker, where they keep their
 * schedule while user code blocks this thread. Each list keeps the order of `outputKinds`.
 */
export function planOutputs(
  context: OutputContext,
  factories: Partial<Record<OutputKind, OutputFactory>>,
): { userThread: OutputBuilder[]; anyThread: OutputBuilder[] } {
  const userThread: OutputBuilder[] = context.config.outputHandlers.map((handler) => () => handler);
  const anyThread: OutputBuilder[] = [];
  for (const kind of outputKinds(context.config)) {
    const builder = factories[kind]?.(context);
    if (builder) (kind === 'logger' ? userThread : anyThread).push(builder);
  }
  return { userThread, anyThread };
}

/**
 * The settings the built-in outputs need, without what only the user's thread can hold (their
 * handlers and logger): a copy that can be sent to the sampling worker.
 */
export function anyThreadConfig<T extends ResolvedConfig>(config: T): T {
  return {
    ...config,
    outputHandlers: [],
    loggingLogger: undefined,
    saveToLogger: false,
    outputMethods: config.outputMethods?.filter((method) => method !== 'logger'),
    // Written to the reports as JSON anyway: sent as JSON, so no function or class can
    // make the copy fail.
    boampsContext: asJson(config.boampsContext),
  };
}

function asJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}
