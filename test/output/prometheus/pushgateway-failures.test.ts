import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/log/logger.js';
import { loadPromClient } from '../../../src/output/prometheus/load-prom-client.js';
import { PushgatewayOutput } from '../../../src/output/prometheus/pushgateway-output.js';
import { makeRecord } from '../record-fixture.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A gateway on 127.0.0.1 that answers every request with `answer`. */
async function gateway(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => answer(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function output(url: string) {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
  const pushgateway = new PushgatewayOutput(loadPromClient(), {
    url,
    authorization: undefined,
    job: 'codecarbon_base',
    grouping: { instance: 'test-host' },
    deleteOnExit: true,
    logger,
    timeoutMs: 500,
  });
  return { pushgateway, lines };
}

describe('PushgatewayOutput when the gateway misbehaves', () => {
  it('an answer cut off in its body ends the push (prom-client alone waited for ever, and so did stop())', async () => {
    // Input found by test/robustness/server-faults.test.ts: 200 with content-length 4096,
    // 7 bytes of body, then a TCP reset.
    const url = await gateway((request, response) => {
      response.writeHead(200, { 'content-length': '4096' });
      response.write('{"id":"', () => setImmediate(() => request.socket.resetAndDestroy()));
    });
    const { pushgateway, lines } = output(url);
    const record = makeRecord();

    await pushgateway.out(record, record);
    await pushgateway.exit();

    const warnings = lines.filter((line) => line.startsWith('warn:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/failed \(no complete answer within 0\.5 s\)/);
    expect(
      lines.filter((line) => line.startsWith('debug:') && line.includes('failed again')),
    ).toHaveLength(1); // the DELETE at exit
  });

  it("a 500 HTML page is logged as its status and title, with what to check, not as the page's HTML", async () => {
    const url = await gateway((_request, response) => {
      response
        .writeHead(500, { 'content-type': 'text/html' })
        .end(
          '<html><head><title>500 Internal Server Error</title></head><body><h1>500</h1></body></html>',
        );
    });
    const { pushgateway, lines } = output(url);
    const record = makeRecord();

    await pushgateway.out(record, record);

    expect(lines).toEqual([
      `warn: Pushing metrics to ${url}/metrics/job/codecarbon_base/instance/test-host failed ` +
        '(push failed with status 500: 500 Internal Server Error); tracking continues and the ' +
        'next output retries. If it persists, check prometheus_url and that the pushgateway is running.',
    ]);
  });
});
