import { describe, expect, it } from 'vitest';
import {
  FAILURE_LIFETIME_MS,
  type LocateOptions,
  locateMachine,
  parseMachineLocation,
} from '../../src/location/machine-location.js';
import { GEOJS_PARIS, type Route, startFakeServer } from './fake-server.js';
import { tempDir } from './temp-dir.js';

const GCP_ZONE: Route = {
  body: 'projects/1/zones/europe-west9-a',
  headers: { 'Metadata-Flavor': 'Google' },
};

async function setup(routes: Record<string, Route>) {
  const server = await startFakeServer(routes);
  const base: LocateOptions = {
    geolocationUrl: `${server.url}/geo.json`,
    cloudMetadataUrl: server.url,
    cacheDir: tempDir(),
    cacheMs: 3_600_000,
    geolocationTimeoutMs: 2000,
    cloudBudgetMs: 2000,
    retryDelayMs: 1,
  };
  return { server, base };
}

describe('locateMachine', () => {
  it('runs geolocation and cloud detection together and caches both for the machine', async () => {
    const { server, base } = await setup({
      '/geo.json': { body: GEOJS_PARIS },
      '/computeMetadata/v1/instance/zone': GCP_ZONE,
    });
    const first = await locateMachine(base);
    expect(first.origin).toBe('lookup');
    expect(first.value).toEqual({
      geo: {
        ok: true,
        location: {
          countryIsoCode: 'FRA',
          countryName: 'France',
          region: 'Île-de-France',
          latitude: 48.8566,
          longitude: 2.3522,
        },
      },
      cloud: { kind: 'cloud', provider: 'gcp', region: 'europe-west9' },
    });
    const requests = server.requests.length;

    const second = await locateMachine(base);
    expect(second).toEqual({ value: first.value, origin: 'cache' });
    expect(server.requests).toHaveLength(requests);
  });

  it('sends nothing to the metadata address when cloud detection is off', async () => {
    const { server, base } = await setup({ '/geo.json': { body: GEOJS_PARIS } });
    const result = await locateMachine({ ...base, cloudMetadataUrl: undefined });
    expect(result.value.cloud).toEqual({ kind: 'none' });
    expect(server.requests.map((r) => r.url)).toEqual(['/geo.json']);
  });

  it('keeps a failed lookup for a minute only, a successful one for the configured time', async () => {
    let nowMs = 5_000_000;
    let geoUp = false;
    const { server, base } = await setup({
      '/geo.json': () => (geoUp ? { body: GEOJS_PARIS } : { status: 404, body: '<html/>' }),
    });
    const at = { ...base, cloudMetadataUrl: undefined, now: () => nowMs };
    expect((await locateMachine(at)).value.geo.ok).toBe(false);
    geoUp = true;
    nowMs += FAILURE_LIFETIME_MS - 1;
    expect((await locateMachine(at)).value.geo.ok).toBe(false);
    nowMs += 1;
    expect((await locateMachine(at)).value.geo.ok).toBe(true);
    nowMs += 3_599_999;
    expect((await locateMachine(at)).origin).toBe('cache');
    expect(server.count('/geo.json')).toBe(2);
  });

  it('keeps one cache file per configuration: another service is asked anew', async () => {
    const { server, base } = await setup({
      '/geo.json': { body: GEOJS_PARIS },
      '/other.json': { body: GEOJS_PARIS },
    });
    await locateMachine({ ...base, cloudMetadataUrl: undefined });
    await locateMachine({
      ...base,
      cloudMetadataUrl: undefined,
      geolocationUrl: `${server.url}/other.json`,
    });
    expect(server.count('/geo.json')).toBe(1);
    expect(server.count('/other.json')).toBe(1);
  });
});

describe('parseMachineLocation', () => {
  it('accepts what locateMachine stores and rejects anything else', () => {
    const stored = {
      geo: { ok: true, location: { countryIsoCode: 'FRA', countryName: 'France' } },
      cloud: { kind: 'none' },
    };
    expect(parseMachineLocation(stored)).toEqual(stored);
    expect(
      parseMachineLocation({
        geo: { ok: false, reason: 'x' },
        cloud: { kind: 'unexpected', warning: 'w' },
      }),
    ).toEqual({
      geo: { ok: false, reason: 'x' },
      cloud: { kind: 'unexpected', warning: 'w' },
    });
    expect(
      parseMachineLocation({ ...stored, cloud: { kind: 'cloud', provider: 'ibm', region: 'x' } }),
    ).toBeUndefined();
    expect(
      parseMachineLocation({ ...stored, geo: { ok: true, location: { countryIsoCode: 3 } } }),
    ).toBeUndefined();
    expect(parseMachineLocation('{}')).toBeUndefined();
  });
});
