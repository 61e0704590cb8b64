import type { EnergySensor, SensorReading } from '../sensor.js';
import type { PowermetricsStream } from './powermetrics-stream.js';

/**
 * CPU or GPU energy of an Apple Silicon Mac from a shared `powermetrics` stream. Energy is
 * the sum of the samples received since `start()`; it trails real time by at most one
 * sample (1 s). When the stream ends (powermetrics killed, sudo rights revoked), the CPU
 * sensor carries on with its fallback, the load model, from the next reading.
 */
export class PowermetricsSensor implements EnergySensor {
  readonly method = 'powermetrics';
  readonly description: string;

  private energyJ = 0;
  private powerW = 0;
  private lastS = 0;
  private lastTotalJ = 0;
  private lastSampledS = 0;
  private lastFallbackJ = 0;
  private started = false;

  constructor(
    readonly component: 'cpu' | 'gpu',
    private readonly stream: PowermetricsStream,
    /** Used once the stream has ended (CPU: the load model). */
    private readonly fallback?: EnergySensor,
  ) {
    this.description = `powermetrics ${component === 'cpu' ? 'CPU' : 'GPU'} power (Apple Silicon, sudo -n), whole machine`;
  }

  start(nowS: number): void {
    if (!this.started) this.stream.acquire();
    this.started = true;
    const totals = this.stream.read();
    this.lastTotalJ = this.totalJ(totals);
    this.lastSampledS = totals.sampledS;
    this.fallback?.start(nowS);
    this.lastFallbackJ = 0;
    this.energyJ = 0;
    this.powerW = 0;
    this.lastS = nowS;
  }

  read(nowS: number): SensorReading {
    if (nowS <= this.lastS) return { energyJ: this.energyJ, powerW: this.powerW };

    const totals = this.stream.read();
    const sampledJ = Math.max(0, this.totalJ(totals) - this.lastTotalJ);
    const sampledS = totals.sampledS - this.lastSampledS;
    const fallback = this.fallback?.read(nowS);
    const fallbackJ = fallback ? Math.max(0, fallback.energyJ - this.lastFallbackJ) : 0;

    let stepJ = sampledJ;
    if (sampledS > 0) {
      this.powerW = sampledJ / sampledS;
    } else if (!this.stream.alive && fallback) {
      // No sample this interval and none will come: the model covers it.
      stepJ = fallbackJ;
      this.powerW = fallback.powerW;
    }

    this.energyJ += stepJ;
    this.lastTotalJ += sampledJ;
    this.lastSampledS = totals.sampledS;
    this.lastFallbackJ = fallback?.energyJ ?? 0;
    this.lastS = nowS;
    return { energyJ: this.energyJ, powerW: this.powerW };
  }

  /** Lets the stream stop its child when no sensor uses it any more. */
  close(): void {
    if (this.started) this.stream.release();
    this.started = false;
  }

  private totalJ(totals: { cpuJ: number; gpuJ: number }): number {
    return this.component === 'cpu' ? totals.cpuJ : totals.gpuJ;
  }
}
