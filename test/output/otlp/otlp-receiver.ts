import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One data point as the test reads it: metric name, unit, kind, value and attributes. */
export interface Point {
  name: string;
  unit: string;
  kind: 'sum' | 'gauge';
  /** OTLP enum: 1 delta, 2 cumulative (sums only). */
  temporality: number | undefined;
  value: number;
  attributes: Record<string, string | number | boolean>;
}

export interface ReceivedExport {
  path: string;
  headers: IncomingHttpHeaders;
  resource: Record<string, string | number | boolean>;
  points: Point[];
}

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  received: ReceivedExport[];
  /** Status to answer with (200 by default); `'hang'` never answers. */
  status: number | 'hang';
  close(): Promise<void>;
}

/** An OTLP/HTTP receiver on 127.0.0.1 that decodes the JSON encoding of metrics exports. */
export async function startReceiver(): Promise<Receiver> {
  const state: Receiver = {
    url: '',
    received: [],
    status: 200,
    close: async () => {},
  };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (state.status === 'hang') return;
      if (state.status === 200) {
        state.received.push({
          path: request.url ?? '',
          headers: request.headers,
          ...decode(JSON.parse(body)),
        });
      }
      response.writeHead(state.status, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

/** The points called `name` in an export. */
export function pointsOf(received: ReceivedExport | undefined, name: string): Point[] {
  return (received?.points ?? []).filter((point) => point.name === name);
}

interface JsonValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface JsonAttribute {
  key: string;
  value: JsonValue;
}
interface JsonPoint {
  attributes?: JsonAttribute[];
  asDouble?: number;
  asInt?: number | string;
}
interface JsonMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: JsonPoint[]; aggregationTemporality?: number };
  gauge?: { dataPoints: JsonPoint[] };
}
interface JsonExport {
  resourceMetrics: {
    resource?: { attributes?: JsonAttribute[] };
    scopeMetrics: { metrics: JsonMetric[] }[];
  }[];
}

function decode(json: JsonExport): { resource: Point['attributes']; points: Point[] } {
  const points: Point[] = [];
  let resource: Point['attributes'] = {};
  for (const resourceMetrics of json.resourceMetrics) {
    resource = attributes(resourceMetrics.resource?.attributes);
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        const kind = metric.sum ? 'sum' : 'gauge';
        const data = metric.sum ?? metric.gauge;
        for (const point of data?.dataPoints ?? []) {
          points.push({
            name: metric.name,
            unit: metric.unit ?? '',
            kind,
            temporality: metric.sum?.aggregationTemporality,
            value: Number(point.asDouble ?? point.asInt),
            attributes: attributes(point.attributes),
          });
        }
      }
    }
  }
  return { resource, points };
}

function attributes(list: JsonAttribute[] | undefined): Point['attributes'] {
  const out: Point['attributes'] = {};
  for (const { key, value } of list ?? []) {
    out[key] =
      value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue ?? NaN);
  }
  return out;
}
