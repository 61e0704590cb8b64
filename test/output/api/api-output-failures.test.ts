import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSpool } from '../../../src/output/api/spool-file.js';
import { waitFor } from '../../helpers/cli.js';
import {
  API_KEY,
  captureLogger,
  delta,
  makeOutput,
  readText,
  spools,
  tempDir,
} from './api-test-helpers.js';
import { FakeCodeCarbonApi, htmlPage } from './fake-codecarbon-api.js';

let fake: FakeCodeCarbonApi;
beforeEach(async () => {
  fake = await FakeCodeCarbonApi.start();
});
afterEach(() => fake.down());

const energies = () => fake.emissions.map((e) => e.body.energy_consumed);
const kwh = (seconds: number) => (15 * seconds) / 3_600_000;

describe('CodeCarbonApiOutput when the server fails', () => {
  it('server down: deltas wait in the spool, in order, and arrive exactly once when it is back', async () => {
    const { logger, lines } = captureLogger();
    const dir = tempDir();
    const output = makeOutput(fake, dir, logger);
    await fake.down();

    for (const [i, seconds] of [2, 3, 4].entries()) {
      output.liveOut(delta(seconds, i * 5), delta(seconds, i * 5));
    }
    await waitFor(() => lines.some((l) => l.startsWith('warn: Could not send')));
    const [spool] = spools(dir);
    expect(readSpool(`${dir}/${spool}`)?.pending.map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(readText(dir, spool as string)).not.toContain(API_KEY);

    await fake.up();
    await waitFor(() => fake.emissions.length === 3);

    expect(energies()).toEqual([kwh(2), kwh(3), kwh(4)]);
    expect(fake.runs.size).toBe(1);
    expect(fake.replays).toBe(0);
    expect(lines.filter((l) => l.startsWith('warn:'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('answers again'))).toBe(true);
    await waitFor(() => spools(dir).length === 0);
  });

  it('5xx HTML pages are retried with backoff; the log names the status and title, not the HTML', async () => {
    const { logger, lines } = captureLogger();
    const output = makeOutput(fake, tempDir(), logger);
    fake.canned.push(htmlPage(502, '502 Bad Gateway'), htmlPage(503, 'Service Unavailable'));

    output.liveOut(delta(2, 2), delta(2, 2));
    await waitFor(() => fake.emissions.length === 1);

    expect(fake.requests.map((r) => r.path)).toEqual(['/runs', '/runs', '/runs', '/emissions']);
    const warning = lines.find((l) => l.startsWith('warn:')) as string;
    expect(warning).toMatch(/HTTP 502 Bad Gateway: 502 Bad Gateway/);
    expect(lines.join('\n')).not.toMatch(/<html|<h1>/i);
  });

  it('an answer slower than the timeout: the retry reuses the Idempotency-Key and the delta is stored once', async () => {
    const output = makeOutput(fake, tempDir(), captureLogger().logger, { requestTimeoutMs: 150 });
    fake.delayMs = 600;
    fake.slowRequests = 2; // the run creation and the first emission answer too late

    output.liveOut(delta(2, 2), delta(2, 2));
    output.liveOut(delta(3, 5), delta(3, 5));
    await waitFor(() => fake.emissions.length === 2 && fake.replays >= 1);

    expect(fake.runs.size).toBe(1);
    expect(energies()).toEqual([kwh(2), kwh(3)]);
    const keys = fake.requests.map((r) => `${r.path} ${r.headers['idempotency-key']}`);
    expect(new Set(keys).size).toBe(3); // one run, two deltas, whatever the retries
  });

  it('a flush that runs out of time leaves the rest to the background; everything arrives in order', async () => {
    const output = makeOutput(fake, tempDir(), captureLogger().logger, { finalAttemptMs: 150 });
    fake.delayMs = 300;

    output.liveOut(delta(2, 2), delta(2, 2));
    output.liveOut(delta(3, 5), delta(3, 5));
    await output.out(delta(4, 9), delta(4, 9));
    expect(fake.emissions.length).toBeLessThan(3);
    await waitFor(() => fake.emissions.length === 3);

    expect(energies()).toEqual([kwh(2), kwh(3), kwh(4)]);
    expect(fake.replays).toBe(0);
  });

  it('a rejected delta (422) is kept in codecarbon-api-rejected.jsonl with the answer; later deltas still go', async () => {
    const { logger, lines } = captureLogger();
    const dir = tempDir();
    const output = makeOutput(fake, dir, logger);

    await output.out(delta(2, 2), delta(2, 2));
    fake.canned.push({ status: 422, body: '{"detail":"duration out of range"}' });
    await output.out(delta(3, 5), delta(3, 5));
    await output.out(delta(4, 9), delta(4, 9));
    await output.exit();

    expect(energies()).toEqual([kwh(2), kwh(4)]);
    const [kept] = readText(dir, 'codecarbon-api-rejected.jsonl').trim().split('\n');
    expect(JSON.parse(kept as string)).toMatchObject({
      answer: expect.stringContaining('HTTP 422'),
      sent: { energy_consumed: kwh(3), duration: 3 },
    });
    expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
    expect(spools(dir)).toEqual([]);
  });

  it('401: sending stops, deltas stay in the spool, the message says to check api_key and never shows it', async () => {
    const { logger, lines } = captureLogger();
    const dir = tempDir();
    fake.apiKey = 'the-right-key';
    const output = makeOutput(fake, dir, logger);

    output.liveOut(delta(2, 2), delta(2, 2));
    await output.out(delta(3, 5), delta(3, 5));
    await output.exit();

    expect(fake.requests).toHaveLength(1);
    expect(fake.emissions).toEqual([]);
    expect(lines.find((l) => l.startsWith('error:'))).toMatch(/HTTP 401.*check api_key/);
    expect(lines.join('\n')).not.toContain(API_KEY);
    const [spool] = spools(dir);
    expect(readSpool(`${dir}/${spool}`)?.pending).toHaveLength(2);
  });

  it('stop with the server down: one bounded attempt, then one message naming the spool', async () => {
    const { logger, lines } = captureLogger();
    const dir = tempDir();
    const output = makeOutput(fake, dir, logger, { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await fake.down();

    output.liveOut(delta(2, 2), delta(2, 2));
    await output.out(delta(3, 5), delta(3, 5));
    await output.exit();

    const [spool] = spools(dir);
    const final = lines.filter((l) => l.includes('could not be sent'));
    expect(final).toHaveLength(1);
    expect(final[0]).toContain(`${dir}/${spool}`);
    expect(final[0]).toMatch(/^warn: 2 delta\(s\) could not be sent .*ECONNREFUSED/);
    expect(readSpool(`${dir}/${spool}`)?.pending).toHaveLength(2);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
