import type { ConfigError } from '../config/config-error.js';
import { findParameter } from '../config/parameters.js';

/**
 * Exit status of a usage or configuration error, and of no command at all. Commander exits
 * with 1 on its own parse errors too (unknown option, missing value), so they all agree.
 */
export const USAGE_ERROR_STATUS = 1;

/** A mistake in how the command was called; reported in one line, exit status 1. */
export class UsageError extends Error {
  /**
   * The line the CLI prints for a usage or configuration error. Every value the library
   * calls an "option" came from this command line, so it is named as typed there:
   * `command-line option --measure-power-secs` instead of `option measurePowerSecs`.
   */
  static lineFor(error: UsageError | ConfigError): string {
    if (!('source' in error) || error.source.kind !== 'option') return error.message;
    const spec = findParameter(error.key);
    if (spec === undefined) return error.message;
    const flag = `--${spec.key.replaceAll('_', '-')}`;
    return error.message.replace(
      new RegExp(`\\b([Oo])ption ${spec.option}\\b`),
      (_, o: string) => `${o === 'O' ? 'Command-line' : 'command-line'} option ${flag}`,
    );
  }
}
