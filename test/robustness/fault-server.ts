/**
 * A misbehaving server on 127.0.0.1 in front of a well-behaved one. In `healthy` mode it
 * forwards every request to the upstream fake (the CodeCarbon API, a pushgateway, an OTLP
 * receiver, a geolocation or Electricity Maps service) and passes its answer back; in a fault
 * mode it fails the way real servers and networks do. The mode can change during a test: the
 * same URL turns healthy again, so a client's retry or resend can be checked.
 */

import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** The faults; `healthy` forwards to the upstream server. */
export const FAULT_MODES = [
  'slow',
  'trickle',
  'refuse',
  'reset',
  'cut',
  'garbage',
  'wrong-shape',
  'http-500',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** What each fault does, for test names and reports. */
export const FAULT_DESCRIPTIONS: Record<FaultMode, string> = {
  slow: 'answers only after the client timeout (the request still reaches the upstream)',
  trickle: 'sends 200 at once, then one byte of body every 100 ms, never ending',
  refuse: 'nothing listens on the port (connection refused)',
  reset: 'accepts the request, then resets the connection (TCP RST)',
  cut: 'sends 200 and part of the body, then resets the connection',
  garbage: '200 with a body that is not JSON',
  'wrong-shape': '200 with JSON of the wrong shape',
  'http-500': '500 with an HTML error page',
};

/** Truncated JSON: a parser that trusts a 200 chokes on it. */
export const GARBAGE_BODY = '{"id":"7f3a","carbonIntensity":12';
/** Valid JSON where every field a client could want has the wrong type. */
export const WRONG_SHAPE_BODY = JSON.stringify({
  id: 42,
  country_code3: 7,
  country: ['FR'],
  carbonIntensity: 'high',
  partialSuccess: 'none',
});
export const ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>' +
  '<body><h1>500 Internal Server Error</h1><hr><center>nginx</center></body></html>';

export class FaultServer {
  /** Requests that reached this server (refused connections never do), by mode. */
  readonly hits = new Map<FaultMode | 'healthy', number>();
  private currentMode: FaultMode | 'healthy' = 'healthy';
  private server: Server | undefined;
  private port = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    /** Base URL of the well-behaved server, e.g. `http://127.0.0.1:40123`. */
    private readonly upstream: string,
    /** How long `slow` waits before answering, ms: longer than the client's timeout. */
    private readonly slowMs: number,
  ) {}

  static async start(upstream: string, options: { slowMs: number }): Promise<FaultServer> {
    const server = new FaultServer(upstream, options.slowMs);
    await server.listen();
    return server;
  }

  /** `http://127.0.0.1:<port>`, the same in every mode. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get mode(): FaultMode | 'healthy' {
    return this.currentMode;
  }

  /** Switches mode; `refuse` stops listening, any other mode listens again on the same port. */
  async setMode(mode: FaultMode | 'healthy'): Promise<void> {
    this.currentMode = mode;
    if (mode === 'refuse') await this.stopListening();
    else if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.stopListening();
  }

  private listen(): Promise<void> {
    const server = createServer((request, response) => this.handle(request, response));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private stopListening(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const mode = this.currentMode;
    this.hits.set(mode, (this.hits.get(mode) ?? 0) + 1);
    if (mode === 'reset') {
      request.socket.resetAndDestroy();
      return;
    }
    void readBody(request).then((body) => {
      switch (mode) {
        case 'healthy':
          this.forward(request, body, response);
          return;
        case 'slow':
          this.later(() => this.forward(request, body, response));
          return;
        case 'trickle':
          response.writeHead(200, { 'content-type': 'application/json' });
          this.trickle(response);
          return;
        case 'cut':
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
          response.write('{"id":"', () => setImmediate(() => request.socket.resetAndDestroy()));
          return;
        case 'garbage':
          response.writeHead(200, { 'content-type': 'application/json' }).end(GARBAGE_BODY);
          return;
        case 'wrong-shape':
          response.writeHead(200, { 'content-type': 'application/json' }).end(WRONG_SHAPE_BODY);
          return;
        case 'http-500':
          response.writeHead(500, { 'content-type': 'text/html' }).end(ERROR_PAGE);
          return;
        case 'refuse':
          // A connection accepted just before the port closed: drop it as a closing server would.
          request.socket.destroy();
          return;
      }
    });
  }

  private later(step: () => void, delayMs = this.slowMs): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      step();
    }, delayMs);
    this.timers.add(timer);
  }

  /** One space every 100 ms for as long as the client listens: no idle timeout ever fires. */
  private trickle(response: ServerResponse): void {
    if (response.destroyed) return;
    response.write(' ');
    this.later(() => this.trickle(response), 100);
  }

  /** Sends the request on to the upstream server and its answer back, if anyone still listens. */
  private forward(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const target = new URL(request.url ?? '/', this.upstream);
    const onward = httpRequest(
      target,
      { method: request.method, headers: { ...request.headers, host: target.host } },
      (answer) => {
        if (response.destroyed) {
          answer.resume();
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    onward.on('error', () => {
      if (!response.headersSent && !response.destroyed) response.writeHead(502).end();
    });
    onward.end(body);
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

/** A minimal pushgateway: every request is kept (method, path, body) and answered 200. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

export async function startRecorder(): Promise<{
  url: string;
  received: RecordedRequest[];
  close(): Promise<void>;
}> {
  const received: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      received.push({
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        body: body.toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
