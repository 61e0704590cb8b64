import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { TrackerOptions } from '../config/options.js';
import { resolveConfig, type TrackerConfig } from '../config/resolve-config.js';
import { offlineGridProblem } from '../intensity/offline-grid.js';
import { csvWriteFailed } from '../output/csv-write-status.js';
import { EmissionsTracker, type TrackerContext } from '../tracker/emissions-tracker.js';
import { OfflineEmissionsTracker } from '../tracker/offline-emissions-tracker.js';
import { formatCommandLine, quoteShellWord } from './format.js';
import { formatReport } from './report.js';
import {
  endOfOptionsGiven,
  MONITOR_COMMAND_DEFAULTS,
  MONITOR_DEFAULTS,
  MONITOR_MACHINE_DEFAULTS,
  trackerOptionsFrom,
} from './tracker-flags.js';
import { UsageError } from './usage-error.js';

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `codecarbon monitor [options] [-- <command> [args...]]`. */
export async function runMonitor(
  command: string[],
  parsed: Record<string, unknown>,
): Promise<void> {
  const options = { ...trackerOptionsFrom(parsed), installExitHandlers: false };
  const argv = command[0] === '--' ? command.slice(1) : command;
  if (argv.length === 0 && endOfOptionsGiven(parsed)) {
    throw new UsageError(
      'nothing to run after `--`: write the command after it (monitor -- <command> [args...]), ' +
        'or leave `--` out to measure the whole machine.',
    );
  }
  return argv.length > 0 ? monitorCommand(argv, options) : monitorMachine(options);
}

async function monitorCommand(argv: string[], options: TrackerOptions): Promise<void> {
  // The tracked tree is this CLI's children: the command and whatever it starts, not the CLI.
  const tracker = makeTracker(options, MONITOR_COMMAND_DEFAULTS, { excludeRootProcess: true });
  const commandText = formatCommandLine(argv);
  process.stderr.write(`codecarbon: measuring \`${commandText}\`\n`);

  tracker.start();
  // The command's first moments (its start-up) are measured only once the sensors read.
  await tracker.ready();
  const outcome = await runChild(argv);
  await tracker.stop();

  if (outcome.failure) {
    process.stderr.write(`codecarbon: ${outcome.failure}: ${quoteShellWord(argv[0] as string)}\n`);
  }
  printReport(tracker, { command: commandText, exitCode: outcome.exitCode });
  process.exitCode = outcome.exitCode;
}

async function monitorMachine(options: TrackerOptions): Promise<void> {
  const tracker = makeTracker(options, MONITOR_MACHINE_DEFAULTS, { csvLiveUpdate: true });
  process.stderr.write(
    'codecarbon: measuring this machine; press Ctrl+C (or send SIGTERM) to stop and save.\n',
  );
  tracker.start();

  // The tracker's timer is unref'd by design; this agent is meant to live until told to stop.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const name of FORWARDED_SIGNALS) process.once(name, () => resolve(name));
  });
  clearInterval(keepAlive);
  process.stderr.write(`\ncodecarbon: ${signal} received, saving the final record.\n`);
  await tracker.stop();
  printReport(tracker, {});
  process.exitCode = 0;
}

function makeTracker(
  options: TrackerOptions,
  modeDefaults: Readonly<Record<string, unknown>>,
  extra: Partial<TrackerContext> = {},
): EmissionsTracker {
  const context: TrackerContext = { defaults: { ...MONITOR_DEFAULTS, ...modeDefaults }, ...extra };
  const config = resolveConfig(options, context);
  const offline = config.offline;
  if (offline) checkOfflineGrid(config);
  return offline
    ? new OfflineEmissionsTracker(options, context)
    : new EmissionsTracker(options, context);
}

/**
 * Offline, the grid must be known without the network: a forced intensity, a cloud region,
 * a region that names its country (`US-NY`, `SE3`) or a country. Anything that would end
 * at the world average is refused here; a country without data of its own still runs.
 */
function checkOfflineGrid(config: TrackerConfig): void {
  const problem = offlineGridProblem(config);
  if (problem === undefined) return;
  throw new UsageError(
    `offline mode needs to know the grid (${problem}): add --country-iso-code FRA (alpha-3 or ` +
      'alpha-2), a --region that names its country (US-NY, SE3), --cloud-provider with ' +
      '--cloud-region, or --force-carbon-intensity; or set them as CODECARBON_* variables ' +
      'or in .codecarbon.config.',
  );
}

function printReport(
  tracker: EmissionsTracker,
  extra: { command?: string; exitCode?: number },
): void {
  const record = tracker.finalEmissionsData;
  if (!record) {
    process.stderr.write('codecarbon: no record was produced (see the messages above).\n');
    return;
  }
  const csvPath = tracker.csvFilePath;
  process.stderr.write(
    formatReport({
      record,
      details: tracker.measurementDetails,
      csvPath,
      csvWriteFailed: csvPath !== undefined && csvWriteFailed(csvPath),
      ...extra,
    }),
  );
}

interface ChildOutcome {
  exitCode: number;
  /** Why the command could not be started, as the shell says it (`command not found`). */
  failure?: string;
}

/** Runs the command with inherited stdio; forwards termination signals; never rejects. */
function runChild(argv: string[]): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(argv[0] as string, argv.slice(1), { stdio: 'inherit' });
    } catch {
      // Node refuses some names before trying them (an empty one, a NUL byte).
      resolve({ exitCode: 127, failure: 'command not found' });
      return;
    }

    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const cleanup = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };

    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      // 127 and 126 as a POSIX shell reports them.
      if (error.code === 'ENOENT') resolve({ exitCode: 127, failure: 'command not found' });
      else if (error.code === 'EACCES') {
        resolve({ exitCode: 126, failure: 'command not executable (permission denied)' });
      } else resolve({ exitCode: 1, failure: `could not start the command (${error.message})` });
    });
    child.once('exit', (code, signal) => {
      cleanup();
      const signalNumber = signal ? (constants.signals[signal] ?? 0) : 0;
      resolve({ exitCode: code ?? 128 + signalNumber });
    });
  });
}
