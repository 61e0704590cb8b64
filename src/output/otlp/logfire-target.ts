type Env = Record<string, string | undefined>;

/** Logfire's regions and their API hosts; a token names its region (`pylf_v1_eu_…`). */
const REGION_BASE_URLS: Readonly<Record<string, string>> = {
  us: 'https://logfire-us.pydantic.dev',
  eu: 'https://logfire-eu.pydantic.dev',
};
const DEFAULT_REGION = 'us';

export interface LogfireTarget {
  url: string;
  /** `Authorization: <write token>`, as Logfire expects (no `Bearer`). Never logged. */
  headers: Record<string, string>;
  /** Where the URL came from, for the log: `LOGFIRE_BASE_URL` or `token region eu`. */
  origin: string;
}

/**
 * The OTLP metrics endpoint of Logfire for `LOGFIRE_TOKEN`: `LOGFIRE_BASE_URL` when set (a
 * self-hosted or test server), else the region encoded in the token, else the US region,
 * as Logfire's own SDKs choose. Undefined without a token.
 */
export function resolveLogfireTarget(env: Env): LogfireTarget | undefined {
  const token = env.LOGFIRE_TOKEN?.trim();
  if (!token) return undefined;
  const region = /^pylf_v\d+_([a-z]+)_/.exec(token)?.[1];
  const known = region !== undefined && REGION_BASE_URLS[region] !== undefined;
  const base = env.LOGFIRE_BASE_URL?.trim() || REGION_BASE_URLS[known ? region : DEFAULT_REGION];
  return {
    url: `${withoutCredentials(base as string).replace(/\/+$/, '')}/v1/metrics`,
    headers: { Authorization: token },
    origin: env.LOGFIRE_BASE_URL?.trim()
      ? 'LOGFIRE_BASE_URL'
      : `token region ${known ? region : `${DEFAULT_REGION} (default)`}`,
  };
}

/**
 * The token is Logfire's authorization, so user information in `LOGFIRE_BASE_URL` has no use;
 * it is dropped so that it reaches neither the log nor the request.
 */
function withoutCredentials(base: string): string {
  try {
    const url = new URL(base);
    if (!url.username && !url.password) return base;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    // A URL the exporter cannot use either; its failure is reported when sending.
    return base.replace(/\/\/[^/?#]*@/, '//');
  }
}
