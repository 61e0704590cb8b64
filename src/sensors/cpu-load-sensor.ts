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
/** Shortest span a process tree's CPU share is computed over, s (five clock ticks). */
const MIN_TREE_INTERVAL_S = 0.05;

export class CpuLoadSensor extends IntegratingSensor {
  readonly component = 'cpu' as const;
  readonly method: string;

  private lastSystem: { busyS: number; totalS: number } | undefined;
  private lastTreeCpuS: number | undefined;
  /** Seconds read since the tree's baseline moved (short intervals are pooled). */
  private treeIntervalS = 0;
  /** Power of the latest interval the counters could tell, W. */
  private lastModelPowerW: number | undefined;

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
    this.treeIntervalS = 0;
    this.lastModelPowerW = undefined;
  }

  protected meanPowerW(intervalS: number): number {
    return this.options.trackingMode === 'process'
      ? this.processPowerW(intervalS)
      : this.machinePowerW();
  }

  private machinePowerW(): number {
    const now = this.options.times.system();
    if (!now) return this.options.fallbackPowerW;
    if (!this.lastSystem) {
      this.lastSystem = now;
      return this.options.fallbackPowerW;
    }
    const utilisation = utilisationBetween(this.lastSystem, now);
    // The counters move in clock ticks (10 ms): readings closer together (task boundaries)
    // see no time pass. The latest known power goes on, and the baseline stays for the next
    // reading, which then covers the whole span.
    if (utilisation === undefined) return this.lastModelPowerW ?? this.sinceBootPowerW(now);
    this.lastSystem = now;
    this.lastModelPowerW = cpuPowerFromLoadW(this.tdpW, utilisation);
    return this.lastModelPowerW;
  }

  /** Before any tick has passed: the load since boot is the best guess there is. */
  private sinceBootPowerW(now: { busyS: number; totalS: number }): number {
    if (!(now.totalS > 0)) return this.options.fallbackPowerW;
    return cpuPowerFromLoadW(this.tdpW, Math.min(1, Math.max(0, now.busyS / now.totalS)));
  }

  private processPowerW(intervalS: number): number {
    const nowCpuS = this.options.times.processTree?.();
    if (nowCpuS === undefined) return this.options.fallbackPowerW;
    if (this.lastTreeCpuS === undefined) {
      this.lastTreeCpuS = nowCpuS;
      return this.options.fallbackPowerW;
    }
    // The tree's CPU time moves in clock ticks too: over a few ticks a share would be 0 or
    // several CPUs. Short intervals are pooled until they say something.
    this.treeIntervalS += intervalS;
    if (this.treeIntervalS < MIN_TREE_INTERVAL_S && this.lastModelPowerW !== undefined) {
      return this.lastModelPowerW;
    }
    const share = (nowCpuS - this.lastTreeCpuS) / (this.treeIntervalS * this.options.logicalCount);
    this.lastTreeCpuS = nowCpuS;
    this.treeIntervalS = 0;
    this.lastModelPowerW = this.tdpW * Math.min(1, Math.max(0, share));
    return this.lastModelPowerW;
  }
}
