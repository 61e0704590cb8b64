import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpEndpointOutput } from '../../../src/output/http/http-endpoint-output.js';
import { CSV_COLUMNS } from '../../../src/records/emissions-data.js';
import { OfflineEmissionsTracker } from '../../../src/tracker/offline-emissions-tracker.js';
import { waitFor } from '../../helpers/cli.js';
import { ConstantFakeSensor, ManualClock } from '../../helpers/fakes.js';
import { captureLogger, tempDir } from '../api/api-test-helpers.js';
import { makeRecord } from '../record-fixture.js';
import { RecordingServer } from './recording-server.js';

let endpoint: RecordingServer;
beforeEach(async () => {
  endpoint = await RecordingServer.start();
});
afterEach(() => endpoint.down());

function output(dir: string, url = endpoint.url, finalAttemptMs = 2_000) {
  const { logger, lines } = captureLogger();
  const http = new HttpEndpointOutput({
    url,
    outputDir: dir,
    logger,
    finalAttemptMs,
    backoff: { initialMs: 20, maxMs: 100 },
  });
  return { http, lines };
}

const spools = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.codecarbon-http'));

describe('HttpEndpointOutput', () => {
  it('POSTs the total record as valid JSON: every snake_case field (null when missing), provenance and user', async () => {
    const { http } = output(tempDir());
    const total = makeRecord({ region: undefined, latitude: Number.NaN, emissions: 1.5e-6 });

    await http.out(total, makeRecord({ emissions: 1e-9 }));
    await http.exit();

    const [sent] = endpoint.received;
    expect(sent?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(sent?.text as string) as Record<string, unknown>;
    expect(Object.keys(body).slice(0, 38)).toEqual([...CSV_COLUMNS]);
    expect(body).toMatchObject({
      emissions: 1.5e-6,
      region: null,
      latitude: null,
      run_id: total.runId,
      cpu_method: 'tdp-load-model',
      carbon_intensity_source: 'country',
      user: expect.any(String),
    });
    expect(sent?.text).not.toMatch(/NaN/);
  });

  it('endpoint down: records wait in the spool and arrive once, in order, when it is back', async () => {
    const dir = tempDir();
    const { http, lines } = output(dir);
    await endpoint.down();

    await http.out(makeRecord({ emissions: 1 }), makeRecord());
    expect(spools(dir)).toHaveLength(1);
    await endpoint.up();
    await http.out(makeRecord({ emissions: 2 }), makeRecord());
    await http.exit();

    expect(endpoint.stored.map((r) => r.emissions)).toEqual([1, 2]);
    expect(endpoint.replays).toBe(0);
    expect(lines.filter((l) => l.startsWith('warn:'))).toHaveLength(1);
    expect(spools(dir)).toEqual([]);
  });

  it('retries a 503 HTML page; keeps a 400-rejected record in codecarbon-http-rejected.jsonl', async () => {
    const dir = tempDir();
    const { http, lines } = output(dir);
    endpoint.canned.push({ status: 503, body: '<html><title>Maintenance</title></html>' });

    http.out(makeRecord({ emissions: 1 }), makeRecord());
    await waitFor(() => endpoint.stored.length === 1);
    endpoint.canned.push({ status: 400, body: 'bad record', contentType: 'text/plain' });
    await http.out(makeRecord({ emissions: 2 }), makeRecord());
    await http.out(makeRecord({ emissions: 3 }), makeRecord());
    await http.exit();

    expect(endpoint.stored.map((r) => r.emissions)).toEqual([1, 3]);
    expect(lines.some((l) => l.includes('HTTP 503 Service Unavailable: Maintenance'))).toBe(true);
    const kept = JSON.parse(readFileSync(join(dir, 'codecarbon-http-rejected.jsonl'), 'utf8'));
    expect(kept).toMatchObject({
      answer: 'HTTP 400 Bad Request: bad record',
      sent: { emissions: 2 },
    });
  });

  it('credentials in the URL become a Basic authorization header and never appear in logs', async () => {
    const withCredentials = endpoint.url.replace('http://', 'http://me:s3cr3t@');
    const { http, lines } = output(tempDir(), withCredentials);

    await http.out(makeRecord(), makeRecord());
    await http.exit();

    const expected = `Basic ${Buffer.from('me:s3cr3t').toString('base64')}`;
    expect(endpoint.received[0]?.headers.authorization).toBe(expected);
    expect(http.url).toBe(endpoint.url);
    expect(lines.join('\n')).not.toContain('s3cr3t');
  });

  it('stop with the endpoint down: one bounded attempt, then one message naming the spool', async () => {
    const dir = tempDir();
    const { http, lines } = output(dir, endpoint.url, 300);
    await endpoint.down();

    await http.out(makeRecord(), makeRecord());
    await http.exit();

    const [spool] = spools(dir);
    const message = lines.filter((l) => l.includes('could not be sent'));
    expect(message).toHaveLength(1);
    expect(message[0]).toContain(join(dir, spool as string));
    expect(message[0]).toContain('emissions_endpoint');
  });
});

describe('emissions_endpoint on a tracker', () => {
  it('receives the total record on flush and stop, not at periodic outputs', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const tracker = new OfflineEmissionsTracker(
      {
        countryIsoCode: 'FRA',
        emissionsEndpoint: endpoint.url,
        saveToFile: false,
        outputDir: dir,
        logger: captureLogger().logger,
        installExitHandlers: false,
        measurePowerSecs: 0.05,
        apiCallInterval: 1,
      },
      {
        env: {},
        cwd: dir,
        homeDir: dir,
        sensors: [new ConstantFakeSensor('cpu', 36)],
        clock: clock.read,
      },
    );

    tracker.start();
    clock.advance(100);
    await tracker.flush();
    await new Promise((resolve) => setTimeout(resolve, 200)); // several periodic outputs
    clock.advance(100);
    await tracker.stop();

    expect(endpoint.stored.map((r) => r.duration)).toEqual([100, 200]);
    expect(endpoint.stored.map((r) => r.energy_consumed)).toEqual([0.001, 0.002]);
    expect(endpoint.stored[1]?.run_id).toBe(tracker.runId);
  });
});
