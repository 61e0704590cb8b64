import type { Command } from 'commander';
import type { Guard } from './report-command.js';
import { UsageError } from './usage-error.js';

/** `codecarbon dashboard [files…] [--port N] [--host A]`: the emissions files in a browser. */
export function addDashboardCommand(program: Command, guard: Guard): void {
  program
    .command('dashboard')
    .description(
      'Serve a local web page showing emissions CSV files (this tool or Python CodeCarbon): ' +
        'projects and runs over time, components, locations, run details. Files are re-read ' +
        'when they change.',
    )
    .argument('[files...]', 'emissions CSV files (default: ./emissions.csv)')
    .option('--port <port>', 'TCP port (0 picks a free one)', '8050')
    .option(
      '--host <address>',
      'address to listen on; anything but 127.0.0.1/localhost exposes the data to the network',
      '127.0.0.1',
    )
    .action(
      guard((files: string[], options: Record<string, unknown>) => runDashboard(files, options)),
    );
}

async function runDashboard(files: string[], options: Record<string, unknown>): Promise<void> {
  const port = Number(options.port);
  if (!/^\d+$/.test(String(options.port)) || port > 65535) {
    throw new UsageError(`--port ${JSON.stringify(options.port)} is not a port number (0-65535)`);
  }
  const host = String(options.host);
  const paths = files.length > 0 ? files : ['emissions.csv'];

  const { startDashboard } = await import('../dashboard/server.js');
  const { formatIssues } = await import('./report-command.js');
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  try {
    dashboard = await startDashboard({ files: paths, host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new UsageError(
        `port ${port} is in use on ${host}: choose another with --port (0 picks a free one)`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new UsageError(`--host ${host} is not an address of this machine`);
    }
    throw error;
  }

  process.stderr.write(formatIssues(dashboard.data.dataset.issues));
  if (!/^(127\.|localhost$|::1$)/.test(host)) {
    process.stderr.write(
      `codecarbon: the dashboard listens on ${host} without any authentication: ` +
        'anyone who can reach this port can read the emissions files\n',
    );
  }
  process.stdout.write(
    `codecarbon dashboard: ${dashboard.url}\n` +
      `  showing ${paths.join(', ')} (re-read when they change); Ctrl+C to stop\n`,
  );

  const stop = () => {
    void dashboard.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
