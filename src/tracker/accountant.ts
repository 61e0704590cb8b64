import type { Component, EnergySensor } from '../sensors/sensor.js';
import type { UtilisationMonitor, UtilisationTotals } from './utilisation-monitor.js';

/** Joules in one kWh (exact; CodeCarbon uses a rounded 2.77778e-7 factor). */
export const JOULES_PER_KWH = 3_600_000;

/** The carbon intensity in force, g CO2eq/kWh. */
export interface IntensityInForce {
  intensityGPerKwh: number;
  /**
   * True while the location is still being looked up: energy read meanwhile is kept aside and
   * converted with the first definite intensity (or at the latest when a record needs it).
   */
  provisional?: boolean;
}

/**
 * Cumulative totals at one instant. Every record is the difference of two snapshots, so runs,
 * deltas and tasks share one bookkeeping and never double-count or drop a slice.
 */
export interface Snapshot {
  /** Monotonic time, s. */
  timeS: number;
  /** Wall-clock time, ms since the epoch. */
  wallMs: number;
  /** Energy per component since the run started, J, before PUE. */
  rawEnergyJ: Record<Component, number>;
  /** Last interval's power per component, W. */
  powerW: Record<Component, number>;
  /** Energy since the run started, J, PUE applied once. */
  energyJ: Record<Component, number>;
  /** kg CO2eq: Σ over slices of slice energy × the intensity in force when it was read. */
  emissionsKg: number;
  /** Litres: WUE × energy. */
  waterL: number;
  /** Intensity in force at this snapshot, g/kWh. */
  intensityGPerKwh: number;
  utilisation: UtilisationTotals;
}

export interface AccountantOptions {
  sensors: readonly EnergySensor[];
  monitor: UtilisationMonitor;
  /** Intensity for the slice that ends now (live sources may change it between readings). */
  intensity: () => IntensityInForce;
  pue: number;
  wue: number;
  clock: () => { timeS: number; wallMs: number };
  /** Called before each reading (sensors read on their own schedule are read now). */
  beforeReading?: () => void;
}

/** Reads every sensor and turns energy slices into emissions and water. */
export class Accountant {
  private last: Snapshot | undefined;
  /** Energy not yet converted to emissions because the intensity was provisional, kWh. */
  private pendingKwh = 0;

  constructor(private readonly options: AccountantOptions) {}

  /**
   * Baselines every sensor and returns the zero snapshot of a run, taken now or at `at` (a run
   * hosted by the sampling worker began on the user's thread a moment before).
   */
  start(at?: { timeS: number; wallMs: number }): Snapshot {
    const { timeS, wallMs } = at ?? this.options.clock();
    for (const sensor of this.options.sensors) sensor.start(timeS);
    const zero = { cpu: 0, gpu: 0, ram: 0 };
    this.pendingKwh = 0;
    this.last = {
      timeS,
      wallMs,
      rawEnergyJ: { ...zero },
      powerW: { ...zero },
      energyJ: { ...zero },
      emissionsKg: 0,
      waterL: 0,
      intensityGPerKwh: this.options.intensity().intensityGPerKwh,
      utilisation: this.options.monitor.start(timeS),
    };
    return this.last;
  }

  /** Reads every sensor now and returns the new cumulative snapshot. */
  sample(): Snapshot {
    this.options.beforeReading?.();
    const previous = this.last ?? this.start();
    const { timeS, wallMs } = this.options.clock();
    const { pue, wue } = this.options;
    const summedJ = { cpu: 0, gpu: 0, ram: 0 };
    const powerW = { cpu: 0, gpu: 0, ram: 0 };
    for (const sensor of this.options.sensors) {
      const reading = sensor.read(timeS);
      // A faulty reading (NaN, Infinity) would poison every later record of the run: skip it,
      // the sensor's next good cumulative reading still covers the interval.
      if (Number.isFinite(reading.energyJ)) summedJ[sensor.component] += reading.energyJ;
      if (Number.isFinite(reading.powerW)) powerW[sensor.component] += reading.powerW;
    }
    // Several sensors may share a component (one per GPU): their energies add up. A sensor
    // never goes backwards; guard the sums anyway so no output ever sees negative energy.
    const rawEnergyJ = {
      cpu: Math.max(previous.rawEnergyJ.cpu, summedJ.cpu),
      gpu: Math.max(previous.rawEnergyJ.gpu, summedJ.gpu),
      ram: Math.max(previous.rawEnergyJ.ram, summedJ.ram),
    };

    const sliceJ = sumComponents(rawEnergyJ) - sumComponents(previous.rawEnergyJ);
    const sliceKwh = (sliceJ * pue) / JOULES_PER_KWH;
    const intensity = this.options.intensity();
    let emissionsKg = previous.emissionsKg;
    if (intensity.provisional) {
      this.pendingKwh += sliceKwh;
    } else {
      emissionsKg += ((this.pendingKwh + sliceKwh) * intensity.intensityGPerKwh) / 1000;
      this.pendingKwh = 0;
    }

    this.last = {
      timeS,
      wallMs,
      rawEnergyJ,
      powerW,
      energyJ: {
        cpu: rawEnergyJ.cpu * pue,
        gpu: rawEnergyJ.gpu * pue,
        ram: rawEnergyJ.ram * pue,
      },
      emissionsKg,
      waterL: previous.waterL + sliceKwh * wue,
      intensityGPerKwh: intensity.intensityGPerKwh,
      utilisation: this.options.monitor.sample(timeS),
    };
    return this.last;
  }

  /** Releases what the sensors hold (child processes, library handles). Never throws. */
  close(): void {
    for (const sensor of this.options.sensors) {
      try {
        sensor.close?.();
      } catch {
        // A sensor that cannot let go of its resources must not stop the others.
      }
    }
  }

  /**
   * The most recent snapshot, with any energy kept aside converted at the intensity in force
   * now (provisional or not): a record is about to be made from it.
   */
  settled(): Snapshot {
    const last = this.last ?? this.start();
    const { intensityGPerKwh } = this.options.intensity();
    if (this.pendingKwh > 0) {
      last.emissionsKg += (this.pendingKwh * intensityGPerKwh) / 1000;
      this.pendingKwh = 0;
    }
    // The record states the intensity it was converted with (it may have become definite
    // since the reading).
    last.intensityGPerKwh = intensityGPerKwh;
    return last;
  }
}

function sumComponents(values: Record<Component, number>): number {
  return values.cpu + values.gpu + values.ram;
}
