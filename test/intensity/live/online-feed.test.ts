import { beforeEach, describe, expect, it } from 'vitest';
import { clearLiveIntensityCache } from '../../../src/intensity/live/live-cache.js';
import {
  createOnlineIntensityFeed,
  type FeedAnswer,
  type OnlineFeedOptions,
} from '../../../src/intensity/online-feed.js';
import { OnceLogger } from '../../../src/log/logger.js';
import { Accountant } from '../../../src/tracker/accountant.js';
import { UtilisationMonitor } from '../../../src/tracker/utilisation-monitor.js';
import { ConstantFakeSensor, ManualClock } from '../../helpers/fakes.js';
import { GEOJS_PARIS, type Route, startFakeServer } from '../../location/fake-server.js';
import { tempDir } from '../../location/temp-dir.js';

const TOKEN = 'em-token-never-logged';
const EM_PATH = '/em/carbon-intensity/latest';

beforeEach(() => clearLiveIntensityCache());

function collectingLogger() {
  const lines: string[] = [];
  const logger = new OnceLogger({
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  });
  return { logger, lines };
}

async function setup(routes: Record<string, Route>, overrides: Partial<OnlineFeedOptions> = {}) {
  const server = await startFakeServer(routes);
  const clock = new ManualClock();
  const { logger, lines } = collectingLogger();
  const options: OnlineFeedOptions = {
    configured: {},
    waitMs: 5000,
    logger,
    nowMs: () => clock.wallMs,
    ...overrides,
  };
  const locate = {
    geolocationUrl: `${server.url}/geo.json`,
    cloudMetadataUrl: undefined,
    cacheDir: tempDir(),
    cacheMs: 0,
    geolocationTimeoutMs: 2000,
    retryDelayMs: 1,
  };
  const live = { baseUrl: `${server.url}/em`, token: TOKEN, cacheMs: 30_000 };
  return { server, clock, lines, options, locate, live };
}

/** Waits until the feed's answer satisfies `test` (background work lands between ticks). */
async function until(feed: { current(): FeedAnswer }, test: (a: FeedAnswer) => boolean) {
  for (let i = 0; i < 400 && !test(feed.current()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return feed.current();
}

describe('createOnlineIntensityFeed: location', () => {
  it('answers at once, provisional, then definite once the machine is located', async () => {
    const { options, locate } = await setup({ '/geo.json': { body: GEOJS_PARIS, delayMs: 50 } });
    const feed = createOnlineIntensityFeed({ ...options, locate });
    expect(feed.current()).toMatchObject({
      provisional: true,
      source: 'world',
      intensityGPerKwh: 475,
    });

    await feed.settled();
    const now = feed.current();
    expect(now.provisional).toBeUndefined();
    expect(now).toMatchObject({ source: 'country', countryIsoCode: 'FRA', latitude: 48.8566 });
    feed.close();
  });

  it('settled(bound) gives up after the bound when the lookup hangs, and never rejects', async () => {
    const { options, locate, server } = await setup({ '/geo.json': { hang: true } });
    const feed = createOnlineIntensityFeed({
      ...options,
      locate: { ...locate, geolocationTimeoutMs: 60_000 },
    });
    await server.waitForRequests(1);
    await expect(feed.settled(20)).resolves.toBeUndefined();
    expect(feed.current().provisional).toBe(true);
    feed.close();
    await expect(feed.settled()).resolves.toBeUndefined();
  });

  it('after close(), the aborted lookup changes nothing and logs nothing', async () => {
    const { options, locate, server, lines } = await setup({ '/geo.json': { hang: true } });
    const feed = createOnlineIntensityFeed({
      ...options,
      locate: { ...locate, geolocationTimeoutMs: 60_000 },
    });
    await server.waitForRequests(1);
    feed.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(feed.current()).toMatchObject({ source: 'world' });
    expect(feed.current().provisional).toBeUndefined();
    expect(lines.filter((l) => !l.startsWith('debug'))).toEqual([]);
  });
});

describe('createOnlineIntensityFeed: live intensity', () => {
  it('is provisional until the first live value, then says source live with the value and zone', async () => {
    const { options, live, server } = await setup({
      [EM_PATH]: {
        body: { zone: 'FR', carbonIntensity: 42.5, datetime: '2026-01-15T10:00:00.000Z' },
        delayMs: 30,
      },
    });
    const feed = createOnlineIntensityFeed({
      ...options,
      configured: { countryIsoCode: 'FRA' },
      live,
    });
    expect(feed.current()).toMatchObject({ provisional: true, source: 'country' });
    await feed.settled();
    const now = feed.current();
    expect(now).toMatchObject({ source: 'live', intensityGPerKwh: 42.5, countryIsoCode: 'FRA' });
    expect(now.provisional).toBeUndefined();
    expect(now.detail).toMatch(
      /^Electricity Maps live intensity, zone FR for 2026-01-15T10:00:00.000Z, fetched /,
    );
    expect(now.detail).toContain('(tables: 56.039 g CO2eq/kWh from');
    expect(server.requests[0]?.url).toBe(`${EM_PATH}?zone=FR`);
  });

  it('converts each energy slice with the intensity current when it was read', async () => {
    const { options, live, clock } = await setup({
      [EM_PATH]: (_request, index) => ({ body: { carbonIntensity: [100, 200, 300][index] } }),
    });
    const feed = createOnlineIntensityFeed({
      ...options,
      configured: { countryIsoCode: 'FRA' },
      live,
    });
    // 100 kW for 36 s = 1 kWh per slice; the live period (30 s) ends between slices.
    const accountant = new Accountant({
      sensors: [new ConstantFakeSensor('cpu', 100_000)],
      monitor: new UtilisationMonitor({ cpuTimes: () => undefined, memory: () => undefined }),
      intensity: () => feed.current(),
      pue: 1,
      wue: 0,
      clock: clock.read,
    });
    accountant.start();
    await feed.settled();

    const cumulativeKg: number[] = [];
    for (const expected of [100, 200, 300]) {
      clock.advance(36);
      await until(feed, (a) => a.intensityGPerKwh === expected);
      cumulativeKg.push(accountant.sample().emissionsKg);
    }
    expect(cumulativeKg[0]).toBeCloseTo(0.1, 12);
    expect(cumulativeKg[1]).toBeCloseTo(0.3, 12);
    expect(cumulativeKg[2]).toBeCloseTo(0.6, 12);
  });

  it('keeps the last value in force while a new one is fetched: current() never waits', async () => {
    const { options, live, clock } = await setup({
      [EM_PATH]: (_request, index) =>
        index === 0 ? { body: { carbonIntensity: 100 } } : { hang: true },
    });
    const feed = createOnlineIntensityFeed({
      ...options,
      configured: { countryIsoCode: 'FRA' },
      live,
    });
    await feed.settled();
    clock.advance(31);
    expect(feed.current()).toMatchObject({ source: 'live', intensityGPerKwh: 100 });
    expect(feed.current().provisional).toBeUndefined();
    feed.close();
  });

  it('falls back to the tables for the period on any failure, warning once per run', async () => {
    const { options, live, clock, lines, server } = await setup({
      [EM_PATH]: (_request, index) =>
        index < 2
          ? { status: 502, body: '<html>Bad Gateway</html>' }
          : { body: { carbonIntensity: 80 } },
    });
    const feed = createOnlineIntensityFeed({
      ...options,
      configured: { countryIsoCode: 'FRA' },
      live,
    });
    await feed.settled();
    expect(feed.current()).toMatchObject({ source: 'country', intensityGPerKwh: 56.039 });
    expect(feed.current().detail).toMatch(
      /\(Electricity Maps failed: HTTP 502 \(HTML body\); tables used until /,
    );

    const firstFailure = feed.current().detail;
    clock.advance(31);
    await until(feed, (a) => a.detail !== firstFailure);
    expect(server.count(EM_PATH)).toBe(2);
    clock.advance(31);
    const recovered = await until(feed, (a) => a.source === 'live');
    expect(recovered.intensityGPerKwh).toBe(80);
    expect(
      lines.filter((l) => l.includes('Electricity Maps live intensity unavailable')),
    ).toHaveLength(1);
  });

  it('never logs the token nor puts it in a record detail', async () => {
    const { options, live, lines } = await setup({
      [EM_PATH]: { status: 401, body: { message: `token ${TOKEN} is not valid` } },
    });
    const feed = createOnlineIntensityFeed({
      ...options,
      configured: { countryIsoCode: 'FRA' },
      live,
    });
    await feed.settled();
    expect(feed.current().detail).toContain('HTTP 401: token <token> is not valid');
    expect(JSON.stringify(feed.current())).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(
      lines.some((l) => l.startsWith('warn: Electricity Maps live intensity unavailable')),
    ).toBe(true);
  });

  it('asks by the geolocated coordinates, else by the configured zone or the country', async () => {
    const { options, locate, live, server } = await setup({
      '/geo.json': { body: GEOJS_PARIS },
      [EM_PATH]: { body: { carbonIntensity: 30 } },
    });
    const located = createOnlineIntensityFeed({ ...options, locate, live });
    await located.settled();
    const zoned = createOnlineIntensityFeed({
      ...options,
      configured: { countryIsoCode: 'DEU' },
      live: { ...live, zone: 'de-lu' },
    });
    await zoned.settled();
    const country = createOnlineIntensityFeed({
      ...options,
      configured: { countryIsoCode: 'SWE', region: 'SE3' },
      live,
    });
    await country.settled();
    expect(server.requests.filter((r) => r.url.startsWith(EM_PATH)).map((r) => r.url)).toEqual([
      `${EM_PATH}?lat=48.8566&lon=2.3522`,
      `${EM_PATH}?zone=DE-LU`,
      `${EM_PATH}?zone=SE`,
    ]);
  });

  it('uses the tables when nothing says where to ask (no location, no zone)', async () => {
    const { options, locate, live, server, lines } = await setup({
      '/geo.json': { status: 404, body: '' },
    });
    const feed = createOnlineIntensityFeed({ ...options, locate, live });
    await feed.settled();
    expect(feed.current()).toMatchObject({ source: 'world', intensityGPerKwh: 475 });
    expect(feed.current().provisional).toBeUndefined();
    expect(server.count(EM_PATH)).toBe(0);
    expect(lines.some((l) => l.includes('no coordinates or country are known'))).toBe(true);
  });
});
