/**
 * Issue 11, servers: every network client of the tracker against a server that is slow,
 * refuses, resets connections, answers garbage or fails with a 500 page. Each case drives a
 * real tracker through start → flush → stop against the faulty server, then lets the same
 * URL turn healthy and runs a second tracker in the same directory: what was kept must arrive
 * exactly once, and the lookups must work again.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrackerOptions } from '../../src/config/options.js';
import type { Logger } from '../../src/log/logger.js';
import { readSpool } from '../../src/output/api/spool-file.js';
import type { EmissionsData } from '../../src/records/emissions-data.js';
import { EmissionsTracker, type TrackerContext } from '../../src/tracker/emissions-tracker.js';
import { OfflineEmissionsTracker } from '../../src/tracker/offline-emissions-tracker.js';
import { ConstantFakeSensor, ManualClock } from '../helpers/fakes.js';
import { GEOJS_PARIS, startFakeServer } from '../location/fake-server.js';
import { tempDir } from '../location/temp-dir.js';
import { FakeCodeCarbonApi } from '../output/api/fake-codecarbon-api.js';
import { RecordingServer } from '../output/http/recording-server.js';
import { startReceiver } from '../output/otlp/otlp-receiver.js';
import {
  FAULT_DESCRIPTIONS,
  FAULT_MODES,
  type FaultMode,
  FaultServer,
  startRecorder,
} from './fault-server.js';

/**
 * The tracker has no option for its clients' timeouts (API and HTTP endpoint 10 s, pushgateway
 * 5 s, geolocation 1 s per attempt, Electricity Maps 3 s). The classes take one, so the
 * factories' calls are wrapped to pass a short one during the faulty phase; OTLP reads
 * OTEL_EXPORTER_OTLP_TIMEOUT and needs no wrapping.
 */
const clientTimeout = vi.hoisted(() => ({ ms: 300 }));
const FAULT_PHASE_TIMEOUT_MS = 300;
const HEALTHY_PHASE_TIMEOUT_MS = 10_000;
/** How long `slow` waits before answering: well past the client's timeout. */
const SLOW_MS = 1_500;

vi.mock('../../src/output/api/api-output.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/output/api/api-output.js')>();
  class ApiOutput extends actual.CodeCarbonApiOutput {
    constructor(options: ConstructorParameters<typeof actual.CodeCarbonApiOutput>[0]) {
      super({ requestTimeoutMs: clientTimeout.ms, ...options });
    }
  }
  return { ...actual, CodeCarbonApiOutput: ApiOutput };
});
vi.mock('../../src/output/http/http-endpoint-output.js', async (importOriginal) => {
  const actual =
    await importOriginal<typeof import('../../src/output/http/http-endpoint-output.js')>();
  class HttpOutput extends actual.HttpEndpointOutput {
    constructor(options: ConstructorParameters<typeof actual.HttpEndpointOutput>[0]) {
      super({ requestTimeoutMs: clientTimeout.ms, ...options });
    }
  }
  return { ...actual, HttpEndpointOutput: HttpOutput };
});
vi.mock('../../src/output/prometheus/pushgateway-output.js', async (importOriginal) => {
  const actual =
    await importOriginal<typeof import('../../src/output/prometheus/pushgateway-output.js')>();
  type Args = ConstructorParameters<typeof actual.PushgatewayOutput>;
  class Pushgateway extends actual.PushgatewayOutput {
    constructor(prom: Args[0], options: Args[1]) {
      super(prom, { timeoutMs: clientTimeout.ms, ...options });
    }
  }
  return { ...actual, PushgatewayOutput: Pushgateway };
});
vi.mock('../../src/intensity/online-feed.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/intensity/online-feed.js')>();
  return {
    ...actual,
    createOnlineIntensityFeed: (options: Parameters<typeof actual.createOnlineIntensityFeed>[0]) =>
      actual.createOnlineIntensityFeed({
        ...options,
        ...(options.locate && {
          locate: { ...options.locate, geolocationTimeoutMs: clientTimeout.ms, retryDelayMs: 10 },
        }),
        ...(options.live && { live: { ...options.live, timeoutMs: clientTimeout.ms } }),
      }),
  };
});

const API_KEY = 'cc-fault-key-51d0';
const EM_TOKEN = 'em-fault-token-9c2e';
const EXPERIMENT = '11111111-2222-3333-4444-555555555555';
const FRANCE_G_PER_KWH = 56.039;
const EM_G_PER_KWH = 42;

const OUTCOMES = ['spooled', 'next-output', 'accepted', 'fallback'] as const;
type Outcome = (typeof OUTCOMES)[number];

/**
 * The matrix. `spooled`: logged once, the data waits in the spool and a later tracker
 * delivers it exactly once. `next-output`: logged once, the next output sends the latest
 * values again (nothing is queued, by design). `accepted`: a 2xx answer is success for this
 * protocol, so nothing is logged or kept. `fallback`: logged once, the record uses the tables
 * and its intensity source and detail say why. (`cut` resets the connection after a 200
 * status line: the OTLP exporter takes the status as success, while the API and HTTP
 * clients, which read the answer, send again.)
 */
const EXPECTED = matrix(`
  target           | slow        | trickle     | refuse      | reset       | cut         | garbage  | wrong-shape | http-500
  CodeCarbon API   | spooled     | spooled     | spooled     | spooled     | spooled     | spooled  | spooled     | spooled
  HTTP endpoint    | spooled     | spooled     | spooled     | spooled     | spooled     | accepted | accepted    | spooled
  pushgateway      | next-output | next-output | next-output | next-output | next-output | accepted | accepted    | next-output
  OTLP             | next-output | next-output | next-output | next-output | accepted    | accepted | accepted    | next-output
  geolocation      | fallback    | fallback    | fallback    | fallback    | fallback    | fallback | fallback    | fallback
  Electricity Maps | fallback    | fallback    | fallback    | fallback    | fallback    | fallback | fallback    | fallback
`);

/** Reads the table above; its columns must be the fault server's modes, in order. */
function matrix(text: string): { target: string; mode: FaultMode; outcome: Outcome }[] {
  const [header, ...rows] = text
    .trim()
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()));
  if (header?.slice(1).join() !== FAULT_MODES.join()) {
    throw new Error(`the matrix's columns must be ${FAULT_MODES.join(', ')}`);
  }
  return rows.flatMap(([target, ...cells]) =>
    FAULT_MODES.map((mode, i) => {
      const outcome = cells[i] as Outcome;
      if (!OUTCOMES.includes(outcome)) throw new Error(`${target}, ${mode}: unknown "${outcome}"`);
      return { target: target as string, mode, outcome };
    }),
  );
}

/** One tracker run as the test saw it. */
interface Phase {
  tracker: EmissionsTracker;
  record: EmissionsData;
  lines: string[];
}

/** A well-behaved server for one client, and what the test needs to know about it. */
interface Upstream {
  url: string;
  close(): Promise<void>;
}

interface Target<U extends Upstream = Upstream> {
  startUpstream(): Promise<U>;
  /** Options pointing the tracker at `url` (the fault server's base URL). */
  options(url: string): TrackerOptions;
  /** Environment variables for the tracker (OTEL_*). */
  env?(timeoutMs: number): Record<string, string>;
  /** The online tracker (it looks its location up) instead of the offline one. */
  online?: boolean;
  /** The one warning or error that reports the failure. */
  failure: RegExp;
  /** What the user can do, in the failure line or in the line that follows it. */
  advice: RegExp;
  /** After the faulty run: what must have been kept, or how the record fell back. */
  afterFault(fault: Phase, dir: string, upstream: U): void;
  /** After the healthy run: the kept data arrived exactly once, the lookups work. */
  afterRecovery(
    fault: Phase,
    healthy: Phase,
    context: { dir: string; upstream: U; mode: FaultMode; outcome: Outcome },
  ): void;
}

const api: Target<Upstream & { fake: FakeCodeCarbonApi }> = {
  async startUpstream() {
    const fake = await FakeCodeCarbonApi.start();
    return { fake, url: fake.url, close: () => fake.down() };
  },
  options: (url) => ({
    saveToApi: true,
    apiEndpoint: url,
    apiKey: API_KEY,
    experimentId: EXPERIMENT,
    apiCallInterval: -1,
  }),
  failure: /^warn: Could not send to the CodeCarbon API at /,
  advice: /sent by the next tracker with the same api_endpoint, experiment_id and output_dir/,
  afterFault(fault, dir) {
    const [spool, ...others] = spoolFiles(dir, 'api');
    expect(others).toEqual([]);
    expect(readSpool(join(dir, spool as string))?.pending).toHaveLength(2);
    expect(readFileSync(join(dir, spool as string), 'utf8')).not.toContain(API_KEY);
    expect(fault.lines.join('\n')).not.toContain(API_KEY);
  },
  afterRecovery(fault, healthy, { dir, upstream, mode }) {
    const { fake } = upstream;
    expect(fake.invalid).toEqual([]);
    for (const phase of [fault, healthy]) {
      const runs = [...fake.runs].filter(
        ([, run]) => run.key === `codecarbon-${phase.tracker.runId}-run`,
      );
      expect(runs).toHaveLength(1);
      const sent = fake.emissionsOf((runs[0] as [string, unknown])[0]);
      expect(sent.map((e) => e.duration)).toEqual([30, 30]);
      const kwh = sent.reduce((sum, e) => sum + (e.energy_consumed as number), 0);
      expect(kwh / phase.record.energyConsumed).toBeCloseTo(1, 12);
    }
    const keys = fake.emissions.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    // Only an answer lost after the server stored the request (slow) may cause a resend.
    if (mode !== 'slow') expect(fake.replays).toBe(0);
    expect(spoolFiles(dir, 'api')).toEqual([]);
  },
};

const httpEndpoint: Target<Upstream & { recording: RecordingServer }> = {
  async startUpstream() {
    const recording = await RecordingServer.start();
    return {
      recording,
      url: new URL(recording.url).origin,
      close: () => recording.down(),
    };
  },
  options: (url) => ({ emissionsEndpoint: `${url}/emissions` }),
  failure: /^warn: Could not send to the emissions endpoint http:\/\/127\.0\.0\.1:\d+\/emissions /,
  advice: /sent by the next tracker with the same emissions_endpoint and output_dir/,
  afterFault(_fault, dir) {
    const spools = spoolFiles(dir, 'http');
    expect(spools.map((name) => readSpool(join(dir, name))?.pending.length)).toEqual(
      spools.length === 0 ? [] : [2],
    );
  },
  afterRecovery(fault, healthy, { dir, upstream, mode, outcome }) {
    const { recording } = upstream;
    const stored = (phase: Phase) =>
      recording.stored.filter((body) => body.run_id === phase.tracker.runId);
    // A 2xx is success: the faulty server "took" those records and they are not sent again.
    expect(stored(fault).map((body) => body.duration)).toEqual(
      outcome === 'accepted' ? [] : [30, 60],
    );
    expect(stored(healthy).map((body) => body.duration)).toEqual([30, 60]);
    if (mode !== 'slow') expect(recording.replays).toBe(0);
    expect(spoolFiles(dir, 'http')).toEqual([]);
  },
};

const pushgateway: Target<Upstream & { received: { method: string; body: string }[] }> = {
  startUpstream: startRecorder,
  options: (url) => ({ outputMethods: ['csv', 'prometheus'], prometheusUrl: url }),
  failure:
    /^warn: Pushing metrics to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/codecarbon_base\/instance\/.* failed/,
  advice: /check prometheus_url/,
  afterFault() {},
  afterRecovery(fault, healthy, { upstream, mode }) {
    const pushes = upstream.received.filter((r) => r.method === 'PUT');
    const ofRun = (phase: Phase) =>
      pushes.filter((r) => r.body.includes(`run_id="${phase.tracker.runId}"`));
    expect(ofRun(healthy)).toHaveLength(2);
    expect(ofRun(healthy)[1]?.body).toMatch(
      new RegExp(`codecarbon_energy_total\\{[^}]*\\} ${healthy.record.energyConsumed}`),
    );
    expect(upstream.received.some((request) => request.method === 'DELETE')).toBe(true);
    // Only the slow server forwards anything of the faulty run, and only after giving up.
    if (mode !== 'slow') expect(ofRun(fault)).toEqual([]);
  },
};

const otlp: Target<Awaited<ReturnType<typeof startReceiver>>> = {
  startUpstream: startReceiver,
  options: (url) => ({ otlpEndpoint: url }),
  env: (timeoutMs) => ({ OTEL_EXPORTER_OTLP_TIMEOUT: String(timeoutMs) }),
  failure: /^warn: Sending OTLP metrics to http:\/\/127\.0\.0\.1:\d+\/v1\/metrics failed/,
  advice: /check otlp_endpoint/,
  afterFault() {},
  afterRecovery(_fault, healthy, { upstream }) {
    const ofRun = upstream.received.filter((received) =>
      received.points.some((point) => point.attributes.run_id === healthy.tracker.runId),
    );
    expect(ofRun).toHaveLength(2);
    const energy = ofRun[1]?.points.find((point) => point.name === 'codecarbon_energy_consumed');
    expect((energy?.value as number) / healthy.record.energyConsumed).toBeCloseTo(1, 9);
  },
};

const geolocation: Target = {
  async startUpstream() {
    const server = await startFakeServer({ '/geo.json': { body: GEOJS_PARIS } });
    return { url: server.url, close: async () => {} }; // closed by fake-server's afterEach
  },
  online: true,
  options: (url) => ({ geolocationUrl: `${url}/geo.json`, cloudDetection: false }),
  failure: /^warn: Could not locate this machine \(IP geolocation failed: /,
  advice: /Set country_iso_code \(and region\) to use your grid/,
  afterFault(fault) {
    expect(fault.record).toMatchObject({ carbonIntensitySource: 'world', carbonIntensity: 475 });
    expect(fault.record.countryIsoCode).toBeUndefined();
    expect(fault.record.carbonIntensityDetail).toMatch(
      /^location unknown \(IP geolocation failed: /,
    );
  },
  afterRecovery(_fault, healthy) {
    expect(healthy.record).toMatchObject({
      countryIsoCode: 'FRA',
      carbonIntensitySource: 'country',
      carbonIntensity: FRANCE_G_PER_KWH,
    });
    expect(healthy.record.carbonIntensityDetail).toMatch(/located by IP geolocation: /);
  },
};

const electricityMaps: Target = {
  async startUpstream() {
    const server = await startFakeServer({
      '/em/carbon-intensity/latest': {
        body: { zone: 'FR', carbonIntensity: EM_G_PER_KWH, datetime: '2026-01-15T10:00:00.000Z' },
      },
    });
    return { url: server.url, close: async () => {} };
  },
  options: (url) => ({
    countryIsoCode: 'FRA',
    electricitymapsApiToken: EM_TOKEN,
    electricitymapsUrl: `${url}/em`,
  }),
  failure: /^warn: Electricity Maps live intensity unavailable \(/,
  advice: /check electricitymaps_url/,
  afterFault(fault) {
    expect(fault.record).toMatchObject({
      carbonIntensitySource: 'country',
      carbonIntensity: FRANCE_G_PER_KWH,
    });
    expect(fault.record.carbonIntensityDetail).toMatch(/\(Electricity Maps failed: /);
    expect(fault.lines.join('\n')).not.toContain(EM_TOKEN);
  },
  afterRecovery(_fault, healthy) {
    expect(healthy.record).toMatchObject({
      carbonIntensitySource: 'live',
      carbonIntensity: EM_G_PER_KWH,
    });
    expect(healthy.lines.join('\n')).not.toContain(EM_TOKEN);
  },
};

const TARGETS: Record<string, Target> = {
  'CodeCarbon API': api,
  'HTTP endpoint': httpEndpoint,
  pushgateway,
  OTLP: otlp,
  geolocation,
  'Electricity Maps': electricityMaps,
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  clientTimeout.ms = FAULT_PHASE_TIMEOUT_MS;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the tracker against faulty servers', () => {
  it.each(EXPECTED)('$target, server $mode: $outcome', async ({ target: name, mode, outcome }) => {
    const target = TARGETS[name] as Target;
    const upstream = await target.startUpstream();
    cleanups.push(() => upstream.close());
    const server = await FaultServer.start(upstream.url, { slowMs: SLOW_MS });
    cleanups.push(() => server.close());
    const dir = tempDir('cc-faults-');
    const clock = new ManualClock();
    await server.setMode(mode);

    // The faulty run: nothing throws, stop() resolves, the CSV rows are written.
    clientTimeout.ms = FAULT_PHASE_TIMEOUT_MS;
    const fault = await runTracker(target, server.url, dir, clock);
    const hits = server.hits.get(mode) ?? 0;
    if (mode === 'refuse') expect(hits, FAULT_DESCRIPTIONS[mode]).toBe(0);
    else expect(hits, FAULT_DESCRIPTIONS[mode]).toBeGreaterThan(0);
    const rows = csvRows(dir);
    expect(rows.map((row) => row.run_id)).toEqual([fault.tracker.runId, fault.tracker.runId]);
    expect(Number(rows[1]?.emissions) / fault.record.emissions).toBeCloseTo(1, 9);
    expect(Number(rows[1]?.energy_consumed)).toBeCloseTo((40 * 60) / 3_600_000, 15);
    expect(fault.lines.join('\n')).not.toMatch(/<html|<title|<h1/i);

    const problems = fault.lines.filter((line) => /^(warn|error):/.test(line));
    expect(new Set(problems).size, 'no warning is repeated').toBe(problems.length);
    const failures = problems.filter((line) => target.failure.test(line));
    if (outcome === 'accepted') {
      expect(problems).toEqual([]);
    } else {
      expect(failures).toHaveLength(1);
      expect(problems.some((line) => target.advice.test(line))).toBe(true);
    }
    target.afterFault(fault, dir, upstream);

    // The same URL answers properly again; a second tracker in the same directory.
    await server.setMode('healthy');
    clientTimeout.ms = HEALTHY_PHASE_TIMEOUT_MS;
    clock.advance(3_600); // past every cache period of the failed lookups
    const healthy = await runTracker(target, server.url, dir, clock);
    expect(healthy.lines.filter((line) => /^(warn|error):/.test(line))).toEqual([]);
    expect(csvRows(dir).map((row) => row.run_id)).toEqual([
      fault.tracker.runId,
      fault.tracker.runId,
      healthy.tracker.runId,
      healthy.tracker.runId,
    ]);
    target.afterRecovery(fault, healthy, { dir, upstream, mode, outcome });
  });
});

/** start → 30 s → flush → 30 s → stop, with fake 30 W CPU and 10 W RAM sensors. */
async function runTracker(
  target: Target,
  url: string,
  dir: string,
  clock: ManualClock,
): Promise<Phase> {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  const options: TrackerOptions = {
    outputDir: dir,
    logger,
    installExitHandlers: false,
    allowMultipleRuns: true,
    locationCacheSecs: 0,
    locationCacheDir: join(dir, 'location-cache'),
    ...target.options(url),
  };
  const context: TrackerContext = {
    env: target.env?.(clientTimeout.ms) ?? {},
    cwd: dir,
    homeDir: dir,
    lockDir: dir,
    sensors: [new ConstantFakeSensor('cpu', 30), new ConstantFakeSensor('ram', 10)],
    clock: clock.read,
  };
  const tracker = target.online
    ? new EmissionsTracker(options, context)
    : new OfflineEmissionsTracker({ countryIsoCode: 'FRA', ...options }, context);

  expect(() => tracker.start()).not.toThrow();
  clock.advance(30);
  await expect(tracker.flush()).resolves.toBeGreaterThan(0);
  clock.advance(30);
  await expect(tracker.stop()).resolves.toBeGreaterThan(0);
  return { tracker, record: tracker.finalEmissionsData as EmissionsData, lines };
}

/** The rows of the CSV file, in order. */
function csvRows(dir: string): Record<string, string>[] {
  return parse(readFileSync(join(dir, 'emissions.csv'), 'utf8'), { columns: true });
}

function spoolFiles(dir: string, kind: 'api' | 'http'): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(`.codecarbon-${kind}-spool.`));
}
