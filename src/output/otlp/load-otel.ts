import { createRequire } from 'node:module';
import type * as ExporterModule from '@opentelemetry/exporter-metrics-otlp-http';
import type * as ResourcesModule from '@opentelemetry/resources';
import type * as SdkMetricsModule from '@opentelemetry/sdk-metrics';

export interface OtelModules {
  sdk: typeof SdkMetricsModule;
  exporter: typeof ExporterModule;
  resources: typeof ResourcesModule;
}

let loaded: OtelModules | undefined;

/**
 * The OpenTelemetry SDK, loaded at the first OTLP or Logfire output rather than when the
 * package or a tracker is loaded: it is by far the heaviest dependency and most trackers never
 * use it. The packages are CommonJS, so they are required synchronously.
 */
export function loadOtel(): OtelModules {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  loaded = {
    sdk: require('@opentelemetry/sdk-metrics') as typeof SdkMetricsModule,
    exporter: require('@opentelemetry/exporter-metrics-otlp-http') as typeof ExporterModule,
    resources: require('@opentelemetry/resources') as typeof ResourcesModule,
  };
  return loaded;
}
