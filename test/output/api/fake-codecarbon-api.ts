/**
 * A CodeCarbon API on 127.0.0.1 for tests: `POST /runs` (201 + id) and `POST /emissions`
 * (201), each body checked against the field names and types of spec §9.2 (and the real
 * server's limits: whole seconds > 0, energy > 0). It honours `Idempotency-Key` as a careful
 * server would (a replay is answered again, not stored again), and can be made slow, made to
 * fail with HTML pages, or taken down and brought back on the same port.
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';

const ISO_WITH_OFFSET = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}[+-]\\d{2}:\\d{2}$';
const nullable = (type: string) => ({ type: [type, 'null'] });

/** `POST /runs` body: spec §9.2, every field present. */
export const RUN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'timestamp',
    'experiment_id',
    'os',
    'python_version',
    'codecarbon_version',
    'cpu_count',
    'cpu_model',
    'gpu_count',
    'gpu_model',
    'longitude',
    'latitude',
    'region',
    'provider',
    'ram_total_size',
    'tracking_mode',
  ],
  properties: {
    timestamp: { type: 'string', pattern: ISO_WITH_OFFSET },
    experiment_id: { type: 'string', minLength: 1 },
    os: { type: 'string' },
    python_version: { type: 'string' },
    codecarbon_version: { type: 'string' },
    cpu_count: { type: 'integer', minimum: 0 },
    cpu_model: nullable('string'),
    gpu_count: { type: 'integer', minimum: 0 },
    gpu_model: nullable('string'),
    longitude: nullable('number'),
    latitude: nullable('number'),
    region: nullable('string'),
    provider: nullable('string'),
    ram_total_size: { type: 'number' },
    tracking_mode: { enum: ['machine', 'process'] },
  },
} as const;

const NUMBER_FIELDS = [
  'cpu_power',
  'gpu_power',
  'ram_power',
  'cpu_energy',
  'gpu_energy',
  'ram_energy',
  'cpu_utilization_percent',
  'gpu_utilization_percent',
  'ram_utilization_percent',
  'wue',
] as const;

/** `POST /emissions` body: spec §9.2 plus the server's own limits. */
export const EMISSION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'timestamp',
    'run_id',
    'duration',
    'emissions_sum',
    'emissions_rate',
    'energy_consumed',
    ...NUMBER_FIELDS,
  ],
  properties: {
    timestamp: { type: 'string', pattern: ISO_WITH_OFFSET },
    run_id: { type: 'string', minLength: 1 },
    duration: { type: 'integer', exclusiveMinimum: 0 },
    emissions_sum: { type: 'number', minimum: 0 },
    emissions_rate: { type: 'number', minimum: 0 },
    energy_consumed: { type: 'number', exclusiveMinimum: 0 },
    ...Object.fromEntries(NUMBER_FIELDS.map((field) => [field, { type: 'number' }])),
  },
} as const;

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface StoredEmission {
  key: string | undefined;
  body: Record<string, unknown>;
}

/** A canned failure: the next request gets this answer and nothing is stored. */
export interface CannedAnswer {
  status: number;
  body: string;
  contentType?: string;
}

export class FakeCodeCarbonApi {
  /** Every request that reached the server, in arrival order. */
  readonly requests: ReceivedRequest[] = [];
  /** Created runs, by server id. */
  readonly runs = new Map<string, { body: Record<string, unknown>; key: string | undefined }>();
  /** Stored emissions, in the order they were stored. */
  readonly emissions: StoredEmission[] = [];
  /** Bodies that did not match the schemas, with the validator's complaint. */
  readonly invalid: { path: string; errors: string }[] = [];
  /** Requests answered from the idempotency cache instead of being stored again. */
  replays = 0;
  /** Every answer waits this long (after storing, as a server that is slow to answer). */
  delayMs = 0;
  /** Only the first N requests are slow (then delayMs no longer applies); Infinity: all. */
  slowRequests = Number.POSITIVE_INFINITY;
  /** Answers for the next requests, used up in order. */
  readonly canned: CannedAnswer[] = [];
  /** When set, requests without this `x-api-token` get 401. */
  apiKey: string | undefined;

  private readonly answered = new Map<string, { status: number; body: string }>();
  private readonly validateRun = new Ajv({ allErrors: true }).compile(RUN_SCHEMA);
  private readonly validateEmission = new Ajv({ allErrors: true }).compile(EMISSION_SCHEMA);
  private server: Server | undefined;
  private port = 0;

  static async start(): Promise<FakeCodeCarbonApi> {
    const api = new FakeCodeCarbonApi();
    await api.up();
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The one run created so far, as [server id, run]; throws when there is not exactly one. */
  onlyRun(): [string, { body: Record<string, unknown>; key: string | undefined }] {
    const [entry, ...others] = [...this.runs];
    if (!entry || others.length > 0) throw new Error(`expected one run, got ${this.runs.size}`);
    return entry;
  }

  /** Emissions stored for one server run, in order. */
  emissionsOf(runId: string): Record<string, unknown>[] {
    return this.emissions.filter((e) => e.body.run_id === runId).map((e) => e.body);
  }

  /** Starts listening (again, on the same port after `down()`). */
  up(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening and drops open connections: clients get connection refused. */
  down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '';
    const text = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    this.requests.push({ path, headers: request.headers, body });
    const slow = this.requests.length <= this.slowRequests ? this.delayMs : 0;

    const answer = this.answer(request, path, body);
    if (slow > 0) await new Promise((resolve) => setTimeout(resolve, slow));
    // The client gave up waiting: the request was stored all the same, as on a real server.
    if (response.socket === null || response.socket.destroyed) return;
    response.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
    response.end(answer.body);
  }

  private answer(request: IncomingMessage, path: string, body: unknown): CannedAnswer {
    const canned = this.canned.shift();
    if (canned) return { contentType: 'text/html; charset=utf-8', ...canned };
    if (this.apiKey !== undefined && request.headers['x-api-token'] !== this.apiKey) {
      return { status: 401, body: '{"detail":"Not authenticated"}' };
    }
    const key = header(request, 'idempotency-key');
    const previous = key === undefined ? undefined : this.answered.get(`${path} ${key}`);
    if (previous) {
      this.replays += 1;
      return previous;
    }
    const answer = this.store(path, body, key);
    if (key !== undefined && answer.status < 300) this.answered.set(`${path} ${key}`, answer);
    return answer;
  }

  private store(path: string, body: unknown, key: string | undefined): CannedAnswer {
    if (path === '/runs') {
      if (!this.validateRun(body)) return this.reject(path, this.validateRun.errors);
      const id = randomUUID();
      this.runs.set(id, { body: body as unknown as Record<string, unknown>, key });
      return { status: 201, body: JSON.stringify({ id, ...(body as object) }) };
    }
    if (path === '/emissions') {
      if (!this.validateEmission(body)) return this.reject(path, this.validateEmission.errors);
      const record = body as unknown as Record<string, unknown>;
      if (!this.runs.has(String(record.run_id)))
        return { status: 404, body: '{"detail":"Run not found"}' };
      this.emissions.push({ key, body: record });
      return { status: 201, body: JSON.stringify({ id: randomUUID() }) };
    }
    return { status: 404, body: '{"detail":"Not Found"}' };
  }

  private reject(path: string, errors: unknown): CannedAnswer {
    const text = JSON.stringify(errors);
    this.invalid.push({ path, errors: text });
    return { status: 422, body: `{"detail":${text}}` };
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

/** An HTML error page as proxies and load balancers send them. */
export function htmlPage(status: number, title: string): CannedAnswer {
  return {
    status,
    body: `<!DOCTYPE html><html><head><title>${title}</title><style>body{}</style></head><body><h1>${title}</h1><p>nginx</p></body></html>`,
  };
}
