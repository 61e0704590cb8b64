import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface GatewayProxy {
  url: string;
  /** Authorization headers seen, in order (undefined when a request had none). */
  seen: (string | undefined)[];
  /** When false, every request gets 503 as from a gateway that is down. */
  up: boolean;
  close(): Promise<void>;
}

/**
 * A reverse proxy on 127.0.0.1 in front of a pushgateway that demands basic auth (when
 * `expected` is given), as a gateway behind nginx or with a web config does. With `tls` it
 * terminates HTTPS.
 */
export async function startProxy(
  gatewayUrl: string,
  options: { expected?: string; tls?: { key: string; cert: string } } = {},
): Promise<GatewayProxy> {
  const state = { seen: [] as (string | undefined)[], up: true };
  const handle = (incoming: IncomingMessage, response: ServerResponse) => {
    state.seen.push(incoming.headers.authorization);
    if (!state.up) {
      response.writeHead(503).end('gateway down');
      return;
    }
    if (options.expected !== undefined && incoming.headers.authorization !== options.expected) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="gateway"' }).end('unauthorised');
      return;
    }
    const target = new URL(incoming.url ?? '/', gatewayUrl);
    const forward = httpRequest(
      target,
      { method: incoming.method, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => response.writeHead(502).end());
    incoming.pipe(forward);
  };
  const server = options.tls ? createHttpsServer(options.tls, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    get seen() {
      return state.seen;
    },
    get up() {
      return state.up;
    },
    set up(value: boolean) {
      state.up = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
