/**
 * Utilisation figures of the record, kept as cumulative quantities so that the mean over any
 * interval (a run, a delta, a task) is the difference of two snapshots divided by its length:
 * CPU as busy/total CPU seconds, RAM as time integrals of its percentage and of GiB used.
 */

export interface UtilisationTotals {
  /** Machine CPU seconds busy / elapsed across all CPUs since boot (undefined if unreadable). */
  cpuBusyS: number | undefined;
  cpuTotalS: number | undefined;
  /** ∫ RAM utilisation % dt, %·s. */
  ramPercentS: number;
  /** ∫ RAM used dt, GiB·s. */
  ramUsedGiBS: number;
  /** ∫ mean GPU utilisation % dt over the tracked GPUs, %·s (0 without GPU). */
  gpuPercentS: number;
}

export interface UtilisationSources {
  cpuTimes(): { busyS: number; totalS: number } | undefined;
  memory(): { usedBytes: number; totalBytes: number } | undefined;
  /** Mean utilisation of the tracked GPUs now, %; undefined without GPU or reading. */
  gpuPercent?(): number | undefined;
}

const GIB = 1024 ** 3;

export class UtilisationMonitor {
  private lastTimeS = 0;
  private lastRam: { percent: number; usedGiB: number } | undefined;
  private ramPercentS = 0;
  private ramUsedGiBS = 0;
  private lastGpuPercent: number | undefined;
  private gpuPercentS = 0;

  constructor(private readonly sources: UtilisationSources) {}

  start(nowS: number): UtilisationTotals {
    this.lastTimeS = nowS;
    this.ramPercentS = 0;
    this.ramUsedGiBS = 0;
    this.gpuPercentS = 0;
    this.lastRam = this.readRam();
    this.lastGpuPercent = this.sources.gpuPercent?.();
    return this.totals(this.sources.cpuTimes());
  }

  sample(nowS: number): UtilisationTotals {
    const intervalS = nowS - this.lastTimeS;
    const ram = this.readRam() ?? this.lastRam;
    const gpu = this.sources.gpuPercent?.() ?? this.lastGpuPercent;
    if (intervalS > 0) {
      if (ram) {
        const previous = this.lastRam ?? ram;
        this.ramPercentS += ((previous.percent + ram.percent) / 2) * intervalS;
        this.ramUsedGiBS += ((previous.usedGiB + ram.usedGiB) / 2) * intervalS;
      }
      if (gpu !== undefined) {
        this.gpuPercentS += (((this.lastGpuPercent ?? gpu) + gpu) / 2) * intervalS;
      }
      this.lastTimeS = nowS;
    }
    this.lastRam = ram;
    this.lastGpuPercent = gpu;
    return this.totals(this.sources.cpuTimes());
  }

  private readRam(): { percent: number; usedGiB: number } | undefined {
    const memory = this.sources.memory();
    if (!memory || memory.totalBytes <= 0) return undefined;
    const used = Math.min(Math.max(memory.usedBytes, 0), memory.totalBytes);
    return { percent: (used / memory.totalBytes) * 100, usedGiB: used / GIB };
  }

  private totals(cpu: { busyS: number; totalS: number } | undefined): UtilisationTotals {
    return {
      cpuBusyS: cpu?.busyS,
      cpuTotalS: cpu?.totalS,
      ramPercentS: this.ramPercentS,
      ramUsedGiBS: this.ramUsedGiBS,
      gpuPercentS: this.gpuPercentS,
    };
  }
}
