import type { Attributes, Counter, Gauge, Meter } from '@opentelemetry/api';
import type { EmissionsData } from '../../records/emissions-data.js';

type NumberField = {
  [K in keyof EmissionsData]: EmissionsData[K] extends number ? K : never;
}[keyof EmissionsData];

interface InstrumentSpec {
  name: string;
  field: NumberField;
  unit: string;
  description: string;
}

/**
 * Spec 9.6, with the units CodeCarbon meant: Python labels the consumed energy `(kW)` but
 * sends kWh. Counters add the delta record, so their sum is the run's total; gauges hold the
 * delta's values (means over the last interval for powers).
 */
const COUNTERS: readonly InstrumentSpec[] = [
  { name: 'codecarbon_duration', field: 'duration', unit: 's', description: 'Time measured' },
  { name: 'codecarbon_emissions', field: 'emissions', unit: 'kg', description: 'kg CO2eq emitted' },
  {
    name: 'codecarbon_energy_consumed',
    field: 'energyConsumed',
    unit: 'kWh',
    description: 'Energy used by CPU, GPU and RAM, PUE included',
  },
];

const GAUGES: readonly InstrumentSpec[] = [
  {
    name: 'codecarbon_emissions_rate',
    field: 'emissionsRate',
    unit: 'kg/s',
    description: 'kg CO2eq per second over the last interval',
  },
  { name: 'codecarbon_cpu_power', field: 'cpuPower', unit: 'W', description: 'Mean CPU power' },
  { name: 'codecarbon_gpu_power', field: 'gpuPower', unit: 'W', description: 'Mean GPU power' },
  { name: 'codecarbon_ram_power', field: 'ramPower', unit: 'W', description: 'Mean RAM power' },
  {
    name: 'codecarbon_cpu_energy',
    field: 'cpuEnergy',
    unit: 'kWh',
    description: 'CPU energy over the last interval',
  },
  {
    name: 'codecarbon_gpu_energy',
    field: 'gpuEnergy',
    unit: 'kWh',
    description: 'GPU energy over the last interval',
  },
  {
    name: 'codecarbon_ram_energy',
    field: 'ramEnergy',
    unit: 'kWh',
    description: 'RAM energy over the last interval',
  },
];

/** The instruments of one meter, fed from each output's delta record. */
export class CodecarbonInstruments {
  private readonly counters: { field: NumberField; counter: Counter }[];
  private readonly gauges: { field: NumberField; gauge: Gauge }[];

  constructor(
    meter: Meter,
    private readonly experimentName: string,
  ) {
    this.counters = COUNTERS.map(({ name, field, unit, description }) => ({
      field,
      counter: meter.createCounter(name, { unit, description }),
    }));
    this.gauges = GAUGES.map(({ name, field, unit, description }) => ({
      field,
      gauge: meter.createGauge(name, { unit, description }),
    }));
  }

  record(delta: EmissionsData): void {
    const attributes = recordAttributes(delta, this.experimentName);
    for (const { field, counter } of this.counters) counter.add(delta[field], attributes);
    for (const { field, gauge } of this.gauges) gauge.record(delta[field], attributes);
  }
}

/** Which run, how each number was obtained, and where: empty values are left out. */
export function recordAttributes(record: EmissionsData, experimentName: string): Attributes {
  const attributes: Attributes = {
    project_name: record.projectName,
    experiment_name: experimentName,
    experiment_id: record.experimentId,
    run_id: record.runId,
    tracking_mode: record.trackingMode,
    cpu_method: record.cpuMethod,
    gpu_method: record.gpuMethod,
    ram_method: record.ramMethod,
    carbon_intensity_source: record.carbonIntensitySource,
  };
  const optional = {
    country_iso_code: record.countryIsoCode,
    region: record.region,
    cloud_provider: record.cloudProvider,
    cloud_region: record.cloudRegion,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value) attributes[key] = value;
  }
  return attributes;
}
