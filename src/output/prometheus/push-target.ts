import { ConfigError } from '../../config/config-error.js';
import type { ResolvedConfig, ValueSource } from '../../config/options.js';

/** Where to push, with any credentials taken out of the URL (messages show `url` only). */
export interface PushTarget {
  /** `http(s)://host:port[/path]` without user info and without a trailing slash. */
  url: string;
  /** `Basic …` header value, or undefined for no authentication. */
  authorization: string | undefined;
}

/**
 * Reads `prometheus_url` (a scheme-less `host:port` gets `http://`, as CodeCarbon does) and
 * the basic-auth credentials, from the first place that names a user: the
 * `prometheus_username` parameter, the URL's user info, then `PROMETHEUS_USERNAME`.
 */
export function resolvePushTarget(
  config: Pick<ResolvedConfig, 'prometheusUrl' | 'prometheusUsername' | 'prometheusPassword'> & {
    sources: Record<string, ValueSource>;
  },
  env: Record<string, string | undefined>,
): PushTarget {
  const parsed = parseGatewayUrl(config.prometheusUrl, config.sources.prometheus_url);
  const urlUser = decodeURIComponent(parsed.username);
  const urlPassword = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const url = parsed.toString().replace(/\/+$/, '');

  const credentials: {
    user: string;
    password: string | undefined;
    key: string;
    source: ValueSource;
  }[] = [];
  if (config.prometheusUsername !== undefined) {
    credentials.push({
      user: config.prometheusUsername,
      password: config.prometheusPassword ?? env.PROMETHEUS_PASSWORD,
      key: 'prometheus_username',
      source: config.sources.prometheus_username ?? { kind: 'option' },
    });
  }
  if (urlUser !== '') {
    credentials.push({
      user: urlUser,
      password: urlPassword,
      key: 'prometheus_url',
      source: config.sources.prometheus_url ?? { kind: 'default' },
    });
  }
  if (env.PROMETHEUS_USERNAME) {
    credentials.push({
      user: env.PROMETHEUS_USERNAME,
      password: env.PROMETHEUS_PASSWORD,
      key: 'PROMETHEUS_USERNAME',
      source: { kind: 'env', name: 'PROMETHEUS_USERNAME' },
    });
  }

  const chosen = credentials[0];
  if (chosen === undefined) return { url, authorization: undefined };
  if (chosen.password === undefined) {
    throw new ConfigError({
      key: chosen.key,
      value: chosen.key === 'prometheus_url' ? url : chosen.user,
      source: chosen.source,
      accepted:
        'a password as well (prometheus_password, PROMETHEUS_PASSWORD, or user:password@ in the URL)',
    });
  }
  const token = Buffer.from(`${chosen.user}:${chosen.password}`, 'utf8').toString('base64');
  return { url, authorization: `Basic ${token}` };
}

function parseGatewayUrl(text: string, source: ValueSource | undefined): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let parsed: URL | undefined;
  try {
    parsed = new URL(withScheme);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError({
      key: 'prometheus_url',
      // Never echo credentials that may be embedded in the URL.
      value: text.replace(/\/\/[^/@]*@/, '//<credentials>@'),
      source: source ?? { kind: 'default' },
      accepted: 'a pushgateway address such as localhost:9091 or https://gateway.example:9091',
    });
  }
  return parsed;
}
