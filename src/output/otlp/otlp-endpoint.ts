import { ConfigError } from '../../config/config-error.js';
import type { ValueSource } from '../../config/options.js';

/** Where and how the OTLP/HTTP metrics are sent. */
export interface OtlpTarget {
  /** Full metrics URL, e.g. `http://collector:4318/v1/metrics`; never holds credentials. */
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
  const endpoint = resolveEndpoint(otlpEndpoint, source, env);
  const headers = {
    ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseHeaders(env.OTEL_EXPORTER_OTLP_METRICS_HEADERS),
  };
  // Credentials written in the URL become a Basic header, unless the user's headers already
  // authenticate: an explicit header is the more deliberate choice.
  const userSetAuthorization = Object.keys(headers).some(
    (name) => name.toLowerCase() === 'authorization',
  );
  if (endpoint.authorization !== undefined && !userSetAuthorization) {
    headers.authorization = endpoint.authorization;
  }
  return {
    url: endpoint.url,
    headers,
    timeoutMs: parseTimeout(
      env.OTEL_EXPORTER_OTLP_METRICS_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT,
    ),
    origin: endpoint.origin,
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
  const trimmed = base.trim().replace(/\/+$/, '');
  return trimmed.endsWith(`/${METRICS_PATH}`) ? trimmed : `${trimmed}/${METRICS_PATH}`;
}

interface CheckedEndpoint {
  /** Without credentials: safe to log. */
  url: string;
  /** `Basic …` from credentials written in the URL (`http://user:pass@host`). */
  authorization?: string;
  origin: string;
}

function resolveEndpoint(
  otlpEndpoint: string | undefined,
  source: ValueSource | undefined,
  env: Env,
): CheckedEndpoint {
  if (otlpEndpoint !== undefined) {
    const origin = 'otlp_endpoint';
    return checkedUrl(withMetricsPath(otlpEndpoint), origin, otlpEndpoint, source);
  }
  const metricsValue = env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
  if (metricsValue) {
    const origin = 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT';
    return checkedUrl(metricsValue, origin, metricsValue, { kind: 'env', name: origin });
  }
  const baseValue = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (baseValue) {
    const origin = 'OTEL_EXPORTER_OTLP_ENDPOINT';
    return checkedUrl(withMetricsPath(baseValue), origin, baseValue, { kind: 'env', name: origin });
  }
  return { url: `${DEFAULT_BASE}/${METRICS_PATH}`, origin: 'the OTLP default' };
}

/**
 * An http or https URL; credentials in it move to `authorization` (a URL with them would
 * reach logs and warnings). `key` names the parameter or variable for errors and the log.
 */
function checkedUrl(
  url: string,
  key: string,
  value: string,
  source: ValueSource | undefined,
): CheckedEndpoint {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url.trim());
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError({
      key,
      value,
      source: source ?? { kind: 'default' },
      accepted: 'an http:// or https:// URL such as http://localhost:4318',
      // Any `@` may end user information (a name alone may be a token, and `ftp:u:pw@host`
      // has no `//`): such a value is not repeated in the message.
      ...(value.includes('@') ? { redact: true } : {}),
    });
  }

  if (!parsed.username && !parsed.password) return { url: parsed.toString(), origin: key };
  const user = safeDecode(parsed.username);
  const password = safeDecode(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.toString(),
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    origin: key,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseTimeout(text: string | undefined): number {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}
