import { spawnSync } from 'node:child_process';
import type { OnceLogger } from '../../log/logger.js';
import type { EnergySensor } from '../sensor.js';
import { PowermetricsSensor } from './powermetrics-sensor.js';
import { PowermetricsStream } from './powermetrics-stream.js';

/** Apple Silicon brands (`Apple M1`, `Apple M3 Ultra`); Intel Macs never match. */
const APPLE_SILICON = /\bM\d{1,2}\b/;

export function isAppleSilicon(brand: string | undefined): boolean {
  return brand !== undefined && /^Apple\b/.test(brand) && APPLE_SILICON.test(brand);
}

/** Whether `sudo -n powermetrics` runs without a password; decided once per process. */
export type ProbePowermetrics = () => boolean;

const PROBE_TIMEOUT_MS = 3000;
let probed: boolean | undefined;

/**
 * Runs one 1 ms powermetrics sample through `sudo -n`: sudo fails at once instead of asking
 * for a password, and the child is killed after 3 s whatever happens. Synchronous because
 * the method must be known when the sensors are chosen; it runs once per process, only on
 * Apple Silicon, never while measuring.
 */
export const probePowermetrics: ProbePowermetrics = () => {
  if (probed === undefined) {
    const result = spawnSync(
      'sudo',
      ['-n', 'powermetrics', '--samplers', 'cpu_power', '-n', '1', '-i', '1'],
      { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS },
    );
    probed = result.status === 0;
  }
  return probed;
};

export interface PowermetricsOptions {
  platform?: NodeJS.Platform;
  probe?: ProbePowermetrics;
  stream?: PowermetricsStream;
}

/**
 * The CPU sensor of an Apple Silicon Mac where `sudo -n powermetrics` works, with the load
 * model as its fallback; undefined elsewhere (said once when only sudo is missing).
 */
export function powermetricsCpuSensor(
  brand: string | undefined,
  where: { root: string; logger: OnceLogger },
  fallback: EnergySensor,
  options: PowermetricsOptions = {},
): EnergySensor | undefined {
  const stream = appleStream(brand, where, options);
  return stream && new PowermetricsSensor('cpu', stream, fallback);
}

/** The GPU sensor of the same stream, for the GPU selection; undefined where unavailable. */
export function powermetricsGpuSensor(
  brand: string | undefined,
  where: { root: string; logger: OnceLogger },
  options: PowermetricsOptions = {},
): EnergySensor | undefined {
  const stream = appleStream(brand, where, options);
  return stream && new PowermetricsSensor('gpu', stream);
}

let sharedStream: PowermetricsStream | undefined;

function appleStream(
  brand: string | undefined,
  where: { root: string; logger: OnceLogger },
  options: PowermetricsOptions,
): PowermetricsStream | undefined {
  // A fake root (tests) is never the Mac the process runs on.
  if ((options.platform ?? process.platform) !== 'darwin' || where.root !== '/') return undefined;
  if (!isAppleSilicon(brand)) return undefined;
  if (!(options.probe ?? probePowermetrics)()) {
    where.logger.once(
      'powermetrics:sudo',
      'info',
      'Apple Silicon: CPU and GPU power can be measured with powermetrics, which needs passwordless sudo (`sudo -n powermetrics` failed), so CPU power is estimated with the load model. To allow it: `sudo visudo -f /etc/sudoers.d/powermetrics` and add the line `<your user> ALL=(root) NOPASSWD: /usr/bin/powermetrics`.',
    );
    return undefined;
  }
  if (options.stream) return options.stream;
  sharedStream ??= new PowermetricsStream(where.logger);
  return sharedStream;
}
