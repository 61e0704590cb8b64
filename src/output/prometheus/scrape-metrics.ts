import type { Counter, Gauge, Registry } from 'prom-client';
import type { EmissionsData } from '../../records/emissions-data.js';
import type { PromClientModule } from './load-prom-client.js';

const JOULES_PER_KWH = 3_600_000;
const COMPONENTS = ['cpu', 'gpu', 'ram'] as const;
type ComponentName = (typeof COMPONENTS)[number];

const RUN_LABELS = ['project_name', 'experiment_name', 'experiment_id', 'run_id'] as const;
const COMPONENT_LABELS = [...RUN_LABELS, 'component', 'method'] as const;
const INTENSITY_LABELS = [...RUN_LABELS, 'carbon_intensity_source'] as const;
const INFO_LABELS = [
  ...RUN_LABELS,
  'country_iso_code',
  'region',
  'cloud_provider',
  'cloud_region',
  'cpu_model',
  'gpu_model',
  'os',
  'tracking_mode',
  'codecarbon_version',
] as const;

type RunLabel = (typeof RUN_LABELS)[number];
type ComponentLabel = (typeof COMPONENT_LABELS)[number];
type IntensityLabel = (typeof INTENSITY_LABELS)[number];
type InfoLabel = (typeof INFO_LABELS)[number];

/**
 * The metrics served for Prometheus to scrape, named by Prometheus conventions: unit in the
 * name, `_total` on counters, base units where CodeCarbon has none of its own (joules,
 * seconds), kg for emissions as CodeCarbon reports them. Counters are cumulative over the run;
 * `rate()` and `increase()` turn them into power and per-window figures across a fleet.
 */
export class ScrapeMetrics {
  readonly registry: Registry;
  private readonly energy: Counter<ComponentLabel>;
  private readonly power: Gauge<ComponentLabel>;
  private readonly emissions: Counter<IntensityLabel>;
  private readonly duration: Counter<RunLabel>;
  private readonly intensity: Gauge<IntensityLabel>;
  private readonly info: Gauge<InfoLabel>;

  constructor(
    prom: PromClientModule,
    private readonly experimentName: string,
  ) {
    this.registry = new prom.Registry();
    const registers = [this.registry];
    this.energy = new prom.Counter({
      name: 'codecarbon_energy_joules_total',
      help: 'Energy used since the run started, per component, PUE included (J)',
      labelNames: COMPONENT_LABELS,
      registers,
    });
    this.power = new prom.Gauge({
      name: 'codecarbon_power_watts',
      help: 'Mean power per component since the previous output, before PUE (W)',
      labelNames: COMPONENT_LABELS,
      registers,
    });
    this.emissions = new prom.Counter({
      name: 'codecarbon_emissions_kg_total',
      help: 'Emissions since the run started (kg CO2eq)',
      labelNames: INTENSITY_LABELS,
      registers,
    });
    this.duration = new prom.Counter({
      name: 'codecarbon_duration_seconds_total',
      help: 'Time measured since the run started (s)',
      labelNames: RUN_LABELS,
      registers,
    });
    this.intensity = new prom.Gauge({
      name: 'codecarbon_carbon_intensity_grams_per_kwh',
      help: 'Grid carbon intensity used (g CO2eq/kWh)',
      labelNames: INTENSITY_LABELS,
      registers,
    });
    this.info = new prom.Gauge({
      name: 'codecarbon_run_info',
      help: 'Always 1; labels describe the run, its machine and its location',
      labelNames: INFO_LABELS,
      registers,
    });
  }

  /**
   * Counters are set to the run's totals (cleared first, as prom-client counters only grow),
   * gauges to the delta's means. Clearing also drops the series of an earlier run.
   */
  update(total: EmissionsData, delta: EmissionsData): void {
    this.registry.resetMetrics();
    const run = this.runLabels(total);

    for (const component of COMPONENTS) {
      const labels = { ...run, component, method: method(total, component) };
      this.energy.inc(labels, energyKwh(total, component) * JOULES_PER_KWH);
      this.power.set(labels, powerW(delta, component));
    }
    const source = { ...run, carbon_intensity_source: total.carbonIntensitySource };
    this.emissions.inc(source, total.emissions);
    this.intensity.set(source, total.carbonIntensity);
    this.duration.inc(run, total.duration);
    this.info.set(
      {
        ...run,
        country_iso_code: total.countryIsoCode ?? '',
        region: total.region ?? '',
        cloud_provider: total.cloudProvider,
        cloud_region: total.cloudRegion,
        cpu_model: total.cpuModel ?? '',
        gpu_model: total.gpuModel,
        os: total.os,
        tracking_mode: total.trackingMode,
        codecarbon_version: total.codecarbonVersion,
      },
      1,
    );
  }

  clear(): void {
    this.registry.resetMetrics();
  }

  private runLabels(record: EmissionsData): Record<RunLabel, string> {
    return {
      project_name: record.projectName,
      experiment_name: this.experimentName,
      experiment_id: record.experimentId,
      run_id: record.runId,
    };
  }
}

function energyKwh(record: EmissionsData, component: ComponentName): number {
  return { cpu: record.cpuEnergy, gpu: record.gpuEnergy, ram: record.ramEnergy }[component];
}

function powerW(record: EmissionsData, component: ComponentName): number {
  return { cpu: record.cpuPower, gpu: record.gpuPower, ram: record.ramPower }[component];
}

function method(record: EmissionsData, component: ComponentName): string {
  return { cpu: record.cpuMethod, gpu: record.gpuMethod, ram: record.ramMethod }[component];
}
