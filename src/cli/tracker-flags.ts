import { type Command, Option } from 'commander';
import type { TrackerOptions } from '../config/options.js';
import { PARAMETERS } from '../config/parameters.js';

/** Parameters the command line offers: all but code-only objects (handlers, loggers). */
const FLAG_PARAMETERS = PARAMETERS.filter((spec) => !spec.codeOnly);

/**
 * Adds a `--kebab-case` option for every tracker parameter. Booleans are `--x` / `--no-x`
 * flags (never a value that could swallow the monitored command's first word).
 */
export function addTrackerFlags(command: Command): Command {
  for (const spec of FLAG_PARAMETERS) {
    const flag = spec.key.replaceAll('_', '-');
    if (spec.kind === 'boolean') {
      command.addOption(new Option(`--${flag}`, spec.doc));
      command.addOption(new Option(`--no-${flag}`, `do not: ${spec.doc}`).hideHelp());
    } else {
      const values = spec.values ? ` (${spec.values.join(', ')})` : '';
      command.addOption(new Option(`--${flag} <value>`, `${spec.doc}${values}`));
    }
  }
  return command;
}

/** The parsed flags as tracker options (only those given; text values are parsed later). */
export function trackerOptionsFrom(parsed: Record<string, unknown>): TrackerOptions {
  const options: Record<string, unknown> = {};
  for (const spec of FLAG_PARAMETERS) {
    const value = parsed[spec.option];
    if (value !== undefined) options[spec.option] = value;
  }
  return options as TrackerOptions;
}
