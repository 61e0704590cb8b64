/**
 * A sensor reports the energy of one component (CPU, GPU or RAM) as a cumulative total since
 * its `start()`. Measured sensors (RAPL, NVML) read hardware counters; estimating sensors
 * integrate a modelled power between readings. Either way the tracker only ever takes
 * differences of cumulative totals, so a reading that comes late (a blocked event loop)
 * still accounts for the whole period, and a task can take its own baseline at any time.
 */

export type Component = 'cpu' | 'gpu' | 'ram';

export interface SensorReading {
  /** Joules since `start()`, before PUE. Never decreases. */
  readonly energyJ: number;
  /** Mean power over the interval since the previous reading, W (0 for a zero interval). */
  readonly powerW: number;
}

export interface EnergySensor {
  readonly component: Component;
  /** How the energy is obtained, e.g. `tdp-load-model`, `ram-dimm-model`, `forced`. */
  readonly method: string;
  /** One line for reports and `codecarbon detect`: model, TDP, size, zones… */
  readonly description: string;
  /** Takes the baseline; `nowS` is a monotonic time in seconds. */
  start(nowS: number): void;
  /** Brings the cumulative energy up to `nowS` and returns it. Never throws. */
  read(nowS: number): SensorReading;
  /** Busy percentage of the component now, 0–100, where the hardware says it. Never throws. */
  utilisationPercent?(): number | undefined;
  /** Releases what the sensor holds (a child process, a library handle); optional. */
  close?(): void;
}

/**
 * A sensor that reads hardware counters or power (RAPL, NVML, AMD SMI) and can tell when a
 * read failed, so a `FallbackSensor` can hand its component over to a model when the
 * failure lasts.
 */
export interface MeasuredSensor extends EnergySensor {
  /**
   * Why the last `read()` could not measure its whole interval (`<path>/energy_uj: ENOENT`),
   * or undefined when it could. A failed read keeps the previous good value.
   */
  readonly lastFailure: string | undefined;
}
