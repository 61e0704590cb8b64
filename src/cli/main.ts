import { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { VERSION } from '../version.js';
import { runDetect } from './detect-command.js';
import { runIntensity } from './intensity-command.js';
import { runMonitor } from './monitor-command.js';
import { addTrackerFlags } from './tracker-flags.js';
import { USAGE_ERROR_STATUS, UsageError } from './usage-error.js';

/** Entry point of the `codecarbon` executable. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('codecarbon')
    .description('Measure the energy and CO2eq emissions of a command or of this machine.')
    .version(`codecarbon ${VERSION}`, '-v, --version')
    .enablePositionalOptions()
    // Commander's own parse errors in the CLI's voice: `codecarbon: unknown option …`.
    .configureOutput({
      outputError: (text, write) => write(text.replace(/^error: /, 'codecarbon: ')),
    });

  addTrackerFlags(
    program
      .command('monitor')
      .description(
        'Run <command> and measure it and its child processes; without a command, measure ' +
          'the whole machine until SIGINT or SIGTERM.',
      )
      .usage('[options] [-- <command> [args...]]')
      .argument('[command...]', 'the command to run and measure')
      .passThroughOptions(),
  ).action(
    guard((command: string[], options: Record<string, unknown>) => runMonitor(command, options)),
  );

  addTrackerFlags(
    program
      .command('detect')
      .description('Show the hardware found and how each component will be measured.')
      .option('--json', 'print JSON'),
  ).action(guard((options: Record<string, unknown>) => runDetect(options)));

  program
    .command('intensity')
    .description('Show the grid carbon intensity used for a location.')
    .option('--country-iso-code <code>', 'ISO 3166 alpha-3 or alpha-2 country code')
    .option('--region <region>', 'US state, Canadian province or Nordic bidding zone')
    .option('--cloud-provider <provider>', 'aws, azure or gcp')
    .option('--cloud-region <region>', 'region of the cloud provider')
    .option(
      '--force-carbon-intensity <g>',
      'a fixed intensity in g CO2eq/kWh (wins, as in monitor)',
    )
    .option('--json', 'print JSON')
    .action(guard((options: Record<string, unknown>) => runIntensity(options)));

  // <commands: issue 10 (report, dashboard)>
  (await import('./report-command.js')).addReportCommand(program, guard);
  (await import('./dashboard-command.js')).addDashboardCommand(program, guard);

  addHelpHints(program);

  if (argv.length <= 2) {
    // No command is a mistake, as an unknown one is; `codecarbon --help` exits 0.
    process.stderr.write(shortUsage(program));
    process.exitCode = USAGE_ERROR_STATUS;
    return;
  }
  await program.parseAsync(argv);
}

/**
 * After a parse error (unknown option or command, missing value), one line on where the
 * options are listed, instead of the whole help: monitor's runs to ~150 lines and would bury
 * the error and Commander's "Did you mean …?" suggestion. Commander exits with status 1,
 * as the CLI's other usage errors do.
 */
function addHelpHints(program: Command): void {
  program.showHelpAfterError('Run `codecarbon --help` to see the commands.');
  for (const command of program.commands) {
    command.showHelpAfterError(`Run \`codecarbon ${command.name()} --help\` to see its options.`);
  }
}

function shortUsage(program: Command): string {
  const names = program.commands.map((command) => command.name()).join(', ');
  return [
    'Usage: codecarbon <command> [options]',
    `Commands: ${names}.`,
    'Run `codecarbon --help` for what each does, `codecarbon <command> --help` for its options.',
    '',
  ].join('\n');
}

/** Configuration and usage errors become one clear line and status 1, without a stack trace. */
function guard<A extends unknown[]>(action: (...args: A) => Promise<void> | void) {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof UsageError)) throw error;
      process.stderr.write(`codecarbon: ${UsageError.lineFor(error)}\n`);
      process.exitCode = USAGE_ERROR_STATUS;
    }
  };
}
