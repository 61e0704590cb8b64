import type { MeasuredSensor, SensorReading } from '../sensor.js';
import type { GpuDevice } from './gpu-device.js';

/** How a sensor gets a GPU's energy. */
export type GpuEnergySource =
  /** Differences of the driver's energy counter; power readings when a delta is implausible. */
  | 'energy'
  /** Power readings integrated over time (trapezoids between readings). */
  | 'power'
  /** AMD second die: its energy is inside the first die's counter, so it adds nothing. */
  | 'counted-by-sibling';

/** A counter delta implying more than this × the power limit is a glitch, not energy. */
const MAX_LIMIT_RATIO = 1.5;
/**
 * Counters advance in steps (tens of ms on NVIDIA), so over a very short interval one step
 * can imply a huge power: deltas are judged over at least this long, s.
 */
const MIN_JUDGED_INTERVAL_S = 1;

export interface GpuSensorOptions {
  device: GpuDevice;
  /** Combined index, for messages. */
  index: number;
  source: GpuEnergySource;
  method: string;
  description: string;
  /** Says a keyed warning once. */
  warnOnce: (key: string, message: string) => void;
}

/**
 * The energy of one GPU, cumulative since `start()`. A failing or implausible reading costs
 * the precision of one interval, never the run: the sensor falls back to power readings,
 * then to the last known power, and says so once.
 */
export class GpuDeviceSensor implements MeasuredSensor {
  readonly component = 'gpu';
  readonly method: string;
  readonly description: string;
  /** Set for an interval with neither energy nor power readings (a counter alone is no failure). */
  lastFailure: string | undefined;

  private energyJ = 0;
  private lastTimeS = 0;
  private lastPowerW = 0;
  private lastCounterMj: number | undefined;
  private lastSampleW: number | undefined;

  constructor(private readonly options: GpuSensorOptions) {
    this.method = options.method;
    this.description = options.description;
  }

  start(nowS: number): void {
    this.energyJ = 0;
    this.lastTimeS = nowS;
    this.lastPowerW = 0;
    const { device, source } = this.options;
    this.lastCounterMj = source === 'energy' ? guard(() => device.energyMj()) : undefined;
    this.lastSampleW = source === 'power' ? guard(() => device.powerW()) : undefined;
  }

  read(nowS: number): SensorReading {
    const intervalS = nowS - this.lastTimeS;
    if (!(intervalS > 0)) return { energyJ: this.energyJ, powerW: this.lastPowerW };

    this.lastFailure = undefined;
    const sliceJ = this.sliceJ(intervalS);
    this.energyJ += sliceJ;
    this.lastTimeS = nowS;
    this.lastPowerW = sliceJ / intervalS;
    return { energyJ: this.energyJ, powerW: this.lastPowerW };
  }

  utilisationPercent(): number | undefined {
    return guard(() => this.options.device.utilisationPercent());
  }

  /** Energy of the interval that just ended, J: always a finite number ≥ 0. */
  private sliceJ(intervalS: number): number {
    const { source } = this.options;
    if (source === 'counted-by-sibling') return 0;

    const fromCounter = source === 'energy' ? this.counterSliceJ(intervalS) : undefined;
    if (fromCounter !== undefined) return fromCounter;
    const fromPower = this.powerSliceJ(intervalS, source === 'power');
    if (fromPower !== undefined) return fromPower;

    this.warn(
      'unreadable',
      'neither energy nor power could be read; its last known power is used meanwhile',
    );
    this.lastFailure = 'neither energy nor power could be read';
    return this.lastPowerW * intervalS;
  }

  private counterSliceJ(intervalS: number): number | undefined {
    const { device } = this.options;
    const counterMj = guard(() => device.energyMj());
    const previousMj = this.lastCounterMj;
    // A missed reading re-baselines: the next delta must not cover an interval twice.
    this.lastCounterMj = counterMj;
    if (counterMj === undefined) {
      this.warn(
        'counter-failed',
        'its energy counter could not be read; power readings are used meanwhile',
      );
      return undefined;
    }
    if (previousMj === undefined) return undefined;

    const deltaJ = (counterMj - previousMj) / 1000;
    const limitW = device.powerLimitW;
    const ceilingJ =
      limitW === undefined
        ? Infinity
        : MAX_LIMIT_RATIO * limitW * Math.max(intervalS, MIN_JUDGED_INTERVAL_S);
    if (deltaJ >= 0 && deltaJ <= ceilingJ) return deltaJ;

    const impliedW = deltaJ / intervalS;
    this.warn(
      'counter-rejected',
      `its energy counter moved by ${deltaJ.toFixed(1)} J in ${intervalS.toFixed(1)} s (${impliedW.toFixed(0)} W${limitW === undefined ? '' : `, power limit ${limitW} W`}); that interval is measured from power readings instead`,
    );
    return undefined;
  }

  /** Trapezoid between the previous and the current power reading, or the current alone. */
  private powerSliceJ(intervalS: number, trapezoid: boolean): number | undefined {
    const nowW = guard(() => this.options.device.powerW());
    const previousW = this.lastSampleW;
    if (trapezoid && nowW !== undefined) this.lastSampleW = nowW;
    if (nowW === undefined) return undefined;
    const meanW = trapezoid && previousW !== undefined ? (previousW + nowW) / 2 : nowW;
    return meanW * intervalS;
  }

  private warn(kind: string, what: string): void {
    const { index, device } = this.options;
    this.options.warnOnce(`gpu:${index}:${kind}`, `GPU ${index} (${device.name}): ${what}.`);
  }
}

/** A reader's value when it is a finite number ≥ 0; undefined when it failed or threw. */
function guard(read: () => number | undefined): number | undefined {
  try {
    const value = read();
    return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
