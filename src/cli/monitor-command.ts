import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { TrackerOptions } from '../config/options.js';
import { resolveConfig } from '../config/resolve-config.js';
import { EmissionsTracker, type TrackerContext } from '../tracker/emissions-tracker.js';
import { OfflineEmissionsTracker } from '../tracker/offline-emissions-tracker.js';
import { formatReport } from './report.js';
import { trackerOptionsFrom } from './tracker-flags.js';
import { UsageError } from './usage-error.js';

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** CLI defaults that differ from the library's (as CodeCarbon's CLI: 10 s readings). */
const MONITOR_DEFAULTS = { measure_power_secs: 10, api_call_interval: 6, log_level: 'warning' };

/** `codecarbon monitor [options] [-- <command> [args...]]`. */
export async function runMonitor(
  command: string[],
  parsed: Record<string, unknown>,
): Promise<void> {
  const options = { ...trackerOptionsFrom(parsed), installExitHandlers: false };
  const argv = command[0] === '--' ? command.slice(1) : command;
  return argv.length > 0 ? monitorCommand(argv, options) : monitorMachine(options);
}

async function monitorCommand(argv: string[], options: TrackerOptions): Promise<void> {
  const tracker = makeTracker(options, { tracking_mode: 'process' });
  const commandText = argv.join(' ');
  process.stderr.write(`codecarbon: measuring \`${commandText}\`\n`);

  tracker.start();
  const outcome = await runChild(argv);
  await tracker.stop();

  if (outcome.notFound) process.stderr.write(`codecarbon: command not found: ${argv[0]}\n`);
  printReport(tracker, { command: commandText, exitCode: outcome.exitCode });
  process.exitCode = outcome.exitCode;
}

async function monitorMachine(options: TrackerOptions): Promise<void> {
  const tracker = makeTracker(options, { tracking_mode: 'machine' }, { csvLiveUpdate: true });
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
  modeDefaults: Record<string, unknown>,
  extra: Partial<TrackerContext> = {},
): EmissionsTracker {
  const context: TrackerContext = { defaults: { ...MONITOR_DEFAULTS, ...modeDefaults }, ...extra };
  const config = resolveConfig(options, context);
  const offline = config.offline;
  if (offline && !config.countryIsoCode && !config.cloudProvider) {
    throw new UsageError(
      'offline mode needs the country of the grid: add --country-iso-code FRA (alpha-3 or ' +
        'alpha-2), set CODECARBON_COUNTRY_ISO_CODE, or put country_iso_code in .codecarbon.config.',
    );
  }
  return offline
    ? new OfflineEmissionsTracker(options, context)
    : new EmissionsTracker(options, context);
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
  process.stderr.write(
    formatReport({
      record,
      details: tracker.measurementDetails,
      csvPath: tracker.csvFilePath,
      ...extra,
    }),
  );
}

/** Runs the command with inherited stdio; forwards termination signals; never rejects. */
function runChild(argv: string[]): Promise<{ exitCode: number; notFound: boolean }> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(argv[0] as string, argv.slice(1), { stdio: 'inherit' });
    } catch {
      resolve({ exitCode: 127, notFound: true });
      return;
    }

    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const cleanup = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };

    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      if (error.code === 'ENOENT') resolve({ exitCode: 127, notFound: true });
      else if (error.code === 'EACCES') resolve({ exitCode: 126, notFound: false });
      else resolve({ exitCode: 1, notFound: false });
    });
    child.once('exit', (code, signal) => {
      cleanup();
      const signalNumber = signal ? (constants.signals[signal] ?? 0) : 0;
      resolve({ exitCode: code ?? 128 + signalNumber, notFound: false });
    });
  });
}
