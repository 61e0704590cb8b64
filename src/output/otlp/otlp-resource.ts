import { hostname } from 'node:os';
import type { Attributes } from '@opentelemetry/api';
import { VERSION } from '../../version.js';
import { parseHeaders } from './otlp-endpoint.js';
import type { Temporality } from './otlp-pipeline.js';

type Env = Record<string, string | undefined>;

/**
 * The resource every data point is sent with: `service.name` (`OTEL_SERVICE_NAME`, else
 * `codecarbon`), `service.version`, `host.name` (which machine of the fleet), and whatever
 * `OTEL_RESOURCE_ATTRIBUTES` adds, as the OpenTelemetry variables define.
 */
export function resourceAttributes(env: Env): Attributes {
  return {
    'service.name': 'codecarbon',
    'service.version': VERSION,
    'host.name': hostname(),
    ...parseHeaders(env.OTEL_RESOURCE_ATTRIBUTES),
    ...(env.OTEL_SERVICE_NAME ? { 'service.name': env.OTEL_SERVICE_NAME } : {}),
  };
}

/**
 * `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` when set (`lowmemory` counts as delta
 * for counters, the only kind whose temporality matters here), else the target's default.
 */
export function temporalityFrom(env: Env, fallback: Temporality): Temporality {
  const preference = env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE?.trim().toLowerCase();
  if (preference === 'cumulative') return 'cumulative';
  if (preference === 'delta' || preference === 'lowmemory') return 'delta';
  return fallback;
}
