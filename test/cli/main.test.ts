import { describe, expect, it } from 'vitest';
import { runCli, sandbox } from '../helpers/cli.js';

describe('codecarbon without a command', () => {
  it('prints the short usage on stderr and fails as a usage error', async () => {
    const result = await runCli([], sandbox());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'Usage: codecarbon <command> [options]\n' +
        'Commands: monitor, detect, intensity, report, dashboard.\n' +
        'Run `codecarbon --help` for what each does, `codecarbon <command> --help` for its options.\n',
    );
  });

  it('still prints the whole help with --help, and exits 0', async () => {
    const result = await runCli(['--help'], sandbox());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: codecarbon [options] [command]');
    expect(result.stdout).toMatch(/^ {2}intensity \[options\] /m);
  });
});

describe('codecarbon: parse errors', () => {
  it('names an unknown option, suggests the closest one and where the options are listed', async () => {
    const result = await runCli(['monitor', '--tracking-mod', 'process', '--', 'true'], sandbox());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "codecarbon: unknown option '--tracking-mod'\n" +
        '(Did you mean --tracking-mode?)\n' +
        'Run `codecarbon monitor --help` to see its options.\n',
    );
  });

  it('does the same for the other commands', async () => {
    const result = await runCli(['report', '--jsn'], sandbox());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "codecarbon: unknown option '--jsn'\n" +
        '(Did you mean --json?)\n' +
        'Run `codecarbon report --help` to see its options.\n',
    );
  });

  it('names an unknown command and points at the list of commands', async () => {
    const result = await runCli(['intensty'], sandbox());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "codecarbon: unknown command 'intensty'\n" +
        '(Did you mean intensity?)\n' +
        'Run `codecarbon --help` to see the commands.\n',
    );
  });

  it('exits with the same status as the usage errors the commands find themselves', async () => {
    const result = await runCli(['monitor', '--'], sandbox());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('codecarbon: nothing to run after `--`');
  });
});
