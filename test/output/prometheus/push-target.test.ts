import { describe, expect, it } from 'vitest';
import { pushGrouping, pushJobName } from '../../../src/output/prometheus/labels.js';
import { resolvePushTarget } from '../../../src/output/prometheus/push-target.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function config(overrides: Record<string, unknown> = {}) {
  return {
    prometheusUrl: 'localhost:9091',
    prometheusUsername: undefined,
    prometheusPassword: undefined,
    sources: {},
    ...overrides,
  } as Parameters<typeof resolvePushTarget>[0];
}

describe('pushgateway target', () => {
  it('gives a scheme-less address http:// and keeps https URLs', () => {
    expect(resolvePushTarget(config(), {})).toEqual({
      url: 'http://localhost:9091',
      authorization: undefined,
    });
    expect(
      resolvePushTarget(config({ prometheusUrl: 'https://gw.invalid:9443/prefix/' }), {}).url,
    ).toBe('https://gw.invalid:9443/prefix');
  });

  it('uses basic auth only when both PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD are set', () => {
    expect(
      resolvePushTarget(config(), { PROMETHEUS_USERNAME: 'u', PROMETHEUS_PASSWORD: 'p' })
        .authorization,
    ).toBe(basic('u', 'p'));
    expect(resolvePushTarget(config(), { PROMETHEUS_PASSWORD: 'p' }).authorization).toBeUndefined();
  });

  it('prefers the parameters, then the URL, then the environment', () => {
    const env = { PROMETHEUS_USERNAME: 'env', PROMETHEUS_PASSWORD: 'env-pw' };
    const withUrl = config({ prometheusUrl: 'http://url:url%40pw@gw.invalid:9091' });
    expect(resolvePushTarget(withUrl, env)).toEqual({
      url: 'http://gw.invalid:9091', // credentials are taken out of the URL
      authorization: basic('url', 'url@pw'),
    });
    const withOptions = config({ ...withUrl, prometheusUsername: 'opt', prometheusPassword: 'o' });
    expect(resolvePushTarget(withOptions, env).authorization).toBe(basic('opt', 'o'));
  });

  it('rejects a user without a password and a URL that is not http(s), never echoing secrets', () => {
    expect(() => resolvePushTarget(config(), { PROMETHEUS_USERNAME: 'u' })).toThrow(
      /PROMETHEUS_USERNAME "u" from environment variable PROMETHEUS_USERNAME: expected a password as well/,
    );
    const attempt = () =>
      resolvePushTarget(config({ prometheusUrl: 'ftp://u:hunter2@gw.invalid' }), {});
    expect(attempt).toThrow(/Invalid prometheus_url "ftp:\/\/<credentials>@gw.invalid"/);
  });
});

describe('pushgateway job and grouping', () => {
  it('names the job <project>_<experiment> with unsafe characters replaced by _', () => {
    expect(pushJobName('codecarbon', 'base')).toBe('codecarbon_base');
    expect(pushJobName('my project/α', 'run:1')).toBe('my_project___run_1');
  });

  it('groups by instance = host name, so machines do not overwrite each other', () => {
    expect(pushGrouping('node-17')).toEqual({ instance: 'node-17' });
    expect(pushGrouping('')).toEqual({ instance: 'unknown-host' });
  });
});
