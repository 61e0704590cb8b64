import { type Command, Option } from 'commander';
import type { TrackerOptions } from '../config/options.js';
import { PARAMETERS, type ParameterSpec } from '../config/parameters.js';

/** Parameters the command line offers: all but code-only objects (handlers, loggers). */
const FLAG_PARAMETERS = PARAMETERS.filter((spec) => !spec.codeOnly);

/** CLI defaults that differ from the library's (as CodeCarbon's CLI: 10 s readings). */
export const MONITOR_DEFAULTS: Readonly<Record<string, unknown>> = {
  measure_power_secs: 10,
  api_call_interval: 6,
  log_level: 'warning',
};

/**
 * Monitor's defaults that depend on whether it is given a command: the command's own process
 * tree, or the whole machine. `--help` shows both.
 */
export const MONITOR_COMMAND_DEFAULTS: Readonly<Record<string, unknown>> = {
  tracking_mode: 'process',
};
export const MONITOR_MACHINE_DEFAULTS: Readonly<Record<string, unknown>> = {
  tracking_mode: 'machine',
};

/** Parsed-options key set when the arguments hold a `--` (see acceptBooleanValues). */
const END_OF_OPTIONS = 'codecarbonEndOfOptions';

const BOOLEAN_WORDS = new Map([
  ...['true', 'yes', 'on', '1'].map((word): [string, boolean] => [word, true]),
  ...['false', 'no', 'off', '0'].map((word): [string, boolean] => [word, false]),
]);

/**
 * Adds a `--kebab-case` option for every tracker parameter, its help showing the default
 * this command uses. Booleans are `--x` / `--no-x` flags, never followed by a value that
 * could swallow the monitored command's first word; only when a `--` ends the options may
 * a boolean word follow (`--save-to-file false -- cmd`).
 */
export function addTrackerFlags(command: Command): Command {
  // main.ts builds each command; only monitor has defaults of its own (MONITOR_DEFAULTS…).
  const monitor = command.name() === 'monitor';
  for (const spec of FLAG_PARAMETERS) {
    const flag = spec.key.replaceAll('_', '-');
    const values = spec.values ? ` (${spec.values.join(', ')})` : '';
    const shown = monitor ? monitorDefaultText(spec) : defaultText(spec, {});
    const about = `${spec.doc}${values}${shown}${secretNote(spec)}`;
    if (spec.kind === 'boolean') {
      command.addOption(new Option(`--${flag}`, about));
      command.addOption(new Option(`--no-${flag}`, `do not: ${spec.doc}`).hideHelp());
    } else {
      command.addOption(new Option(`--${flag} <value>`, about));
    }
  }
  command.addHelpText('after', helpNotes());
  acceptBooleanValues(command);
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

/** True when the arguments held a `--` before any other word: a command must follow it. */
export function endOfOptionsGiven(parsed: Record<string, unknown>): boolean {
  return parsed[END_OF_OPTIONS] === true;
}

/**
 * Lets a boolean flag take a value where that cannot be mistaken for the command: as
 * `--flag=false` anywhere, and as `--flag false` when a `--` follows. Commander cannot say
 * this itself (an optional value would swallow `monitor --offline node app.js`'s `node`),
 * so the words are rewritten into `--flag` / `--no-flag` before it reads them.
 */
function acceptBooleanValues(command: Command): void {
  const parseOptions = command.parseOptions.bind(command);
  command.parseOptions = (args: string[]) => {
    const rewritten = rewriteBooleanValues(command, args);
    if (rewritten.endOfOptions) command.setOptionValue(END_OF_OPTIONS, true);
    return parseOptions(rewritten.args);
  };
}

function rewriteBooleanValues(
  command: Command,
  args: readonly string[],
): { args: string[]; endOfOptions: boolean } {
  const valueMayFollow = args.includes('--');
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return { args: [...out, ...args.slice(i)], endOfOptions: true };

    const assigned = /^(--[^=]+)=(.*)$/s.exec(arg);
    const flag = assigned ? assigned[1] : arg;
    const option = command.options.find((candidate) => candidate.long === flag);
    const isBoolean = option !== undefined && !option.required && !option.optional;
    const word = assigned ? assigned[2] : valueMayFollow ? args[i + 1] : undefined;
    const value = isBoolean ? BOOLEAN_WORDS.get(word?.toLowerCase() ?? '') : undefined;

    if (value !== undefined) {
      out.push(...booleanFlag(command, flag as string, value));
      if (!assigned) i++;
    } else if (option?.required === true && !assigned) {
      out.push(arg, ...args.slice(i + 1, i + 2)); // its value, whatever it looks like
      i++;
    } else if (arg.startsWith('-')) {
      out.push(arg);
    } else {
      // The command's first word: Commander passes it and everything after it through.
      return { args: [...out, ...args.slice(i)], endOfOptions: false };
    }
  }
  return { args: out, endOfOptions: false };
}

/** `--x` or `--no-x` for the wanted value; nothing for a flag with no negative form. */
function booleanFlag(command: Command, flag: string, value: boolean): string[] {
  const name = flag.replace(/^--(no-)?/, '');
  const negated = flag.startsWith('--no-');
  const wanted = value !== negated ? `--${name}` : `--no-${name}`;
  return command.options.some((option) => option.long === wanted) ? [wanted] : [];
}

function defaultText(spec: ParameterSpec, overrides: Readonly<Record<string, unknown>>): string {
  const value = defaultValue(spec, overrides);
  return value === undefined ? '' : ` (default: ${value})`;
}

/** `(default: process with a command, machine without)` where the two differ. */
function monitorDefaultText(spec: ParameterSpec): string {
  const withCommand = { ...MONITOR_DEFAULTS, ...MONITOR_COMMAND_DEFAULTS };
  const withoutCommand = { ...MONITOR_DEFAULTS, ...MONITOR_MACHINE_DEFAULTS };
  const whenCommand = defaultValue(spec, withCommand);
  const whenMachine = defaultValue(spec, withoutCommand);
  if (whenCommand === whenMachine) return defaultText(spec, withCommand);
  return ` (default: ${whenCommand ?? 'none'} with a command, ${whenMachine ?? 'none'} without)`;
}

function defaultValue(
  spec: ParameterSpec,
  overrides: Readonly<Record<string, unknown>>,
): string | undefined {
  const value = spec.key in overrides ? overrides[spec.key] : spec.default;
  if (value === undefined || value === '') return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
}

function secretNote(spec: ParameterSpec): string {
  if (spec.kind !== 'secret') return '';
  return ` Prefer CODECARBON_${spec.key.toUpperCase()}: command lines show in ps.`;
}

function helpNotes(): string {
  const secrets = FLAG_PARAMETERS.filter((spec) => spec.kind === 'secret')
    .map((spec) => `--${spec.key.replaceAll('_', '-')}`)
    .join(', ');
  return [
    '',
    'Boolean options are flags: --offline turns one on, --no-offline turns it off. Before',
    'a `--`, a value may follow: --save-to-file false -- <command>.',
    'Every option can also come from a CODECARBON_<NAME> environment variable or from',
    '.codecarbon.config ([codecarbon] section, snake_case names); the command line wins.',
    'Give secrets by environment variable or config file rather than as options: other',
    'users of the machine can read command lines (ps). The secret options:',
    `  ${secrets}.`,
  ].join('\n');
}
