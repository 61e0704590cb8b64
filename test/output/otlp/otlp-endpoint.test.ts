import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseHeaders, resolveOtlpTarget } from '../../../src/output/otlp/otlp-endpoint.js';

const OPTION = { kind: 'option' } as const;

describe('OTLP target resolution', () => {
  it('appends /v1/metrics to a base URL, once', () => {
    expect(resolveOtlpTarget('http://collector.invalid:4318', OPTION, {}).url).toBe(
      'http://collector.invalid:4318/v1/metrics',
    );
    expect(resolveOtlpTarget('http://collector.invalid:4318/', OPTION, {}).url).toBe(
      'http://collector.invalid:4318/v1/metrics',
    );
    expect(resolveOtlpTarget('https://c.invalid/otlp/v1/metrics', OPTION, {}).url).toBe(
      'https://c.invalid/otlp/v1/metrics',
    );
  });

  it('otlp_endpoint wins over the variables; the metrics variable over the generic one', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic.invalid:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics.invalid:4318/custom',
    };
    expect(resolveOtlpTarget('http://option.invalid', OPTION, env)).toMatchObject({
      url: 'http://option.invalid/v1/metrics',
      origin: 'otlp_endpoint',
    });
    expect(resolveOtlpTarget(undefined, undefined, env)).toMatchObject({
      url: 'http://metrics.invalid:4318/custom',
      origin: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
    });
    expect(
      resolveOtlpTarget(undefined, undefined, {
        OTEL_EXPORTER_OTLP_ENDPOINT: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      }).url,
    ).toBe('http://generic.invalid:4318/v1/metrics');
  });

  it('defaults to http://localhost:4318/v1/metrics and a 10 s timeout', () => {
    expect(resolveOtlpTarget(undefined, undefined, {})).toEqual({
      url: 'http://localhost:4318/v1/metrics',
      headers: {},
      timeoutMs: 10_000,
      origin: 'the OTLP default',
    });
    expect(
      resolveOtlpTarget(undefined, undefined, { OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '2500' })
        .timeoutMs,
    ).toBe(2500);
  });

  it('a bad URL in a variable is a ConfigError naming the variable', () => {
    const attempt = () =>
      resolveOtlpTarget(undefined, undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/environment variable OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('parses headers as key=value pairs with percent-encoded values', () => {
    expect(parseHeaders('Authorization=Bearer%20abc, x-a = 1 ,broken,=x')).toEqual({
      Authorization: 'Bearer abc',
      'x-a': '1',
    });
    expect(parseHeaders(undefined)).toEqual({});
  });
});

describe('OTLP target credentials', () => {
  it('moves user information out of the URL into a Basic authorization header', () => {
    const target = resolveOtlpTarget('https://me:p%40ss@c.invalid:4318', OPTION, {});
    expect(target.url).toBe('https://c.invalid:4318/v1/metrics');
    expect(target.headers).toEqual({
      authorization: `Basic ${Buffer.from('me:p@ss').toString('base64')}`,
    });
  });

  it('leaves an authorization header from OTEL_EXPORTER_OTLP_*HEADERS as the user wrote it', () => {
    const target = resolveOtlpTarget(undefined, undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://me:pw@c.invalid',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'AUTHORIZATION=Bearer%20t',
    });
    expect(target.url).toBe('https://c.invalid/v1/metrics');
    expect(target.headers).toEqual({ AUTHORIZATION: 'Bearer t' });
  });

  it('redacts an invalid value that holds user information', () => {
    const attempt = () => resolveOtlpTarget('ftp://me:pw@c.invalid', OPTION, {});
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/Invalid otlp_endpoint "<redacted>" from option otlpEndpoint/);
  });
});
