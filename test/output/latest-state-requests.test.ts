import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log/logger.js';
import { LatestStateRequests, type SendRequest } from '../../src/output/latest-state-requests.js';
import { FailureTracker } from '../../src/output/prometheus/failure-tracker.js';

const LIMIT_MS = 50;

function requests() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  const health = new FailureTracker(logger, 'Sending');
  return { requests: new LatestStateRequests({ limitMs: LIMIT_MS, health }), lines };
}

/** Requests that never get an answer; `aborted` counts those whose signal fired. */
function silentServer() {
  const sent: string[] = [];
  let aborted = 0;
  const send =
    (name: string): SendRequest =>
    (signal) => {
      sent.push(name);
      signal.addEventListener('abort', () => {
        aborted += 1;
      });
      return new Promise(() => {});
    };
  return { send, sent, aborted: () => aborted };
}

describe('LatestStateRequests', () => {
  it('ends a request that gets no answer at the limit and reports it once', async () => {
    const { requests: slot, lines } = requests();
    const server = silentServer();

    await slot.final(server.send('a'), true);

    expect(lines).toEqual([
      'warn: Sending failed (no complete answer within 0.05 s); tracking continues and the next output retries.',
    ]);
    expect(server.aborted()).toBe(1);
  });

  it('sends periodic calls that come while one is in flight once, after it', async () => {
    const { requests: slot } = requests();
    const server = silentServer();

    const first = slot.periodic(server.send('p1'));
    const waiting = [slot.periodic(server.send('p2')), slot.periodic(server.send('p3'))];
    await Promise.all([first, ...waiting]);

    // The calls that waited settle with the request in flight; the latest is sent after it.
    expect(server.sent).toEqual(['p1', 'p3']);
    await slot.settled();
    expect(server.sent).toEqual(['p1', 'p3']);
  });

  it('sends a final request at once, aborting one in flight silently when it supersedes', async () => {
    const { requests: slot, lines } = requests();
    const server = silentServer();
    void slot.periodic(server.send('p1'));
    void slot.periodic(server.send('p2'));
    await new Promise(setImmediate); // p1 is in flight
    expect(server.sent).toEqual(['p1']);

    await slot.final(server.send('f'), true);
    await slot.settled();

    expect(server.sent).toEqual(['p1', 'f']);
    expect(server.aborted()).toBe(2);
    expect(lines).toHaveLength(1); // the final request's timeout only
  });

  it('lets a request in flight run beside a final one that does not supersede', async () => {
    const { requests: slot, lines } = requests();
    const server = silentServer();
    void slot.periodic(server.send('p1'));
    void slot.periodic(server.send('p2'));

    await slot.final(server.send('f'), false);
    await slot.settled();

    expect(server.sent).toEqual(['p1', 'f']);
    expect(lines).toEqual([
      expect.stringMatching(/^warn: Sending failed/),
      expect.stringMatching(/^debug: Sending failed again/),
    ]);
  });

  it('settles at the limit even when the request ignores its signal', async () => {
    const { requests: slot, lines } = requests();

    await slot.final(() => new Promise(() => {}), false);

    expect(lines).toEqual([expect.stringMatching(/no complete answer within 0\.05 s/)]);
  });

  it('reports a recovery and a rejection with its reason', async () => {
    const { requests: slot, lines } = requests();

    await slot.final(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')), true);
    await slot.final(() => Promise.resolve(), true);

    expect(lines).toEqual([
      expect.stringMatching(/^warn: Sending failed \(connect ECONNREFUSED 127\.0\.0\.1:9\)/),
      'info: Sending works again.',
    ]);
  });

  it('never sends a request superseded before it started', async () => {
    const { requests: slot, lines } = requests();
    const server = silentServer();
    void slot.periodic(server.send('p1'));

    await slot.final(server.send('f'), true);

    expect(server.sent).toEqual(['f']);
    expect(lines).toHaveLength(1);
  });

  it('drops the waiting periodic call when told to, and sends nothing more', async () => {
    const { requests: slot } = requests();
    const server = silentServer();
    void slot.periodic(server.send('p1'));
    void slot.periodic(server.send('p2'));

    slot.dropFollowUp();
    await slot.settled();

    expect(server.sent).toEqual(['p1']);
  });
});
