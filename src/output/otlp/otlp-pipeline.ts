import type { Attributes } from '@opentelemetry/api';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { EmissionsData } from '../../records/emissions-data.js';
import type { OtelModules } from './load-otel.js';
import { CodecarbonInstruments } from './otlp-instruments.js';

export type Temporality = 'cumulative' | 'delta';

export interface PipelineOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  temporality: Temporality;
  resource: Attributes;
  experimentName: string;
}

/**
 * One MeterProvider whose reader collects only when asked: the tracker decides when metrics
 * leave (at each periodic and final output), exactly as the other outputs, instead of a
 * second timer of the SDK's own.
 */
export class OtlpPipeline {
  private readonly instruments: CodecarbonInstruments;
  private readonly collectNow: () => Promise<ResourceMetrics>;
  private readonly shutdownProvider: () => Promise<void>;
  private readonly exporter: PushMetricExporter;

  constructor(otel: OtelModules, options: PipelineOptions) {
    const { sdk, exporter: exporterModule, resources } = otel;
    const { AggregationTemporalityPreference, OTLPMetricExporter } = exporterModule;
    this.exporter = new OTLPMetricExporter({
      url: options.url,
      headers: options.headers,
      timeoutMillis: options.timeoutMs,
      temporalityPreference:
        options.temporality === 'delta'
          ? AggregationTemporalityPreference.DELTA
          : AggregationTemporalityPreference.CUMULATIVE,
    });

    const exporter = this.exporter;
    class OnDemandReader extends sdk.MetricReader {
      protected override async onShutdown(): Promise<void> {}
      protected override async onForceFlush(): Promise<void> {}
    }
    const reader = new OnDemandReader({
      aggregationTemporalitySelector: (type) =>
        exporter.selectAggregationTemporality?.(type) ?? sdk.AggregationTemporality.CUMULATIVE,
    });
    const provider = new sdk.MeterProvider({
      resource: resources.resourceFromAttributes(options.resource),
      readers: [reader],
    });
    this.instruments = new CodecarbonInstruments(
      provider.getMeter('codecarbon'),
      options.experimentName,
    );
    this.collectNow = async () => (await reader.collect()).resourceMetrics;
    this.shutdownProvider = () => provider.shutdown();
  }

  record(delta: EmissionsData): void {
    this.instruments.record(delta);
  }

  /** Collects and sends every metric now; rejects with the exporter's reason on failure. */
  async export(): Promise<void> {
    const metrics = await this.collectNow();
    await new Promise<void>((resolve, reject) => {
      this.exporter.export(metrics, (result) => {
        // ExportResultCode.SUCCESS is 0 (@opentelemetry/core, not a direct dependency).
        if (result.code === 0) resolve();
        else reject(result.error ?? new Error('the OTLP exporter reported a failure'));
      });
    });
  }

  async shutdown(): Promise<void> {
    await this.shutdownProvider();
    await this.exporter.shutdown();
  }
}
