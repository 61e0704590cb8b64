/**
 * Cloud detection: the AWS, GCP and Azure metadata services probed in parallel within one
 * total budget (about a second), so a machine off any cloud pays that budget at most once, in
 * the background. Anything ambiguous means "not on a known cloud", with a reason to warn about.
 */

import {
  type CloudProbe,
  type CloudProviderId,
  type ProbeOutcome,
  probeAws,
  probeAzure,
  probeGcp,
} from './cloud-probes.js';

export type CloudOutcome =
  | { kind: 'cloud'; provider: CloudProviderId; region: string }
  /** No metadata service answered: an ordinary machine. */
  | { kind: 'none' }
  /** Something answered oddly; treated as no cloud, with `warning` to log once. */
  | { kind: 'unexpected'; warning: string };

export interface CloudDetectionOptions {
  /** Base address of the metadata services. Default `http://169.254.169.254`. */
  baseUrl: string;
  /** Total budget for all probes, ms. */
  budgetMs: number;
  signal?: AbortSignal;
  /** Test seam: the probes to run. */
  probes?: readonly CloudProbe[];
}

export const DEFAULT_CLOUD_BUDGET_MS = 1000;

/** Runs every probe at once and combines their outcomes. Never rejects. */
export async function detectCloud(options: CloudDetectionOptions): Promise<CloudOutcome> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const deadlineMs = performance.now() + options.budgetMs;
  const probes = options.probes ?? [probeAws, probeGcp, probeAzure];
  const outcomes = await Promise.all(
    probes.map((probe) =>
      probe({ baseUrl, deadlineMs, ...(options.signal ? { signal: options.signal } : {}) }).catch(
        (error: unknown): ProbeOutcome => ({
          kind: 'absent',
          reason: error instanceof Error ? error.message : String(error),
        }),
      ),
    ),
  );
  return combine(outcomes, baseUrl);
}

function combine(outcomes: readonly ProbeOutcome[], baseUrl: string): CloudOutcome {
  const found = outcomes.filter((o) => o.kind === 'found');
  const odd = outcomes.filter((o) => o.kind === 'unexpected');
  const [only] = found;
  if (found.length === 1 && only !== undefined) {
    return { kind: 'cloud', provider: only.provider, region: only.region };
  }

  const instead = 'assuming this machine is not on a known cloud.';
  if (found.length > 1) {
    const who = found.map((o) => `${o.provider} ${o.region}`).join(' and ');
    return {
      kind: 'unexpected',
      warning: `Cloud metadata at ${baseUrl} answered as several providers (${who}); ${instead}`,
    };
  }
  if (odd.length > 0) {
    const why = odd.map((o) => `${o.provider}: ${o.reason}`).join('; ');
    return {
      kind: 'unexpected',
      warning: `Cloud metadata at ${baseUrl} answered unexpectedly (${why}); ${instead}`,
    };
  }
  return { kind: 'none' };
}
