import type { OnceLogger } from '../log/logger.js';
import { buildSensors, type HardwareFacts, type SensorSet } from '../sensors/select-sensors.js';
import type { Component, EnergySensor, SensorReading } from '../sensors/sensor.js';
import { monotonicMs, type SensorPlan } from './sampler-protocol.js';

const COMPONENTS: readonly Component[] = ['cpu', 'gpu', 'ram'];

/**
 * A run's sensors in the sampling worker, read on their own schedule (at least once a second:
 * counters are serviced, wraps seen, powers integrated) and on demand. The run's bookkeeping
 * reads them through `set`: one sensor per component whose reading is the latest cumulative
 * energy, counted from the moment `start()` was called on the user's thread.
 */
export class SampledSensors {
  readonly set: SensorSet;
  private readonly sensors: EnergySensor[];
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalS: number;
  private readonly energyJ = { cpu: 0, gpu: 0, ram: 0 };
  private readonly powerW = { cpu: 0, gpu: 0, ram: 0 };
  private gpuPercent = Number.NaN;
  /** When the latest reading was taken: `monotonicMs` and `Date.now()`. */
  private readAtMs: number;
  private readAtWallMs: number;
  private readonly baselineMs: number;
  /** Seconds between `start()` on the user's thread and the sensors' baseline here. */
  private readonly startupS: number;
  /** Energy of those seconds, J, fixed at the first reading long enough to be meaningful. */
  private startupJ: Record<Component, number> | undefined;

  constructor(
    hardware: HardwareFacts,
    plan: SensorPlan,
    logger: OnceLogger,
    intervalS: number,
    startMonotonicMs: number,
  ) {
    const built = buildSensors(hardware, { ...plan, logger });
    this.sensors = built.sensors;
    this.baselineMs = monotonicMs();
    this.readAtMs = this.baselineMs;
    this.readAtWallMs = Date.now();
    for (const sensor of this.sensors) sensor.start(this.baselineMs / 1000);
    this.startupS = Math.max(0, (this.baselineMs - startMonotonicMs) / 1000);
    // At least one reading a second: counters are serviced, and process-mode memory and
    // power-integrated GPUs need samples within short runs too (a reading costs tens of
    // microseconds). Until the run's bookkeeping reads on its own tick (see `runTicks`).
    this.intervalS = intervalS;
    this.timer = setInterval(() => this.read(), Math.min(intervalS, 1) * 1000);

    const descriptions = describe(this.sensors);
    this.set = {
      sensors: COMPONENTS.map((component) =>
        this.latestOf(component, built, descriptions[component]),
      ),
      refresh: () => this.read(),
      get methods() {
        return built.methods;
      },
      gpu: built.gpu,
    };
  }

  /** Reads every sensor now; the latest cumulative energies include the startup moment. */
  read(): void {
    const nowMs = monotonicMs();
    this.readAtMs = nowMs;
    this.readAtWallMs = Date.now();
    const energyJ = { cpu: 0, gpu: 0, ram: 0 };
    const powerW = { cpu: 0, gpu: 0, ram: 0 };
    let gpuPercentSum = 0;
    let gpuPercentCount = 0;
    for (const sensor of this.sensors) {
      const reading = sensor.read(nowMs / 1000);
      // A faulty reading (NaN) is skipped: the sensor's next good cumulative reading covers it.
      if (Number.isFinite(reading.energyJ)) energyJ[sensor.component] += reading.energyJ;
      if (Number.isFinite(reading.powerW)) powerW[sensor.component] += reading.powerW;
      const percent = sensor.component === 'gpu' ? sensor.utilisationPercent?.() : undefined;
      if (percent !== undefined && Number.isFinite(percent)) {
        gpuPercentSum += percent;
        gpuPercentCount += 1;
      }
    }
    // The sensors took their baseline a little after start(): that moment is counted at the
    // power measured since, and fixed at the first interval long enough to be meaningful
    // (10 ms). A run stopped sooner still gets its estimate from the readings it has.
    const elapsedMs = nowMs - this.baselineMs;
    let startupJ = this.startupJ;
    if (!startupJ && elapsedMs > 0) {
      startupJ = { cpu: 0, gpu: 0, ram: 0 };
      for (const c of COMPONENTS) startupJ[c] = (energyJ[c] / (elapsedMs / 1000)) * this.startupS;
      if (elapsedMs >= 10) this.startupJ = startupJ;
    }
    for (const c of COMPONENTS) {
      this.energyJ[c] = energyJ[c] + (startupJ?.[c] ?? 0);
      this.powerW[c] = powerW[c];
    }
    this.gpuPercent = gpuPercentCount > 0 ? gpuPercentSum / gpuPercentCount : Number.NaN;
  }

  /** The time of the latest reading, so that a snapshot's time is that of its energies. */
  get readAt(): { timeS: number; wallMs: number } {
    return { timeS: this.readAtMs / 1000, wallMs: this.readAtWallMs };
  }

  /**
   * The run's tick now reads the sensors. When it reads every second or faster, this schedule
   * stops: a second timer would wake the thread twice as often, and each wake costs several
   * times the reading.
   */
  runTicks(): void {
    if (this.intervalS > 1) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops the schedule and releases what the sensors hold. Never throws. */
  close(): void {
    clearInterval(this.timer);
    for (const sensor of this.sensors) {
      try {
        sensor.close?.();
      } catch {
        // Releasing one sensor's resources must not stop the others.
      }
    }
  }

  /** The component's latest cumulative reading, as a sensor for the run's bookkeeping. */
  private latestOf(component: Component, built: SensorSet, description: string): EnergySensor {
    return {
      component,
      get method() {
        return built.methods[component];
      },
      description,
      start: () => {},
      read: (): SensorReading => ({
        energyJ: this.energyJ[component],
        powerW: this.powerW[component],
      }),
      utilisationPercent: () =>
        component === 'gpu' && Number.isFinite(this.gpuPercent) ? this.gpuPercent : undefined,
      // The bookkeeping closes every sensor it reads: the real ones are released once.
      close: () => {
        if (component === 'cpu') this.close();
      },
    };
  }
}

function describe(sensors: readonly EnergySensor[]): Record<Component, string> {
  const descriptions = { cpu: 'not measured', gpu: 'no GPU tracked', ram: 'not measured' };
  for (const c of COMPONENTS) {
    const parts = sensors.filter((s) => s.component === c).map((s) => s.description);
    if (parts.length > 0) descriptions[c] = parts.join('; ');
  }
  return descriptions;
}
