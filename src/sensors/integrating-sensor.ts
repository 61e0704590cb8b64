import type { Component, EnergySensor, SensorReading } from './sensor.js';

/**
 * Base of estimating sensors: energy is the integral of a modelled power over each interval
 * between two readings. The model sees the whole interval (cumulative CPU times, not a short
 * sample), so a reading that arrives late still covers the full period exactly once.
 */
export abstract class IntegratingSensor implements EnergySensor {
  abstract readonly component: Component;
  abstract readonly method: string;
  abstract readonly description: string;

  private energyJ = 0;
  private lastTimeS = 0;
  private lastPowerW = 0;

  start(nowS: number): void {
    this.energyJ = 0;
    this.lastTimeS = nowS;
    this.lastPowerW = 0;
    this.resetModel();
  }

  read(nowS: number): SensorReading {
    const intervalS = nowS - this.lastTimeS;
    if (intervalS <= 0) return { energyJ: this.energyJ, powerW: this.lastPowerW };

    const powerW = finiteOrZero(this.meanPowerW(intervalS));
    this.energyJ += powerW * intervalS;
    this.lastTimeS = nowS;
    this.lastPowerW = powerW;
    return { energyJ: this.energyJ, powerW };
  }

  /** Called by `start()`: take the model's own baseline (CPU times…). */
  protected resetModel(): void {}

  /** Mean power over the `intervalS` seconds that just ended, W. Must not throw. */
  protected abstract meanPowerW(intervalS: number): number;
}

function finiteOrZero(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}
