import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** What a route answers; `hang` never answers (the client must time out). */
export interface FakeAnswer {
  status?: number;
  body?: string | object;
  headers?: Record<string, string>;
  delayMs?: number;
  hang?: boolean;
}

export interface SeenRequest {
  method: string;
  /** Path and query, e.g. `/carbon-intensity/latest?zone=FR`. */
  url: string;
  headers: IncomingHttpHeaders;
}

/** A route's answer, fixed or computed from the request and its 0-based index on that route. */
export type Route = FakeAnswer | ((request: SeenRequest, index: number) => FakeAnswer);

export interface FakeServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  requests: SeenRequest[];
  /** Requests whose path (query excluded) is `path`, any method. */
  count(path: string): number;
  /** Resolves once `n` requests have arrived in total. */
  waitForRequests(n: number): Promise<void>;
}

const servers: Server[] = [];

afterEach(async () => {
  const closing = servers.splice(0).map(
    (server) =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  await Promise.all(closing);
});

/**
 * An HTTP server on 127.0.0.1 that answers `METHOD /path` (or `/path` for any method) as
 * told, counts what it receives, and answers 404 with an HTML page otherwise. Closed after
 * each test.
 */
export async function startFakeServer(routes: Record<string, Route>): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const perRoute = new Map<string, number>();
  const waiters: { n: number; resolve: () => void }[] = [];

  const server = createServer((req, res) => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    requests.push(seen);
    for (const waiter of waiters.filter((w) => requests.length >= w.n)) waiter.resolve();

    const path = seen.url.split('?')[0] ?? '/';
    const key = `${seen.method} ${path}` in routes ? `${seen.method} ${path}` : path;
    const route = routes[key];
    const index = perRoute.get(key) ?? 0;
    perRoute.set(key, index + 1);
    const answer: FakeAnswer =
      route === undefined
        ? { status: 404, body: '<html><body>Not Found</body></html>' }
        : typeof route === 'function'
          ? route(seen, index)
          : route;
    if (answer.hang) return;

    const send = () => {
      const body =
        typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status ?? 200, answer.headers ?? {});
      res.end(body);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (path) => requests.filter((r) => r.url.split('?')[0] === path).length,
    waitForRequests: (n) =>
      requests.length >= n
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ n, resolve })),
  };
}

/** A URL on 127.0.0.1 where nothing listens (the port of a server just closed). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** geojs's answer for a machine in Chicago. */
export const GEOJS_CHICAGO = {
  country_code3: 'USA',
  country_code: 'US',
  country: 'United States',
  region: 'Illinois',
  city: 'Chicago',
  latitude: '41.8500',
  longitude: '-87.6500',
  ip: '192.0.2.10',
};

/** geojs's answer for a machine in Paris. */
export const GEOJS_PARIS = {
  country_code3: 'FRA',
  country_code: 'FR',
  country: 'France',
  region: 'Île-de-France',
  latitude: '48.8566',
  longitude: '2.3522',
};
