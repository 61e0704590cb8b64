/**
 * One probe per cloud provider's instance metadata service. Each says `absent` (nothing of
 * that provider answers: the usual case off that cloud), `found` with the region, or
 * `unexpected` when something answered but not as that provider would. Only documented
 * fields are read; nothing else (user data, credentials, tokens) is kept or logged.
 */

import { type HttpOutcome, httpGet, parseJsonObject } from './http-get.js';

export type CloudProviderId = 'aws' | 'azure' | 'gcp';

export type ProbeOutcome =
  | { kind: 'absent'; reason: string }
  | { kind: 'found'; provider: CloudProviderId; region: string }
  | { kind: 'unexpected'; provider: CloudProviderId; reason: string };

export interface ProbeOptions {
  /** Base address of the metadata services, e.g. `http://169.254.169.254`, no trailing `/`. */
  baseUrl: string;
  /** Absolute deadline shared by every request of the probe, ms on `performance.now()`. */
  deadlineMs: number;
  signal?: AbortSignal;
}

export type CloudProbe = (options: ProbeOptions) => Promise<ProbeOutcome>;

/** AWS IMDSv2: a session token first (PUT), then the instance identity document. */
export const probeAws: CloudProbe = async (options) => {
  const token = await request(options, '/latest/api/token', {
    method: 'PUT',
    headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
  });
  if (!token.ok) return absentOrUnexpected('aws', token);
  const session = token.body.trim();
  if (session === '' || /\s|</.test(session)) {
    return unexpected('aws', 'the token endpoint answered something that is not a token');
  }

  const document = await request(options, '/latest/dynamic/instance-identity/document', {
    headers: { 'x-aws-ec2-metadata-token': session },
  });
  // The token was granted, so a failure from here on is a broken answer, not another cloud.
  if (!document.ok) return unexpected('aws', `identity document: ${document.reason}`);
  const json = parseJsonObject(document.body);
  if (typeof json === 'string') return unexpected('aws', `identity document: ${json}`);
  const region = json.region;
  if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    return unexpected('aws', 'identity document: no valid "region" field');
  }
  return { kind: 'found', provider: 'aws', region };
};

/** GCP: the instance's zone (`projects/123/zones/us-central1-a`), region = zone less its letter. */
export const probeGcp: CloudProbe = async (options) => {
  const zone = await request(options, '/computeMetadata/v1/instance/zone', {
    headers: { 'metadata-flavor': 'Google' },
  });
  if (!zone.ok) return absentOrUnexpected('gcp', zone);
  // Google's server always labels its answers; anything else is not GCP's metadata service.
  if (zone.headers['metadata-flavor'] !== 'Google') {
    return unexpected('gcp', 'the answer lacks the "Metadata-Flavor: Google" header');
  }
  const name = zone.body.trim().split('/').pop() ?? '';
  // Regions end in any number of digits (`europe-west10`); CodeCarbon keeps only one.
  const match = /^([a-z]+(?:-[a-z]+)+\d+)-[a-z]$/.exec(name);
  if (match?.[1] === undefined) return unexpected('gcp', `"${name.slice(0, 80)}" is not a zone`);
  return { kind: 'found', provider: 'gcp', region: match[1] };
};

/** Azure Instance Metadata Service: the compute document's `location` (`westeurope`). */
export const probeAzure: CloudProbe = async (options) => {
  const compute = await request(options, '/metadata/instance/compute?api-version=2021-02-01', {
    headers: { metadata: 'true' },
  });
  if (!compute.ok) return absentOrUnexpected('azure', compute);
  const json = parseJsonObject(compute.body);
  if (typeof json === 'string') return unexpected('azure', json);
  const location = json.location;
  if (typeof location !== 'string' || !/^[a-z0-9]+$/.test(location)) {
    return unexpected('azure', 'no valid "location" field');
  }
  return { kind: 'found', provider: 'azure', region: location };
};

function request(
  options: ProbeOptions,
  path: string,
  init: { method?: 'GET' | 'PUT'; headers: Record<string, string> },
): Promise<HttpOutcome> {
  const timeoutMs = Math.max(1, options.deadlineMs - performance.now());
  return httpGet({
    url: `${options.baseUrl}${path}`,
    ...init,
    timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

// Off a provider's cloud its paths are unreachable or answer 4xx; a 5xx means a metadata
// service exists but failed, which deserves the warning.
function absentOrUnexpected(
  provider: CloudProviderId,
  outcome: Exclude<HttpOutcome, { ok: true }>,
): ProbeOutcome {
  if (outcome.kind === 'status' && outcome.status >= 500) {
    return unexpected(provider, outcome.reason);
  }
  return { kind: 'absent', reason: outcome.reason };
}

function unexpected(provider: CloudProviderId, reason: string): ProbeOutcome {
  return { kind: 'unexpected', provider, reason };
}
