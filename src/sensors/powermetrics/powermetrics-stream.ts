import { type ChildProcess, spawn } from 'node:child_process';
import type { OnceLogger } from '../../log/logger.js';
import { PowermetricsParser, type PowermetricsSample } from './powermetrics-parser.js';

/** Starts the long-lived `powermetrics` child; injectable for tests. */
export type SpawnPowermetrics = () => ChildProcess;

/** Milliseconds between samples: energy is known to within one sample. */
export const SAMPLE_INTERVAL_MS = 1000;

/**
 * `sudo -n`: never a password prompt (no tty is given either); `-b 1`: line-buffered output,
 * so each sample arrives when it is written rather than when a pipe buffer fills.
 */
export const POWERMETRICS_ARGS = [
  '-n',
  'powermetrics',
  '--samplers',
  'cpu_power',
  '-i',
  String(SAMPLE_INTERVAL_MS),
  '-b',
  '1',
];

const spawnPowermetrics: SpawnPowermetrics = () =>
  spawn('sudo', POWERMETRICS_ARGS, { stdio: ['ignore', 'pipe', 'ignore'] });

/** Energies summed over every sample received, J, and the time they cover, s. */
export interface PowermetricsTotals {
  cpuJ: number;
  gpuJ: number;
  sampledS: number;
}

/**
 * One `powermetrics` child streaming samples, shared by the CPU and GPU sensors. Samples are
 * parsed as they arrive and summed as energy (each sample's power × its own length), so no
 * read ever waits for powermetrics. The child is unref'd: it never keeps the process alive,
 * and it ends with the process (its pipe closes) or when the last user releases it.
 */
export class PowermetricsStream {
  private child: ChildProcess | undefined;
  private users = 0;
  private totals: PowermetricsTotals = { cpuJ: 0, gpuJ: 0, sampledS: 0 };

  constructor(
    private readonly logger: OnceLogger,
    private readonly spawnChild: SpawnPowermetrics = spawnPowermetrics,
  ) {}

  /** Whether samples are still coming (false once the child has ended or failed to start). */
  get alive(): boolean {
    return this.child !== undefined;
  }

  /** Energies so far (a copy). */
  read(): PowermetricsTotals {
    return { ...this.totals };
  }

  /** A sensor starts using the stream: starts the child if it is not running. */
  acquire(): void {
    this.users += 1;
    if (this.child === undefined) this.startChild();
  }

  /** A sensor is done with it: the last one stops the child. */
  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users === 0) this.stopChild();
  }

  private startChild(): void {
    let child: ChildProcess;
    try {
      child = this.spawnChild();
    } catch (error) {
      this.ended(`could not start (${String(error)})`);
      return;
    }
    this.child = child;
    const parser = new PowermetricsParser();
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.add(parser.push(chunk)));
    child.once('error', (error) => {
      if (this.child === child) this.ended(`failed: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      this.add(parser.end());
      if (this.child === child) this.ended(`exited (${signal ?? `code ${code}`})`);
    });
    child.unref();
    const stdout = child.stdout as (typeof child.stdout & { unref?: () => void }) | null;
    stdout?.unref?.();
  }

  private stopChild(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill();
  }

  private add(samples: PowermetricsSample[]): void {
    for (const sample of samples) {
      this.totals.cpuJ += (sample.cpuW ?? 0) * sample.elapsedS;
      this.totals.gpuJ += (sample.gpuW ?? 0) * sample.elapsedS;
      this.totals.sampledS += sample.elapsedS;
    }
  }

  private ended(why: string): void {
    this.child = undefined;
    this.logger.once(
      'powermetrics:ended',
      'warn',
      `powermetrics ${why}: CPU power is estimated with the load model from now on; GPU power is no longer measured.`,
    );
  }
}
