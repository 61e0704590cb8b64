import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TrackerOptions } from '../../src/config/options.js';
import { clearLiveIntensityCache } from '../../src/intensity/live/live-cache.js';
import type { Logger } from '../../src/log/logger.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import { EmissionsTracker, type TrackerContext } from '../../src/tracker/emissions-tracker.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { ConstantFakeSensor, ManualClock } from '../helpers/fakes.js';
import {
  GEOJS_CHICAGO,
  GEOJS_PARIS,
  type Route,
  startFakeServer,
} from '../location/fake-server.js';
import { tempDir } from '../location/temp-dir.js';

const TOKEN = 'em-token-3f9a-never-logged';
const EM_PATH = '/em/carbon-intensity/latest';
const GEO_PATH = '/geo.json';
const METADATA_PATHS = [
  '/latest/api/token',
  '/computeMetadata/v1/instance/zone',
  '/metadata/instance/compute',
];

beforeEach(() => clearLiveIntensityCache());

/** A fake internet on 127.0.0.1 and trackers pointed at it, each in its own directory. */
async function world(routes: Record<string, Route>) {
  const server = await startFakeServer(routes);
  const dir = tempDir('cc-online-');
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  const clock = new ManualClock();
  const options: TrackerOptions = {
    outputDir: dir,
    logger,
    installExitHandlers: false,
    allowMultipleRuns: true,
    geolocationUrl: `${server.url}${GEO_PATH}`,
    cloudMetadataUrl: server.url,
    electricitymapsUrl: `${server.url}/em`,
    locationCacheDir: join(dir, 'cache'),
  };
  const context = (): TrackerContext => ({
    env: {},
    cwd: dir,
    homeDir: dir,
    lockDir: dir,
    sensors: [new ConstantFakeSensor('cpu', 40)],
    clock: clock.read,
  });
  const online = (extra: TrackerOptions = {}, env: Record<string, string> = {}) =>
    new EmissionsTracker({ ...options, ...extra }, { ...context(), env });
  const offline = (extra: TrackerOptions = {}) =>
    new OfflineEmissionsTracker({ ...options, ...extra }, context());
  const rows = () =>
    parse(readFileSync(join(dir, 'emissions.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
  const metadataRequests = () => METADATA_PATHS.reduce((n, path) => n + server.count(path), 0);
  return { server, dir, lines, clock, online, offline, rows, metadataRequests };
}

async function run(
  tracker: EmissionsTracker,
  clock: ManualClock,
  seconds = 60,
): Promise<EmissionsData> {
  tracker.start();
  clock.advance(seconds);
  await tracker.stop();
  return tracker.finalEmissionsData as EmissionsData;
}

describe('EmissionsTracker online: location', () => {
  it('start() returns before the location request is even sent; the record waits for the answer', async () => {
    const { server, online, clock, rows } = await world({
      [GEO_PATH]: { body: GEOJS_CHICAGO, delayMs: 30 },
    });
    const tracker = online();
    tracker.start();
    expect(server.requests).toHaveLength(0);
    expect(tracker.measurementDetails?.intensity).toMatchObject({ provisional: true });

    clock.advance(90);
    await tracker.stop();
    const record = tracker.finalEmissionsData as EmissionsData;
    expect(record).toMatchObject({
      countryIsoCode: 'USA',
      countryName: 'United States',
      region: 'illinois',
      latitude: 41.85,
      longitude: -87.65,
      onCloud: 'N',
      carbonIntensitySource: 'region',
    });
    const kwh = (40 * 90) / 3_600_000;
    expect(record.emissions).toBeCloseTo((kwh * record.carbonIntensity) / 1000, 15);
    expect(rows()[0]).toMatchObject({ country_iso_code: 'USA', region: 'illinois', on_cloud: 'N' });
  });

  it('with an unreachable location service, start() does not wait and records wait only lookup_wait_secs', async () => {
    const { server, online, clock } = await world({ [GEO_PATH]: { hang: true } });
    const tracker = online({ lookupWaitSecs: 0.05, countryIsoCode: 'FRA' });
    tracker.start();
    const sentBeforeStartReturned = server.requests.length;
    await server.waitForRequests(1);
    expect(sentBeforeStartReturned).toBe(0);

    clock.advance(30);
    await tracker.stop();
    const record = tracker.finalEmissionsData as EmissionsData;
    expect(record).toMatchObject({ countryIsoCode: 'FRA', carbonIntensity: 56.039 });
    expect(record.carbonIntensityDetail).toMatch(
      /^provisional while this machine is being located/,
    );
    expect(record.emissions).toBeGreaterThan(0);
  });

  it('a location service that fails gives the world average and an empty location, never Quebec', async () => {
    const { online, clock, rows, lines, server } = await world({
      [GEO_PATH]: { status: 500, body: '<html><body>Internal Server Error</body></html>' },
    });
    const record = await run(online(), clock);
    expect(record).toMatchObject({ carbonIntensity: 475, carbonIntensitySource: 'world' });
    expect(record.countryIsoCode).toBeUndefined();
    expect(record.countryName).toBeUndefined();
    expect(record.region).toBeUndefined();
    expect(record.carbonIntensityDetail).toMatch(
      /^location unknown \(IP geolocation failed: HTTP 500, then HTTP 500\)/,
    );
    expect(rows()[0]).toMatchObject({ country_name: '', country_iso_code: '', region: '' });
    expect(lines.filter((l) => l.includes('Could not locate this machine'))).toHaveLength(1);
    expect(server.count(GEO_PATH)).toBe(2);
  });

  it('a geolocation answer without a region gives the country figure', async () => {
    const { region: _none, ...noRegion } = GEOJS_CHICAGO;
    const { online, clock } = await world({ [GEO_PATH]: { body: noRegion } });
    const record = await run(online(), clock);
    expect(record).toMatchObject({
      countryIsoCode: 'USA',
      carbonIntensity: 369.473,
      carbonIntensitySource: 'country',
    });
    expect(record.region).toBeUndefined();
  });

  it('eight trackers starting at once share one lookup of the location and of the cloud', async () => {
    const { online, clock, server } = await world({
      [GEO_PATH]: { body: GEOJS_PARIS, delayMs: 50 },
      '/computeMetadata/v1/instance/zone': {
        body: 'projects/1/zones/europe-west9-b',
        headers: { 'Metadata-Flavor': 'Google' },
        delayMs: 50,
      },
    });
    const trackers = Array.from({ length: 8 }, () => online());
    for (const tracker of trackers) tracker.start();
    clock.advance(10);
    await Promise.all(trackers.map((tracker) => tracker.stop()));

    expect(server.count(GEO_PATH)).toBe(1);
    expect(server.count('/computeMetadata/v1/instance/zone')).toBe(1);
    for (const tracker of trackers) {
      expect(tracker.finalEmissionsData).toMatchObject({
        onCloud: 'Y',
        cloudProvider: 'gcp',
        cloudRegion: 'europe-west9',
        carbonIntensitySource: 'cloud',
      });
    }
  });
});

describe('EmissionsTracker online: cloud', () => {
  it('records carry on_cloud, provider and region for a detected AWS instance', async () => {
    const { online, clock, rows } = await world({
      [GEO_PATH]: { body: GEOJS_CHICAGO },
      'PUT /latest/api/token': { body: 'session-token' },
      '/latest/dynamic/instance-identity/document': { body: { region: 'eu-west-3' } },
    });
    const record = await run(online(), clock);
    expect(record).toMatchObject({
      onCloud: 'Y',
      cloudProvider: 'aws',
      cloudRegion: 'eu-west-3',
      countryIsoCode: 'FRA',
      carbonIntensitySource: 'cloud',
    });
    expect(record.latitude).toBeUndefined();
    expect(rows()[0]).toMatchObject({
      on_cloud: 'Y',
      cloud_provider: 'aws',
      cloud_region: 'eu-west-3',
    });
  });

  it('cloud_detection false sends nothing to the metadata address: option, environment or config file', async () => {
    const { online, clock, metadataRequests, dir } = await world({
      [GEO_PATH]: { body: GEOJS_PARIS },
    });
    await run(online({ cloudDetection: false }), clock);
    await run(
      online({ locationCacheDir: join(dir, 'cache-env') }, { CODECARBON_CLOUD_DETECTION: 'false' }),
      clock,
    );
    writeFileSync(join(dir, '.codecarbon.config'), '[codecarbon]\ncloud_detection = false\n');
    const fromFile = await run(online({ locationCacheDir: join(dir, 'cache-file') }), clock);
    expect(metadataRequests()).toBe(0);
    expect(fromFile).toMatchObject({ countryIsoCode: 'FRA', onCloud: 'N' });
  });

  it('warns once and uses the grid when cloud metadata answers oddly', async () => {
    const { online, clock, lines } = await world({
      [GEO_PATH]: { body: GEOJS_PARIS },
      '/metadata/instance/compute': { body: '<html>not azure</html>' },
    });
    const record = await run(online(), clock);
    expect(record).toMatchObject({ onCloud: 'N', countryIsoCode: 'FRA' });
    expect(lines.filter((l) => l.includes('answered unexpectedly'))).toHaveLength(1);
  });

  it('looks nothing up when a cloud region or a forced intensity is configured', async () => {
    const { online, clock, server } = await world({ [GEO_PATH]: { body: GEOJS_PARIS } });
    const cloud = await run(online({ cloudProvider: 'gcp', cloudRegion: 'us-central1' }), clock);
    const forced = await run(
      online({ forceCarbonIntensity: 50, electricitymapsApiToken: TOKEN }),
      clock,
    );
    expect(server.requests).toHaveLength(0);
    expect(cloud).toMatchObject({ cloudRegion: 'us-central1', carbonIntensitySource: 'cloud' });
    expect(forced).toMatchObject({ carbonIntensity: 50, carbonIntensitySource: 'forced' });
  });
});

describe('EmissionsTracker: live intensity', () => {
  it('uses Electricity Maps at the geolocated coordinates and says so in the record', async () => {
    const { online, clock, server, rows, lines, dir } = await world({
      [GEO_PATH]: { body: GEOJS_PARIS },
      [EM_PATH]: { body: { zone: 'FR', carbonIntensity: 42 } },
    });
    const tracker = online({ electricitymapsApiToken: TOKEN });
    const record = await run(tracker, clock, 90);
    expect(record).toMatchObject({
      carbonIntensity: 42,
      carbonIntensitySource: 'live',
      countryIsoCode: 'FRA',
    });
    expect(record.carbonIntensityDetail).toMatch(
      /^Electricity Maps live intensity, zone FR, fetched /,
    );
    expect(record.emissions).toBeCloseTo(((40 * 90) / 3_600_000) * 0.042, 15);
    expect(server.requests.find((r) => r.url.startsWith(EM_PATH))?.url).toBe(
      `${EM_PATH}?lat=48.8566&lon=2.3522`,
    );
    expect(rows()).toHaveLength(1);
    expect(readFileSync(join(dir, 'emissions.csv'), 'utf8')).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('falls back to the tables, logged once, when Electricity Maps fails', async () => {
    const { online, clock, lines } = await world({
      [GEO_PATH]: { body: GEOJS_PARIS },
      [EM_PATH]: { status: 503, body: '<html>maintenance</html>' },
    });
    const tracker = online({ electricitymapsApiToken: TOKEN });
    tracker.start();
    clock.advance(10);
    await tracker.flush();
    clock.advance(10);
    await tracker.stop();
    expect(tracker.finalEmissionsData).toMatchObject({
      carbonIntensity: 56.039,
      carbonIntensitySource: 'country',
    });
    expect(tracker.finalEmissionsData?.carbonIntensityDetail).toContain(
      'Electricity Maps failed: HTTP 503 (HTML body)',
    );
    expect(
      lines.filter((l) => l.includes('Electricity Maps live intensity unavailable')),
    ).toHaveLength(1);
  });

  it('the offline tracker never calls geolocation or cloud metadata; a token asks by country', async () => {
    const { offline, clock, server, metadataRequests } = await world({
      [GEO_PATH]: { body: GEOJS_CHICAGO },
      [EM_PATH]: { body: { carbonIntensity: 33 } },
    });
    const plain = await run(offline({ countryIsoCode: 'FRA' }), clock);
    expect(server.requests).toHaveLength(0);
    expect(plain.carbonIntensitySource).toBe('country');

    const live = await run(
      offline({ countryIsoCode: 'FRA', electricitymapsApiToken: TOKEN }),
      clock,
    );
    expect(server.count(GEO_PATH)).toBe(0);
    expect(metadataRequests()).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual([`${EM_PATH}?zone=FR`]);
    expect(live).toMatchObject({
      carbonIntensity: 33,
      carbonIntensitySource: 'live',
      countryIsoCode: 'FRA',
    });
  });

  it('accepts the old co2_signal_api_token name with a one-time deprecation note', async () => {
    const { offline, clock, server, lines } = await world({
      [EM_PATH]: { body: { carbonIntensity: 33 } },
    });
    const tracker = offline({ countryIsoCode: 'FRA', co2SignalApiToken: TOKEN });
    await run(tracker, clock);
    clearLiveIntensityCache();
    await run(tracker, clock);
    expect(server.requests.map((r) => r.headers['auth-token'])).toEqual([TOKEN, TOKEN]);
    expect(
      lines.filter((l) => l.includes('co2SignalApiToken') && l.includes('deprecated')),
    ).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});
