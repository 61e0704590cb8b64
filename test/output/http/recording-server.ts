import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body as sent, to check that it is valid JSON. */
  text: string;
}

/**
 * An endpoint on 127.0.0.1 that stores what it receives and answers 201, or the canned
 * answers queued in `canned`; it honours `Idempotency-Key` and can go down and come back.
 */
export class RecordingServer {
  readonly received: Received[] = [];
  readonly stored: Record<string, unknown>[] = [];
  readonly canned: { status: number; body: string; contentType?: string }[] = [];
  replays = 0;
  private readonly keys = new Set<string>();
  private server: Server | undefined;
  private port = 0;

  static async start(): Promise<RecordingServer> {
    const server = new RecordingServer();
    await server.up();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/emissions`;
  }

  up(): Promise<void> {
    const server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        text += chunk;
      });
      request.on('end', () => {
        this.received.push({ headers: request.headers, text });
        const canned = this.canned.shift();
        if (canned) {
          response.writeHead(canned.status, { 'content-type': canned.contentType ?? 'text/html' });
          response.end(canned.body);
          return;
        }
        const key = String(request.headers['idempotency-key']);
        if (this.keys.has(key)) this.replays += 1;
        else this.stored.push(JSON.parse(text) as Record<string, unknown>);
        this.keys.add(key);
        response.writeHead(201).end();
      });
    });
    this.server = server;
    return new Promise((resolve) =>
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      }),
    );
  }

  down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
