import type { OnceLogger } from '../log/logger.js';
import type { Component, EnergySensor, MeasuredSensor, SensorReading } from './sensor.js';

/**
 * Failed reads in a row after which a measured sensor is given up. One or two failures are
 * transient (a busy kernel, a driver hiccup) and cost nothing: the counter's next good read
 * still covers the whole time. A file that has vanished or a GPU that fell off the bus stays
 * failed, and the component's energy would otherwise stop growing for the rest of the run.
 */
export const FAILED_READS_BEFORE_FALLBACK = 3;

export interface FallbackSensorOptions {
  /** The measured sensor used while it works. */
  primary: MeasuredSensor;
  /** Same component; what would have been chosen without the primary (the load model…). */
  fallback: EnergySensor;
  /** What the component's energy becomes after the hand-over, for the warning. */
  instead: string;
  /** What the user can do about the failure, for the warning. */
  advice: string;
  logger: OnceLogger;
}

const NAMES: Record<Component, string> = { cpu: 'CPU', gpu: 'GPU', ram: 'RAM' };

/**
 * A measured sensor backed by a model for when its reads keep failing.
 *
 * While the primary works its readings pass through. During a run of failed reads the last
 * good reading is held (a failed read is never taken as 0, and a partial one, some zones read
 * and others not, is not reported), and the fallback takes its own baseline at the first
 * failure, in case the failure lasts. If the primary reads again, its reading covers the
 * whole time and the fallback is forgotten. After `FAILED_READS_BEFORE_FALLBACK` failures in
 * a row the fallback takes over for the rest of the run: the energy is the primary's last
 * good reading, plus the fallback's energy since the first failure, plus the interval
 * between the last good read and the first failure at the fallback's mean power over the
 * failure. Nothing is counted twice, nothing is left out, and the total never decreases.
 * The method then says so: `tdp-load-model (after rapl-package failed)`.
 */
export class FallbackSensor implements EnergySensor {
  readonly component: Component;

  private readonly options: FallbackSensorOptions;
  /** The primary's last good reading and its time. */
  private good = { energyJ: 0, powerW: 0, timeS: 0 };
  private failedReads = 0;
  /** Baseline of the fallback: the first failed read of the current run of failures, s. */
  private fallbackFromS = 0;
  /** Set once the fallback has taken over: energy before its baseline, J, and why. */
  private handedOver: { baseJ: number; reason: string } | undefined;
  private last: SensorReading = { energyJ: 0, powerW: 0 };
  private lastS = 0;

  constructor(options: FallbackSensorOptions) {
    if (options.fallback.component !== options.primary.component) {
      throw new Error(
        `fallback for ${options.primary.component} measures ${options.fallback.component}`,
      );
    }
    this.options = options;
    this.component = options.primary.component;
  }

  get method(): string {
    const { primary, fallback } = this.options;
    return this.handedOver ? `${fallback.method} (after ${primary.method} failed)` : primary.method;
  }

  get description(): string {
    const { primary, fallback } = this.options;
    if (!this.handedOver) return primary.description;
    return `${fallback.description}, after ${primary.method} failed (${this.handedOver.reason})`;
  }

  /** A new run tries the primary again. */
  start(nowS: number): void {
    this.options.primary.start(nowS);
    this.good = { energyJ: 0, powerW: 0, timeS: nowS };
    this.failedReads = 0;
    this.handedOver = undefined;
    this.last = { energyJ: 0, powerW: 0 };
    this.lastS = nowS;
  }

  read(nowS: number): SensorReading {
    // A repeated time is no new read: it must not count as another failure.
    if (nowS <= this.lastS) return this.last;
    this.lastS = nowS;
    this.last = this.handedOver ? this.fromFallback(nowS) : this.fromPrimary(nowS);
    return this.last;
  }

  utilisationPercent(): number | undefined {
    const { primary, fallback } = this.options;
    return (this.handedOver ? fallback : primary).utilisationPercent?.();
  }

  close(): void {
    this.options.primary.close?.();
    this.options.fallback.close?.();
  }

  private fromPrimary(nowS: number): SensorReading {
    const { primary, fallback } = this.options;
    const reading = primary.read(nowS);
    const reason = primary.lastFailure;
    if (reason === undefined) {
      this.good = { ...reading, timeS: nowS };
      this.failedReads = 0;
      return reading;
    }

    this.failedReads += 1;
    if (this.failedReads === 1) {
      fallback.start(nowS);
      this.fallbackFromS = nowS;
    }
    if (this.failedReads < FAILED_READS_BEFORE_FALLBACK) {
      if (this.failedReads > 1) fallback.read(nowS);
      return { energyJ: this.good.energyJ, powerW: this.good.powerW };
    }
    return this.handOver(nowS, reason);
  }

  private handOver(nowS: number, reason: string): SensorReading {
    const { fallback } = this.options;
    const sinceFailureJ = fallback.read(nowS).energyJ;
    const failingS = nowS - this.fallbackFromS;
    const gapS = this.fallbackFromS - this.good.timeS;
    const gapJ = failingS > 0 ? (sinceFailureJ / failingS) * gapS : 0;
    this.handedOver = { baseJ: this.good.energyJ + gapJ, reason };
    this.sayHandOver(reason);
    return this.fromFallback(nowS);
  }

  private fromFallback(nowS: number): SensorReading {
    const reading = this.options.fallback.read(nowS);
    return { energyJ: (this.handedOver?.baseJ ?? 0) + reading.energyJ, powerW: reading.powerW };
  }

  private sayHandOver(reason: string): void {
    const { primary, instead, advice, logger } = this.options;
    const name = NAMES[this.component];
    logger.once(
      `sensor-fallback:${this.component}:${primary.description}`,
      'warn',
      `${name} measurement failed ${FAILED_READS_BEFORE_FALLBACK} times in a row (${primary.description}, ${primary.method}): ${reason}. From now on ${instead}; the ${formatJ(this.good.energyJ)} J measured until then are kept. ${advice}`,
    );
  }
}

function formatJ(energyJ: number): string {
  return Number(energyJ.toFixed(3)).toString();
}
