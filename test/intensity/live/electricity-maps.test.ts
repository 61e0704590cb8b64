import { describe, expect, it } from 'vitest';
import { fetchLiveIntensity, liveUrl } from '../../../src/intensity/live/electricity-maps.js';
import { type Route, startFakeServer } from '../../location/fake-server.js';

const TOKEN = 'em-secret-token-123';
const PATH = '/v3/carbon-intensity/latest';

async function fetchWith(route: Route, query = { zone: 'FR' } as const, timeoutMs = 2000) {
  const server = await startFakeServer({ [PATH]: route });
  const outcome = await fetchLiveIntensity({
    baseUrl: `${server.url}/v3/`,
    token: TOKEN,
    query,
    timeoutMs,
  });
  return { outcome, server };
}

describe('fetchLiveIntensity', () => {
  it('asks for a zone with the token in the auth-token header and reads the intensity', async () => {
    const { outcome, server } = await fetchWith({
      body: {
        zone: 'FR',
        carbonIntensity: 58.765447504659946,
        datetime: '2026-01-15T10:00:00.000Z',
      },
    });
    expect(outcome).toEqual({
      ok: true,
      value: {
        intensityGPerKwh: 58.765447504659946,
        zone: 'FR',
        datetime: '2026-01-15T10:00:00.000Z',
      },
    });
    expect(server.requests[0]?.url).toBe(`${PATH}?zone=FR`);
    expect(server.requests[0]?.headers['auth-token']).toBe(TOKEN);
  });

  it('asks by coordinates at full precision', () => {
    expect(
      liveUrl('https://api.example.invalid/v3', { latitude: 48.8566, longitude: -2.3522 }),
    ).toBe('https://api.example.invalid/v3/carbon-intensity/latest?lat=48.8566&lon=-2.3522');
  });

  it('fails on a 4xx, quoting the JSON error but never the token', async () => {
    const { outcome } = await fetchWith({ status: 401, body: { error: `Invalid token ${TOKEN}` } });
    expect(outcome).toEqual({ ok: false, reason: 'HTTP 401: Invalid token <token>' });
  });

  it('fails on a 5xx with an HTML page, without quoting the page', async () => {
    const { outcome } = await fetchWith({
      status: 503,
      body: '<html><body>Service Unavailable</body></html>',
    });
    expect(outcome).toEqual({ ok: false, reason: 'HTTP 503 (HTML body)' });
  });

  it('fails on a 200 with malformed JSON, HTML, or no carbonIntensity', async () => {
    const reasons = [];
    for (const body of [
      '{"carbonIntensity": 5',
      '<html>login</html>',
      { zone: 'FR' },
      { carbonIntensity: '58' },
      { carbonIntensity: -1 },
    ]) {
      const { outcome } = await fetchWith({ body });
      reasons.push(!outcome.ok && outcome.reason);
    }
    expect(reasons).toEqual([
      'the answer is not valid JSON',
      'the answer is HTML, not JSON',
      'the answer has no valid "carbonIntensity" field',
      'the answer has no valid "carbonIntensity" field',
      'the answer has no valid "carbonIntensity" field',
    ]);
  });

  it('fails when the answer is too slow', async () => {
    const { outcome } = await fetchWith({ hang: true }, { zone: 'FR' }, 50);
    expect(outcome).toEqual({ ok: false, reason: 'no answer within 50 ms' });
  });
});
