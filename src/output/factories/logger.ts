import { ConfigError, valueToText } from '../../config/config-error.js';
import { isLoggingLogger, LOGGING_LOGGER_ACCEPTED, LoggerOutput } from '../logger-output.js';
import type { OutputBuilder, OutputContext } from './output-context.js';

/**
 * The 'logger' output method: records to `logging_logger`. Selected without a usable logger,
 * it is a configuration error now rather than a failure at every record later.
 */
export function loggerOutput(context: OutputContext): OutputBuilder {
  const { config, logger } = context;
  const target = config.loggingLogger;
  if (target === undefined || target === null) {
    // Named after the setting that turned the logger output on: that is what the user wrote.
    const selector = config.outputMethods ? 'output_methods' : 'save_to_logger';
    throw new ConfigError({
      key: selector,
      value: valueToText(config.outputMethods ?? config.saveToLogger),
      source: config.sources[selector] ?? { kind: 'default' },
      accepted: LOGGING_LOGGER_ACCEPTED,
      problem: 'the logger output is on but logging_logger is not set',
    });
  }
  if (!isLoggingLogger(target)) {
    throw new ConfigError({
      key: 'logging_logger',
      value: valueToText(target),
      source: config.sources.logging_logger ?? { kind: 'option' },
      accepted: LOGGING_LOGGER_ACCEPTED,
    });
  }
  return () => new LoggerOutput({ target, preamble: config.loggerPreamble, logger });
}
