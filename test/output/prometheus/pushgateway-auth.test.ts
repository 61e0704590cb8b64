import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPromClient } from '../../../src/output/prometheus/load-prom-client.js';
import { PushgatewayOutput } from '../../../src/output/prometheus/pushgateway-output.js';
import { makeRecord } from '../record-fixture.js';
import { find } from './exposition.js';
import { startProxy } from './gateway-proxy.js';
import { HAVE_PUSHGATEWAY, type RunningGateway, startPushgateway } from './pushgateway-process.js';
import { makeTracker } from './tracker-setup.js';

const BASIC = `Basic ${Buffer.from('pusher:s3cret-pw').toString('base64')}`;

describe.skipIf(!HAVE_PUSHGATEWAY)('Prometheus pushgateway output: auth, HTTPS, failures', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startPushgateway();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('sends basic auth from PROMETHEUS_USERNAME / PROMETHEUS_PASSWORD and never logs the password', async () => {
    const proxy = await startProxy(gateway.url, { expected: BASIC });
    const { tracker, clock, messages } = makeTracker(
      { outputMethods: ['prometheus'], prometheusUrl: proxy.url, projectName: 'authed' },
      { PROMETHEUS_USERNAME: 'pusher', PROMETHEUS_PASSWORD: 's3cret-pw' },
    );
    tracker.start();
    clock.advance(20);
    await tracker.flush();

    const samples = await gateway.samples();
    expect(find(samples, 'codecarbon_cpu_power', { job: 'authed_base' })[0]?.value).toBeCloseTo(
      30,
      9,
    );
    expect(proxy.seen).toEqual([BASIC]);
    expect(messages.join('\n')).not.toContain('s3cret-pw');
    expect(messages.join('\n')).not.toContain(BASIC.slice(6));
    await tracker.stop();
    await proxy.close();
  });

  it('takes credentials from prometheus_username / prometheus_password, and from the URL', async () => {
    const proxy = await startProxy(gateway.url, { expected: BASIC });
    const fromOptions = makeTracker({
      outputMethods: ['prometheus'],
      prometheusUrl: proxy.url,
      prometheusUsername: 'pusher',
      prometheusPassword: 's3cret-pw',
    });
    const fromUrl = makeTracker({
      outputMethods: ['prometheus'],
      prometheusUrl: proxy.url.replace('http://', 'http://pusher:s3cret-pw@'),
    });
    for (const { tracker, clock, messages } of [fromOptions, fromUrl]) {
      tracker.start();
      clock.advance(5);
      await tracker.stop();
      expect(messages.join('\n')).not.toContain('s3cret-pw');
      expect(messages.some((m) => m.startsWith('warn:'))).toBe(false);
    }
    // Push and delete of each tracker, all authenticated.
    expect(proxy.seen).toEqual([BASIC, BASIC, BASIC, BASIC]);
    await proxy.close();
  });

  it('a refused push is logged once, never thrown, and retried at the next output', async () => {
    const proxy = await startProxy(gateway.url, { expected: BASIC });
    const { tracker, clock, messages } = makeTracker(
      { outputMethods: ['prometheus'], prometheusUrl: proxy.url, projectName: 'retry' },
      { PROMETHEUS_USERNAME: 'pusher', PROMETHEUS_PASSWORD: 's3cret-pw' },
    );
    tracker.start();
    proxy.up = false;
    clock.advance(10);
    await expect(tracker.flush()).resolves.toBeGreaterThan(0);
    clock.advance(10);
    await tracker.flush();
    const warnings = messages.filter((m) => m.startsWith('warn:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('push failed with status 503');
    expect(warnings[0]).toContain('the next output retries');

    proxy.up = true;
    clock.advance(10);
    await tracker.flush();
    expect(messages.filter((m) => m.includes('works again'))).toHaveLength(1);
    const samples = await gateway.samples();
    // The successful push carries the whole run so far: 30 s of 40 W.
    expect(find(samples, 'codecarbon_energy_total', { job: 'retry_base' })[0]?.value).toBeCloseTo(
      (40 * 30) / 3_600_000,
      15,
    );
    await tracker.stop();
    await proxy.close();
  });

  it('a user without a password is rejected when the tracker is built', () => {
    expect(() =>
      makeTracker({ outputMethods: ['prometheus'], prometheusUsername: 'pusher' }),
    ).toThrow(/prometheus_username "pusher" from option prometheusUsername: expected a password/);
  });

  const haveOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!haveOpenssl)('pushes over HTTPS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
    const proxy = await startProxy(gateway.url, { expected: BASIC, tls });
    const output = new PushgatewayOutput(loadPromClient(), {
      url: proxy.url,
      authorization: BASIC,
      job: 'tls_base',
      grouping: { instance: hostname() },
      deleteOnExit: false,
      logger: { debug() {}, info() {}, warn: (m) => expect.fail(m), error: (m) => expect.fail(m) },
      agent: new Agent({ ca: tls.cert }),
    });

    await output.out(makeRecord(), makeRecord({ gpuPower: 123 }));

    const samples = await gateway.samples();
    expect(find(samples, 'codecarbon_gpu_power', { job: 'tls_base' })[0]?.value).toBe(123);
    expect(proxy.url.startsWith('https://')).toBe(true);
    await proxy.close();
  });
});
