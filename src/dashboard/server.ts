/**
 * `codecarbon dashboard`'s web server: the page, its scripts and styles (uPlot from the
 * installed package, nothing from a CDN) and a small JSON API, on node:http. It listens on
 * 127.0.0.1 unless told otherwise, and then also refuses requests addressed to another host
 * name, so a web page elsewhere cannot read the data through DNS rebinding.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { filterFromQuery, issuesPayload, runPayload, runsPayload, summaryPayload } from './api.js';
import { staticAsset } from './static-assets.js';
import { WatchedDataset } from './watched-dataset.js';

export interface DashboardOptions {
  /** Emissions CSV files to show. */
  files: readonly string[];
  /** Address to listen on; default `127.0.0.1` (this machine only). */
  host?: string;
  /** TCP port; `0` picks a free one. Default 8050. */
  port?: number;
  /** How often the files are checked for changes, ms; default 1000. */
  pollIntervalMs?: number;
}

export interface Dashboard {
  /** `http://127.0.0.1:8050/` */
  url: string;
  port: number;
  data: WatchedDataset;
  close(): Promise<void>;
}

export const DEFAULT_DASHBOARD_PORT = 8050;
// Answers are cached per data version; a handful of filter combinations is plenty.
const CACHED_ANSWERS = 32;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Reads the files, starts watching them and listens. Rejects when the port is taken. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const data = new WatchedDataset({
    files: options.files,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  await data.start();

  const cache = new AnswerCache();
  const server = createServer((request, response) => {
    handle(request, response, data, cache, host).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else send(response, 500, 'application/json', JSON.stringify({ error: String(error) }));
    });
  });
  try {
    await listen(server, host, options.port ?? DEFAULT_DASHBOARD_PORT);
  } catch (error) {
    data.stop();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    data,
    close: () => {
      data.stop();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  data: WatchedDataset,
  cache: AnswerCache,
  host: string,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'text/plain', 'only GET and HEAD\n', { allow: 'GET, HEAD' });
    return;
  }
  if (isLoopback(host) && !isLoopbackHostHeader(request.headers.host)) {
    send(response, 403, 'text/plain', 'this dashboard answers to localhost only\n');
    return;
  }

  const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
  if (url.pathname.startsWith('/api/')) {
    const body = cache.get(`${data.version}${url.pathname}?${url.search}`, () =>
      apiAnswer(url, data),
    );
    if (body === undefined) send(response, 404, 'application/json', '{"error":"not found"}');
    else
      send(response, 200, 'application/json; charset=utf-8', body, { 'cache-control': 'no-store' });
    return;
  }

  const asset = await staticAsset(url.pathname);
  if (!asset) send(response, 404, 'text/plain', 'not found\n');
  else send(response, 200, asset.contentType, asset.body, { 'cache-control': 'no-cache' });
}

function apiAnswer(url: URL, data: WatchedDataset): string | undefined {
  const { dataset, version } = data;
  const filter = filterFromQuery(url.searchParams);
  const runKey = /^\/api\/runs\/([\w-]+)$/.exec(url.pathname)?.[1];
  if (url.pathname === '/api/version') return JSON.stringify({ version });
  if (url.pathname === '/api/summary')
    return JSON.stringify(summaryPayload(dataset, version, filter));
  if (url.pathname === '/api/runs')
    return JSON.stringify(runsPayload(dataset, filter, url.searchParams));
  if (url.pathname === '/api/issues') return JSON.stringify(issuesPayload(dataset));
  if (runKey !== undefined) {
    const run = runPayload(dataset, runKey);
    return run === undefined ? undefined : JSON.stringify(run);
  }
  return undefined;
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': contentType, ...SECURITY_HEADERS, ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** The last few answers, dropped whenever the data version changes (it is part of the key). */
class AnswerCache {
  private readonly answers = new Map<string, string | undefined>();

  get(key: string, compute: () => string | undefined): string | undefined {
    if (this.answers.has(key)) return this.answers.get(key);
    const answer = compute();
    if (this.answers.size >= CACHED_ANSWERS) this.answers.clear();
    this.answers.set(key, answer);
    return answer;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function isLoopbackHostHeader(header: string | undefined): boolean {
  if (header === undefined) return false;
  const name = header.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return isLoopback(name);
}
