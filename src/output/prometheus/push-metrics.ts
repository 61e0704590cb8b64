import type { Counter, Gauge, Registry } from 'prom-client';
import type { EmissionsData } from '../../records/emissions-data.js';
import { PUSH_LABELS, type PushLabel, pushLabelValues } from './labels.js';
import type { PromClientModule } from './load-prom-client.js';

type DeltaField = keyof Pick<
  EmissionsData,
  | 'duration'
  | 'emissions'
  | 'emissionsRate'
  | 'cpuPower'
  | 'gpuPower'
  | 'ramPower'
  | 'cpuEnergy'
  | 'gpuEnergy'
  | 'ramEnergy'
  | 'energyConsumed'
>;

/** Spec 9.5: one gauge per field of the delta record, named and valued as CodeCarbon does. */
const GAUGES: readonly { name: string; field: DeltaField; help: string }[] = [
  { name: 'codecarbon_duration', field: 'duration', help: 'Seconds since the previous output' },
  { name: 'codecarbon_emissions', field: 'emissions', help: 'kg CO2eq since the previous output' },
  { name: 'codecarbon_emissions_rate', field: 'emissionsRate', help: 'kg CO2eq per second' },
  { name: 'codecarbon_cpu_power', field: 'cpuPower', help: 'Mean CPU power, W' },
  { name: 'codecarbon_gpu_power', field: 'gpuPower', help: 'Mean GPU power, W' },
  { name: 'codecarbon_ram_power', field: 'ramPower', help: 'Mean RAM power, W' },
  { name: 'codecarbon_cpu_energy', field: 'cpuEnergy', help: 'CPU kWh since the previous output' },
  { name: 'codecarbon_gpu_energy', field: 'gpuEnergy', help: 'GPU kWh since the previous output' },
  { name: 'codecarbon_ram_energy', field: 'ramEnergy', help: 'RAM kWh since the previous output' },
  {
    name: 'codecarbon_energy_consumed',
    field: 'energyConsumed',
    help: 'CPU + GPU + RAM kWh since the previous output',
  },
];

/**
 * The pushed metrics of one tracker, in its own registry (never prom-client's global one, so
 * two trackers in a process, or the host application's own metrics, never mix).
 */
export class PushMetrics {
  readonly registry: Registry;
  private readonly gauges: { field: DeltaField; gauge: Gauge<PushLabel> }[];
  private readonly energyTotal: Counter<PushLabel>;

  constructor(prom: PromClientModule) {
    this.registry = new prom.Registry();
    const registers = [this.registry];
    const labelNames = PUSH_LABELS;
    this.gauges = GAUGES.map(({ name, field, help }) => ({
      field,
      gauge: new prom.Gauge({ name, help, labelNames, registers }),
    }));
    this.energyTotal = new prom.Counter({
      name: 'codecarbon_energy_total',
      help: 'kWh (CPU + GPU + RAM) accumulated since the run started',
      labelNames,
      registers,
    });
  }

  /**
   * Gauges take the delta record; the counter takes the run's total, which equals the sum of
   * all deltas. Each metric is cleared first, so a label that changed (a restart's new run id)
   * leaves no stale series behind.
   */
  update(total: EmissionsData, delta: EmissionsData): void {
    const labels = pushLabelValues(delta);
    for (const { field, gauge } of this.gauges) {
      gauge.reset();
      gauge.set(labels, delta[field]);
    }
    this.energyTotal.reset();
    this.energyTotal.inc(pushLabelValues(total), total.energyConsumed);
  }

  clear(): void {
    this.registry.resetMetrics();
  }
}
