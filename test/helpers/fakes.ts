import type { Component, EnergySensor, SensorReading } from '../../src/sensors/sensor.js';

/** A clock the test moves by hand: monotonic seconds and wall-clock milliseconds. */
export class ManualClock {
  timeS = 1000;
  wallMs = Date.UTC(2026, 0, 15, 10, 30, 0);

  advance(seconds: number): void {
    this.timeS += seconds;
    this.wallMs += seconds * 1000;
  }

  readonly read = () => ({ timeS: this.timeS, wallMs: this.wallMs });
}

/** A sensor with a known constant power: energy is exactly power × time since start. */
export class ConstantFakeSensor implements EnergySensor {
  readonly description: string;
  private startS = 0;

  constructor(
    readonly component: Component,
    public powerW: number,
    readonly method = `fake-${component}`,
  ) {
    this.description = `fake ${powerW} W`;
  }

  start(nowS: number): void {
    this.startS = nowS;
  }

  read(nowS: number): SensorReading {
    return { energyJ: this.powerW * (nowS - this.startS), powerW: this.powerW };
  }
}

/** A cumulative counter that the test sets directly (joules since start). */
export class CounterFakeSensor implements EnergySensor {
  readonly description = 'fake counter';
  energyJ = 0;

  constructor(
    readonly component: Component,
    readonly method = `fake-${component}-counter`,
  ) {}

  start(): void {
    this.energyJ = 0;
  }

  read(): SensorReading {
    return { energyJ: this.energyJ, powerW: 0 };
  }
}
