import { beforeEach, describe, expect, it } from 'vitest';
import {
  cachedLiveIntensity,
  clearLiveIntensityCache,
} from '../../../src/intensity/live/live-cache.js';
import { startFakeServer } from '../../location/fake-server.js';

const PATH = '/carbon-intensity/latest';
const PERIOD_MS = 15 * 60_000;

beforeEach(() => clearLiveIntensityCache());

async function setup(status = 200) {
  const server = await startFakeServer({
    [PATH]: (_request, index) =>
      status === 200
        ? { body: { carbonIntensity: 100 * (index + 1) } }
        : { status, body: '<html/>' },
  });
  let nowMs = 1_000_000;
  const request = { baseUrl: server.url, token: 't', query: { zone: 'FR' }, timeoutMs: 2000 };
  const get = () => cachedLiveIntensity(request, PERIOD_MS, () => nowMs);
  const advance = (ms: number) => {
    nowMs += ms;
  };
  return { server, get, advance, request };
}

const value = (answer: Awaited<ReturnType<typeof cachedLiveIntensity>>) =>
  answer.outcome.ok ? answer.outcome.value.intensityGPerKwh : answer.outcome.reason;

describe('cachedLiveIntensity', () => {
  it('reuses a value for the period, then fetches a new one', async () => {
    const { server, get, advance } = await setup();
    expect(value(await get())).toBe(100);
    advance(PERIOD_MS - 1);
    expect(value(await get())).toBe(100);
    advance(1);
    expect(value(await get())).toBe(200);
    expect(server.count(PATH)).toBe(2);
  });

  it('shares one request between concurrent callers', async () => {
    const { server, get } = await setup();
    const answers = await Promise.all([get(), get(), get()]);
    expect(answers.map(value)).toEqual([100, 100, 100]);
    expect(server.count(PATH)).toBe(1);
  });

  it('keeps a failure for the period too, so a broken endpoint is not hammered', async () => {
    const { server, get, advance } = await setup(500);
    const failed = await get();
    expect(value(failed)).toBe('HTTP 500 (HTML body)');
    expect(failed.expiresAtMs - failed.fetchedAtMs).toBe(PERIOD_MS);
    advance(60_000);
    await get();
    expect(server.count(PATH)).toBe(1);
  });

  it('does not share answers between tokens', async () => {
    const { server, request } = await setup();
    await cachedLiveIntensity(request, PERIOD_MS, () => 0);
    await cachedLiveIntensity({ ...request, token: 'other' }, PERIOD_MS, () => 0);
    expect(server.count(PATH)).toBe(2);
  });
});
