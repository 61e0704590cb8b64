import { describe, expect, it } from 'vitest';
import { detectCloud } from '../../src/location/cloud-metadata.js';
import { type Route, refusedUrl, startFakeServer } from './fake-server.js';

const AWS_TOKEN = 'AQAEAExampleSessionToken==';

const AWS: Record<string, Route> = {
  'PUT /latest/api/token': (request) =>
    request.headers['x-aws-ec2-metadata-token-ttl-seconds']
      ? { body: AWS_TOKEN }
      : { status: 400, body: 'missing ttl' },
  'GET /latest/dynamic/instance-identity/document': (request) =>
    request.headers['x-aws-ec2-metadata-token'] === AWS_TOKEN
      ? { body: { region: 'eu-west-3', instanceType: 'm5.large', accountId: '123' } }
      : { status: 401, body: '' },
};

const gcpZone = (zone: string): Route => ({
  body: `projects/705208488469/zones/${zone}`,
  headers: { 'Metadata-Flavor': 'Google' },
});

async function detect(routes: Record<string, Route>, budgetMs = 2000) {
  const server = await startFakeServer(routes);
  const outcome = await detectCloud({ baseUrl: `${server.url}/`, budgetMs });
  return { outcome, server };
}

describe('detectCloud', () => {
  it('finds AWS through IMDSv2: a token first, then the identity document with it', async () => {
    const { outcome, server } = await detect(AWS);
    expect(outcome).toEqual({ kind: 'cloud', provider: 'aws', region: 'eu-west-3' });
    const paths = server.requests.map((r) => `${r.method} ${r.url}`);
    expect(paths.indexOf('PUT /latest/api/token')).toBeLessThan(
      paths.indexOf('GET /latest/dynamic/instance-identity/document'),
    );
  });

  it('does not read the identity document without a token (IMDSv1 only is not used)', async () => {
    const { outcome, server } = await detect({
      'GET /latest/dynamic/instance-identity/document': { body: { region: 'eu-west-3' } },
    });
    expect(outcome).toEqual({ kind: 'none' });
    expect(server.count('/latest/dynamic/instance-identity/document')).toBe(0);
  });

  it('finds GCP and keeps every digit of the region (CodeCarbon keeps only one)', async () => {
    const central = await detect({ '/computeMetadata/v1/instance/zone': gcpZone('us-central1-a') });
    expect(central.outcome).toEqual({ kind: 'cloud', provider: 'gcp', region: 'us-central1' });
    expect(
      central.server.requests.find((r) => r.url.startsWith('/compute'))?.headers,
    ).toMatchObject({
      'metadata-flavor': 'Google',
    });
    const west10 = await detect({
      '/computeMetadata/v1/instance/zone': gcpZone('europe-west10-b'),
    });
    expect(west10.outcome).toEqual({ kind: 'cloud', provider: 'gcp', region: 'europe-west10' });
  });

  it('finds Azure from the compute document, asked with the Metadata header', async () => {
    const { outcome, server } = await detect({
      '/metadata/instance/compute': { body: { location: 'westeurope', vmSize: 'Standard_D2s_v3' } },
    });
    expect(outcome).toEqual({ kind: 'cloud', provider: 'azure', region: 'westeurope' });
    expect(server.requests.find((r) => r.url.startsWith('/metadata'))?.headers.metadata).toBe(
      'true',
    );
  });

  it('probes the three providers in parallel', async () => {
    const { server } = await detect(AWS);
    const first = server.requests.slice(0, 3).map((r) => r.url.split('/')[1]);
    expect(new Set(first)).toEqual(new Set(['latest', 'computeMetadata', 'metadata']));
  });

  it('is "none", silently, when nothing listens or every path is 404', async () => {
    expect(await detectCloud({ baseUrl: await refusedUrl(), budgetMs: 2000 })).toEqual({
      kind: 'none',
    });
    expect((await detect({})).outcome).toEqual({ kind: 'none' });
  });

  it('is "none" when the metadata address never answers within the budget', async () => {
    const hang: Route = { hang: true };
    const { outcome, server } = await detect(
      {
        '/latest/api/token': hang,
        '/computeMetadata/v1/instance/zone': hang,
        '/metadata/instance/compute': hang,
      },
      100,
    );
    expect(outcome).toEqual({ kind: 'none' });
    expect(server.requests).toHaveLength(3);
  });

  it('treats partial AWS metadata as no known cloud, with a warning', async () => {
    const { outcome } = await detect({
      ...AWS,
      'GET /latest/dynamic/instance-identity/document': { status: 500, body: '<html>oops</html>' },
    });
    expect(outcome).toEqual({
      kind: 'unexpected',
      warning: expect.stringMatching(
        /answered unexpectedly \(aws: identity document: HTTP 500\); assuming this machine is not on a known cloud/,
      ),
    });
  });

  it('treats a document without the expected field as no known cloud, with a warning', async () => {
    const azure = await detect({ '/metadata/instance/compute': { body: { vmSize: 'x' } } });
    expect(azure.outcome).toMatchObject({ kind: 'unexpected' });
    expect(azure.outcome.kind === 'unexpected' && azure.outcome.warning).toContain(
      'azure: no valid "location" field',
    );
    const aws = await detect({
      ...AWS,
      'GET /latest/dynamic/instance-identity/document': { body: '{"region":' },
    });
    expect(aws.outcome.kind === 'unexpected' && aws.outcome.warning).toContain(
      'aws: identity document: the answer is not valid JSON',
    );
  });

  it('does not take an unlabelled answer for GCP', async () => {
    const { outcome } = await detect({
      '/computeMetadata/v1/instance/zone': { body: 'projects/1/zones/us-central1-a' },
    });
    expect(outcome.kind === 'unexpected' && outcome.warning).toContain(
      'gcp: the answer lacks the "Metadata-Flavor: Google" header',
    );
  });

  it('warns when every path answers 5xx with an HTML page', async () => {
    const html: Route = { status: 500, body: '<html><body>Internal error</body></html>' };
    const { outcome } = await detect({
      '/latest/api/token': html,
      '/computeMetadata/v1/instance/zone': html,
      '/metadata/instance/compute': html,
    });
    expect(outcome.kind === 'unexpected' && outcome.warning).toContain(
      'aws: HTTP 500; gcp: HTTP 500; azure: HTTP 500',
    );
  });

  it('treats answers from two providers at once as no known cloud', async () => {
    const { outcome } = await detect({
      ...AWS,
      '/computeMetadata/v1/instance/zone': gcpZone('us-central1-a'),
    });
    expect(outcome.kind === 'unexpected' && outcome.warning).toContain(
      'answered as several providers (aws eu-west-3 and gcp us-central1)',
    );
  });

  it('never puts the AWS session token in a warning', async () => {
    const { outcome } = await detect({
      ...AWS,
      'GET /latest/dynamic/instance-identity/document': { body: { notRegion: AWS_TOKEN } },
    });
    expect(JSON.stringify(outcome)).not.toContain(AWS_TOKEN);
  });
});
