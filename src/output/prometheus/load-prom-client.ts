import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

export type PromClientModule = typeof PromClient;

let loaded: PromClientModule | undefined;

/**
 * prom-client, loaded on first use: trackers without a Prometheus output never pay for it.
 * It is a CommonJS package, so a synchronous require keeps the output factories synchronous.
 */
export function loadPromClient(): PromClientModule {
  loaded ??= createRequire(import.meta.url)('prom-client') as PromClientModule;
  return loaded;
}
