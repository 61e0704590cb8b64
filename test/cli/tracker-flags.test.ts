import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  addTrackerFlags,
  endOfOptionsGiven,
  trackerOptionsFrom,
} from '../../src/cli/tracker-flags.js';

/** Parses `args` as `codecarbon monitor <args>` is parsed, without running anything. */
function parseMonitor(args: string[]) {
  let seen: { command: string[]; parsed: Record<string, unknown> } | undefined;
  const program = new Command('codecarbon').enablePositionalOptions().exitOverride();
  addTrackerFlags(
    program.command('monitor').argument('[command...]').passThroughOptions().exitOverride(),
  ).action((command: string[], parsed: Record<string, unknown>) => {
    seen = { command, parsed };
  });
  program.parse(['node', 'codecarbon', 'monitor', ...args]);
  if (seen === undefined) throw new Error('monitor action did not run');
  return {
    command: seen.command,
    options: trackerOptionsFrom(seen.parsed),
    endOfOptions: endOfOptionsGiven(seen.parsed),
  };
}

describe('monitor flags: boolean values', () => {
  it('lets a boolean flag take a literal value when `--` ends the options', () => {
    const parsed = parseMonitor(['--save-to-file', 'false', '--', 'true']);
    expect(parsed.command).toEqual(['true']);
    expect(parsed.options).toEqual({ saveToFile: false });
  });

  it.each([
    ['true', true],
    ['YES', true],
    ['on', true],
    ['1', true],
    ['False', false],
    ['no', false],
    ['off', false],
    ['0', false],
  ])('reads --offline %s before `--` as %s', (word, value) => {
    const parsed = parseMonitor(['--offline', word, '--', 'node', 'app.js']);
    expect(parsed.options).toEqual({ offline: value });
    expect(parsed.command).toEqual(['node', 'app.js']);
  });

  it('reads --no-x with a value as the negation of that value', () => {
    expect(parseMonitor(['--no-save-to-file', 'true', '--', 'x']).options).toEqual({
      saveToFile: false,
    });
    expect(parseMonitor(['--no-save-to-file', 'false', '--', 'x']).options).toEqual({
      saveToFile: true,
    });
  });

  it('keeps plain flags, and a following word that is not a boolean, as they were', () => {
    const parsed = parseMonitor(['--offline', '--no-save-to-file', '--', 'false', 'x']);
    expect(parsed.options).toEqual({ offline: true, saveToFile: false });
    expect(parsed.command).toEqual(['false', 'x']);
    expect(parseMonitor(['--offline', 'node', '--', 'x']).command).toEqual(['node', '--', 'x']);
  });

  it('without `--`, a word after a boolean flag is still the command (as before)', () => {
    const parsed = parseMonitor(['--offline', 'true', 'arg']);
    expect(parsed.options).toEqual({ offline: true });
    expect(parsed.command).toEqual(['true', 'arg']);
  });

  it('accepts --flag=value anywhere, since it cannot be mistaken for the command', () => {
    const parsed = parseMonitor(['--save-to-file=off', '--offline=TRUE', 'node', 'app.js']);
    expect(parsed.options).toEqual({ saveToFile: false, offline: true });
    expect(parsed.command).toEqual(['node', 'app.js']);
  });

  it('never takes the value of a value option for a boolean word', () => {
    const parsed = parseMonitor(['--project-name', 'yes', '--offline', 'no', '--', 'x']);
    expect(parsed.options).toEqual({ projectName: 'yes', offline: false });
    expect(parsed.command).toEqual(['x']);
  });

  it('stops rewriting at the command: its own `--` and words are passed through', () => {
    const parsed = parseMonitor(['--offline', 'git', 'log', '--stat', 'true', '--', 'a']);
    expect(parsed.options).toEqual({ offline: true });
    expect(parsed.command).toEqual(['git', 'log', '--stat', 'true', '--', 'a']);
  });
});

describe('monitor flags: the end of options', () => {
  it('says when `--` was given, even with nothing after it', () => {
    expect(parseMonitor(['--offline', '--'])).toMatchObject({ command: [], endOfOptions: true });
    expect(parseMonitor(['--', 'x'])).toMatchObject({ command: ['x'], endOfOptions: true });
    expect(parseMonitor(['--offline'])).toMatchObject({ command: [], endOfOptions: false });
  });
});

describe('monitor flags: help', () => {
  function monitorHelp(): string {
    const program = new Command('codecarbon');
    const monitor = addTrackerFlags(program.command('monitor'));
    let text = '';
    monitor.configureOutput({ writeOut: (chunk) => (text += chunk) });
    monitor.outputHelp();
    return text;
  }

  it("shows each option's default, with monitor's own where they differ from the library's", () => {
    const help = monitorHelp().replace(/\s+/g, ' ');
    expect(help).toContain(
      '--measure-power-secs <value> Seconds between two power readings. (default: 10)',
    );
    expect(help).toContain('(default: codecarbon)');
    expect(help).toContain('--save-to-file Write records to the CSV file. (default: true)');
  });

  it('gives tracking_mode both of its monitor defaults: process with a command, machine without', () => {
    const help = monitorHelp().replace(/\s+/g, ' ');
    expect(help).toContain('(machine, process) (default: process with a command, machine without)');
    expect(help).not.toContain('(default: machine)');
  });

  it('shows library defaults for other commands', () => {
    const program = new Command('codecarbon');
    const detect = addTrackerFlags(program.command('detect'));
    expect(detect.helpInformation().replace(/\s+/g, ' ')).toContain(
      'Seconds between two power readings. (default: 15)',
    );
  });

  it('explains the --no-x forms, boolean values, and why secrets belong in the environment', () => {
    const help = monitorHelp().replace(/\s+/g, ' ');
    expect(help).toContain('--no-offline turns it off');
    expect(help).toContain('--save-to-file false -- <command>');
    expect(help).toContain('other users of the machine can read command lines (ps)');
    expect(help).toContain('--api-key, --electricitymaps-api-token');
    expect(help).toContain('Prefer CODECARBON_API_KEY');
  });
});
