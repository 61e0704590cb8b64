import type { OutputFactory, OutputKind } from '../tracker/output-plan.js';

/**
 * The factory of each output kind, imported when a worker-hosted tracker turns it on: the
 * worker's memory holds only the outputs in use (the user's thread checked them all already).
 */
const LOADERS: Record<OutputKind, () => Promise<OutputFactory>> = {
  csv: async () => (await import('../output/factories/csv.js')).csvOutput,
  api: async () => (await import('../output/factories/api.js')).apiOutput,
  logger: async () => (await import('../output/factories/logger.js')).loggerOutput,
  prometheus: async () => (await import('../output/factories/prometheus.js')).prometheusOutput,
  logfire: async () => (await import('../output/factories/logfire.js')).logfireOutput,
  boamps: async () => (await import('../output/factories/boamps.js')).boampsOutput,
  http: async () => (await import('../output/factories/http.js')).httpOutput,
  otlp: async () => (await import('../output/factories/otlp.js')).otlpOutput,
  scrape: async () => (await import('../output/factories/prometheus.js')).prometheusScrapeOutput,
};

export async function loadFactories(
  kinds: readonly OutputKind[],
): Promise<Partial<Record<OutputKind, OutputFactory>>> {
  const entries = await Promise.all(
    kinds.map(async (kind) => [kind, await LOADERS[kind]()] as const),
  );
  return Object.fromEntries(entries);
}
