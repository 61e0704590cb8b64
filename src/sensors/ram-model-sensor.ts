import { IntegratingSensor } from './integrating-sensor.js';

export interface RamModelSensorOptions {
  /** Power of the machine's memory from the DIMM model, W. */
  machinePowerW: number;
  /** Memory size the model was evaluated on, bytes (a container limit when lower). */
  totalBytes: number;
  trackingMode: 'machine' | 'process';
  /** Resident memory of the tracked process tree, bytes (process mode). */
  readTreeRssBytes?: () => number | undefined;
  description: string;
}

/**
 * RAM power from CodeCarbon's DIMM model. In process mode the machine's RAM power is shared in
 * proportion to the tree's resident memory (trapezoid over the interval). CodeCarbon instead
 * applies the DIMM model to the RSS, which floors every process at two DIMMs (10 W on x86)
 * however little it uses; the share is the honest attribution.
 */
export class RamModelSensor extends IntegratingSensor {
  readonly component = 'ram' as const;
  readonly method = 'ram-dimm-model';
  readonly description: string;

  private lastRssBytes: number | undefined;

  constructor(private readonly options: RamModelSensorOptions) {
    super();
    this.description = options.description;
  }

  protected override resetModel(): void {
    this.lastRssBytes = this.options.readTreeRssBytes?.();
  }

  protected meanPowerW(): number {
    if (this.options.trackingMode === 'machine') return this.options.machinePowerW;

    const nowRss = this.options.readTreeRssBytes?.();
    const previous = this.lastRssBytes ?? nowRss;
    if (nowRss !== undefined) this.lastRssBytes = nowRss;
    if (nowRss === undefined || previous === undefined || this.options.totalBytes <= 0) return 0;

    const meanShare = (nowRss + previous) / 2 / this.options.totalBytes;
    return this.options.machinePowerW * Math.min(1, Math.max(0, meanShare));
  }
}
