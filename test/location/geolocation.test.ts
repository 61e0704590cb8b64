import { describe, expect, it } from 'vitest';
import { lookupGeolocation, readAnswer } from '../../src/location/geolocation.js';
import { GEOJS_CHICAGO, startFakeServer } from './fake-server.js';

const fast = { timeoutMs: 2000, retryDelayMs: 1 };

describe('lookupGeolocation', () => {
  it('reads a geojs answer: alpha-3 country, name, region and string coordinates', async () => {
    const server = await startFakeServer({ '/geo.json': { body: GEOJS_CHICAGO } });
    const outcome = await lookupGeolocation({ url: `${server.url}/geo.json`, ...fast });
    expect(outcome).toEqual({
      ok: true,
      location: {
        countryIsoCode: 'USA',
        countryName: 'United States',
        region: 'Illinois',
        latitude: 41.85,
        longitude: -87.65,
      },
    });
  });

  it('accepts an answer without a region (CodeCarbon treats it as a failure)', async () => {
    const { region: _none, ...withoutRegion } = GEOJS_CHICAGO;
    const server = await startFakeServer({
      '/geo.json': { body: { ...withoutRegion, region: '' } },
    });
    const outcome = await lookupGeolocation({ url: `${server.url}/geo.json`, ...fast });
    expect(outcome.ok && outcome.location).toEqual({
      countryIsoCode: 'USA',
      countryName: 'United States',
      latitude: 41.85,
      longitude: -87.65,
    });
  });

  it('waits for a slow answer that comes within the timeout', async () => {
    const server = await startFakeServer({ '/geo.json': { body: GEOJS_CHICAGO, delayMs: 50 } });
    const outcome = await lookupGeolocation({ url: `${server.url}/geo.json`, timeoutMs: 2000 });
    expect(outcome.ok && outcome.location.countryIsoCode).toBe('USA');
  });

  it('retries once after a timeout, then fails with both reasons', async () => {
    const server = await startFakeServer({ '/geo.json': { hang: true } });
    const outcome = await lookupGeolocation({
      url: `${server.url}/geo.json`,
      timeoutMs: 50,
      retryDelayMs: 1,
    });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toBe(
      'timed out (no answer within 50 ms), then timed out (no answer within 50 ms)',
    );
    expect(server.count('/geo.json')).toBe(2);
  });

  it('retries once after a 5xx with an HTML body and uses the second answer', async () => {
    const server = await startFakeServer({
      '/geo.json': (_request, index) =>
        index === 0
          ? { status: 502, body: '<html><h1>Bad gateway</h1></html>' }
          : { body: GEOJS_CHICAGO },
    });
    const outcome = await lookupGeolocation({ url: `${server.url}/geo.json`, ...fast });
    expect(outcome.ok).toBe(true);
    expect(server.count('/geo.json')).toBe(2);
  });

  it('does not retry a 4xx', async () => {
    const server = await startFakeServer({ '/geo.json': { status: 403, body: '<html>no</html>' } });
    const outcome = await lookupGeolocation({ url: `${server.url}/geo.json`, ...fast });
    expect(outcome).toEqual({ ok: false, reason: 'HTTP 403' });
    expect(server.count('/geo.json')).toBe(1);
  });

  it('fails, without retrying, on malformed JSON, HTML and a missing country', async () => {
    const server = await startFakeServer({
      '/broken': { body: '{"country_code3": "USA",' },
      '/html': { body: '<html>captive portal</html>', headers: { 'content-type': 'text/html' } },
      '/nocountry': { body: { region: 'Illinois', latitude: '41.85', longitude: '-87.65' } },
    });
    const reasons = [];
    for (const path of ['/broken', '/html', '/nocountry']) {
      const outcome = await lookupGeolocation({ url: `${server.url}${path}`, ...fast });
      reasons.push(!outcome.ok && outcome.reason);
    }
    expect(reasons).toEqual([
      'the answer is not valid JSON',
      'the answer is HTML, not JSON',
      'the answer has no country code',
    ]);
    expect(server.requests).toHaveLength(3);
  });
});

describe('readAnswer', () => {
  it('reads an ipinfo-style answer: 2-letter country and "lat,lon"', () => {
    expect(
      readAnswer(JSON.stringify({ country: 'CA', region: 'Ontario', loc: '43.7,-79.4' })),
    ).toEqual({
      ok: true,
      location: {
        countryIsoCode: 'CAN',
        countryName: 'Canada',
        region: 'Ontario',
        latitude: 43.7,
        longitude: -79.4,
      },
    });
  });

  it('keeps 0,0 as real coordinates and drops out-of-range or non-numeric ones', () => {
    const at = (latitude: unknown, longitude: unknown) => {
      const outcome = readAnswer(JSON.stringify({ country_code: 'FR', latitude, longitude }));
      return outcome.ok ? [outcome.location.latitude, outcome.location.longitude] : 'failed';
    };
    expect(at('0', '0')).toEqual([0, 0]);
    expect(at(48.85, 2.35)).toEqual([48.85, 2.35]);
    expect(at('95', '2')).toEqual([undefined, undefined]);
    expect(at('nan', '2')).toEqual([undefined, undefined]);
  });

  it('never guesses a country from an unknown code', () => {
    expect(readAnswer(JSON.stringify({ country_code3: 'XXX' }))).toEqual({
      ok: false,
      reason: 'unknown country code "XXX"',
    });
  });
});
