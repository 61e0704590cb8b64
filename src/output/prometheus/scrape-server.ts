import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../../log/logger.js';

export interface ScrapeServerOptions {
  registry: Registry;
  host: string;
  /** 0: any free port (the log line says which). */
  port: number;
  logger: Logger;
}

/**
 * A node:http server answering `GET /metrics` with the registry in Prometheus text format.
 * It never keeps the process alive: the listening socket and every accepted connection are
 * unref'd (Prometheus holds keep-alive connections open between scrapes), so a program ends
 * when its own work ends. `codecarbon monitor` keeps itself alive on purpose.
 */
export class ScrapeServer {
  private server: Server | undefined;
  private listening: Promise<AddressInfo | undefined> | undefined;
  private refusals = 0;

  constructor(private readonly options: ScrapeServerOptions) {}

  /** Starts listening unless already listening; resolves to the address, or undefined. */
  open(): Promise<AddressInfo | undefined> {
    this.listening ??= this.listen();
    return this.listening;
  }

  /** The bound address while listening. */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  /** Stops listening and drops open connections; a later `open()` listens again. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private listen(): Promise<AddressInfo | undefined> {
    const { host, port, logger } = this.options;
    const server = createServer((request, response) => void this.answer(request, response));
    server.on('connection', (socket) => socket.unref());
    this.server = server;

    return new Promise((resolve) => {
      server.on('error', (error: NodeJS.ErrnoException) => {
        if (server.listening) {
          logger.debug(`The /metrics endpoint reported: ${error.message}`);
          return;
        }
        this.refused(`${host}:${port}`, error);
        if (this.server === server) this.server = undefined;
        this.listening = undefined;
        resolve(undefined);
      });
      server.listen(port, host, () => {
        server.unref();
        const address = server.address() as AddressInfo;
        const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        logger.info(`Serving Prometheus metrics at http://${shown}:${address.port}/metrics`);
        resolve(address);
      });
    });
  }

  /** The first refusal is an error; retries at later outputs say so at debug level only. */
  private refused(where: string, error: NodeJS.ErrnoException): void {
    const reason = error.code ?? error.message;
    if (this.refusals++ > 0) {
      this.options.logger.debug(`Still cannot serve Prometheus metrics on ${where} (${reason}).`);
      return;
    }
    this.options.logger.error(
      `Cannot serve Prometheus metrics on ${where} (${reason}); tracking continues and the ` +
        'next output tries again. Choose another prometheus_port or prometheus_host.',
    );
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Metrics are at /metrics\n');
      return;
    }
    try {
      const body = await this.options.registry.metrics();
      response.writeHead(200, { 'Content-Type': this.options.registry.contentType });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Metrics unavailable\n');
      this.options.logger.debug(
        `Serving /metrics failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
