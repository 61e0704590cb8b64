import { IntegratingSensor } from './integrating-sensor.js';
import type { Component } from './sensor.js';

/** A component drawing a fixed power: a forced value, or the last-resort CPU default. */
export class ConstantPowerSensor extends IntegratingSensor {
  constructor(
    readonly component: Component,
    private readonly powerW: number,
    readonly method: string,
    readonly description: string,
  ) {
    super();
  }

  protected meanPowerW(): number {
    return this.powerW;
  }
}
