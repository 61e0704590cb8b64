import { ConfigError } from '../../config/config-error.js';
import type { ValueSource } from '../../config/options.js';

/** Where and how the OTLP/HTTP metrics are sent. */
export interface OtlpTarget {
  /** Full metrics URL, e.g. `http://collector:4318/v1/metrics`. */
  url: string;
  /** Extra request headers (may hold secrets: never log their values). */
  headers: Record<string, string>;
  /** Per-request limit, ms. */
  timeoutMs: number;
  /** Names of the variables or parameters the URL and headers came from, for the log. */
  origin: string;
}

type Env = Record<string, string | undefined>;

const METRICS_PATH = 'v1/metrics';
const DEFAULT_BASE = 'http://localhost:4318';
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The OTLP target as the OpenTelemetry specification defines the variables: a signal-specific
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is used as is; a base URL (`otlp_endpoint`,
 * `OTEL_EXPORTER_OTLP_ENDPOINT`) gets `/v1/metrics` appended unless it already ends so.
 * `otlp_endpoint` wins over both variables; headers merge the generic and the metrics
 * variable (the metrics one wins per header).
 */
export function resolveOtlpTarget(
  otlpEndpoint: string | undefined,
  source: ValueSource | undefined,
  env: Env,
): OtlpTarget {
  let url: string;
  let origin: string;
  if (otlpEndpoint !== undefined) {
    url = checkedUrl(withMetricsPath(otlpEndpoint), 'otlp_endpoint', otlpEndpoint, source);
    origin = 'otlp_endpoint';
  } else if (env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) {
    const value = env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
    origin = 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT';
    url = checkedUrl(value, origin, value, { kind: 'env', name: origin });
  } else if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const value = env.OTEL_EXPORTER_OTLP_ENDPOINT;
    origin = 'OTEL_EXPORTER_OTLP_ENDPOINT';
    url = checkedUrl(withMetricsPath(value), origin, value, { kind: 'env', name: origin });
  } else {
    url = `${DEFAULT_BASE}/${METRICS_PATH}`;
    origin = 'the OTLP default';
  }
  return {
    url,
    headers: {
      ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
      ...parseHeaders(env.OTEL_EXPORTER_OTLP_METRICS_HEADERS),
    },
    timeoutMs: parseTimeout(
      env.OTEL_EXPORTER_OTLP_METRICS_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT,
    ),
    origin,
  };
}

/**
 * `key1=value1,key2=value2` with percent-encoded values (W3C baggage format, as the
 * OpenTelemetry variables use). Malformed items are skipped, as the SDKs do.
 */
export function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const item of (text ?? '').split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    const raw = item.slice(at + 1).trim();
    try {
      headers[key] = decodeURIComponent(raw);
    } catch {
      headers[key] = raw;
    }
  }
  return headers;
}

function withMetricsPath(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith(`/${METRICS_PATH}`) ? trimmed : `${trimmed}/${METRICS_PATH}`;
}

function checkedUrl(
  url: string,
  key: string,
  value: string,
  source: ValueSource | undefined,
): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError({
      key,
      value,
      source: source ?? { kind: 'default' },
      accepted: 'an http:// or https:// URL such as http://localhost:4318',
    });
  }
  return parsed.toString();
}

function parseTimeout(text: string | undefined): number {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}
