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
  tdpW: number;
  logicalCount: number;
  trackingMode: 'machine' | 'process';
  times: CpuTimesSource;
  /** Power assumed for an interval whose CPU times could not be read, W. */
  fallbackPowerW: number;
  method: string;
  description: string;
}

/**
 * CPU power from load. Machine mode: the machine's utilisation over the interval through
 * the load curve on the TDP (TDP × (0.1 + 0.9·u³)). Process mode: the tracked tree's share of
 * all logical CPUs × TDP, as CodeCarbon does (no idle floor: idle belongs to the machine).
 */
export class CpuLoadSensor extends IntegratingSensor {
  readonly component = 'cpu' as const;
  readonly method: string;
  readonly description: string;

  private lastSystem: { busyS: number; totalS: number } | undefined;
  private lastTreeCpuS: number | undefined;

  constructor(private readonly options: CpuLoadSensorOptions) {
    super();
    this.method = options.method;
    this.description = options.description;
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
    return cpuPowerFromLoadW(this.options.tdpW, utilisation);
  }

  private processPowerW(intervalS: number): number {
    const nowCpuS = this.options.times.processTree?.();
    const previous = this.lastTreeCpuS;
    if (nowCpuS !== undefined) this.lastTreeCpuS = nowCpuS;
    if (nowCpuS === undefined || previous === undefined) return this.options.fallbackPowerW;

    const share = (nowCpuS - previous) / (intervalS * this.options.logicalCount);
    return this.options.tdpW * Math.min(1, Math.max(0, share));
  }
}
