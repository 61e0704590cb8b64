import { cpuPowerFromLoadW } from '../hardware/cpu-power-model.js';
import { utilisationBetween } from '../hardware/cpu-times.js';
import { IntegratingSensor } from './integrating-sensor.js';

export interface CpuTimesSource {
  /** Cumulative busy and total CPU seconds of the whole machine, or undefined if unreadable. */
  system(): { busyS: number; totalS: number } | undefined;
  /** Cumulative CPU seconds of the tracked process tree (process mode only). */
  processTree?(): number | undefined;
}

export interface CpuLoadSensorOptions {
  /** TDP the load curve applies to, W; a function so a table lookup can wait for first use. */
  tdpW: number | (() => number);
  logicalCount: number;
  trackingMode: 'machine' | 'process';
  times: CpuTimesSource;
  /** Power assumed for an interval whose CPU times could not be read, W. */
  fallbackPowerW: number;
  method: string;
  description: string | (() => string);
}

/**
 * CPU power from load. Machine mode: the machine's utilisation over the interval through
 * the load curve on the TDP (TDP × (0.1 + 0.9·u³)). Process mode: the tracked tree's share of
 * all logical CPUs × TDP, as CodeCarbon does (no idle floor: idle belongs to the machine).
 */
export class CpuLoadSensor extends IntegratingSensor {
  readonly component = 'cpu' as const;
  readonly method: string;

  private lastSystem: { busyS: number; totalS: number } | undefined;
  private lastTreeCpuS: number | undefined;

  constructor(private readonly options: CpuLoadSensorOptions) {
    super();
    this.method = options.method;
  }

  get description(): string {
    const { description } = this.options;
    return typeof description === 'function' ? description() : description;
  }

  private get tdpW(): number {
    const { tdpW } = this.options;
    return typeof tdpW === 'function' ? tdpW() : tdpW;
  }

  protected override resetModel(): void {
    this.lastSystem = this.options.times.system();
    this.lastTreeCpuS = this.options.times.processTree?.();
  }

  protected meanPowerW(intervalS: number): number {
    return this.options.trackingMode === 'process'
      ? this.processPowerW(intervalS)
      : this.machinePowerW();
  }

  private machinePowerW(): number {
    const now = this.options.times.system();
    const utilisation =
      now && this.lastSystem ? utilisationBetween(this.lastSystem, now) : undefined;
    if (now) this.lastSystem = now;
    if (utilisation === undefined) return this.options.fallbackPowerW;
    return cpuPowerFromLoadW(this.tdpW, utilisation);
  }

  private processPowerW(intervalS: number): number {
    const nowCpuS = this.options.times.processTree?.();
    const previous = this.lastTreeCpuS;
    if (nowCpuS !== undefined) this.lastTreeCpuS = nowCpuS;
    if (nowCpuS === undefined || previous === undefined) return this.options.fallbackPowerW;

    const share = (nowCpuS - previous) / (intervalS * this.options.logicalCount);
    return this.tdpW * Math.min(1, Math.max(0, share));
  }
}
