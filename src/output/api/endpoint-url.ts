import { ConfigError } from '../../config/config-error.js';
import type { ValueSource } from '../../config/options.js';

export interface Endpoint {
  /** The URL to POST to, without credentials; safe to log and to write in a spool. */
  url: string;
  /** `authorization` built from credentials written in the URL (`https://user:pass@host`). */
  headers: Record<string, string>;
}

/**
 * Checks an endpoint parameter at construction: an http or https URL. Credentials in the URL
 * move to a Basic `authorization` header (fetch refuses them in the URL) and out of logs.
 * `base`: a base URL whose paths are appended (`api_endpoint`), so a trailing `/` is dropped.
 */
export function parseEndpoint(
  key: 'api_endpoint' | 'emissions_endpoint',
  value: string,
  source: ValueSource,
  base: boolean,
): Endpoint {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigError({
      key,
      value,
      source,
      accepted: 'an http:// or https:// URL',
      // A value with credentials in it is not repeated in the message.
      ...(/\/\/[^/]*:[^/]*@/.test(value) ? { redact: true } : {}),
    });
  }

  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const text = url.toString();
  return { url: base ? text.replace(/\/+$/, '') : text, headers };
}
