import type { ResolvedConfig } from '../config/options.js';
import { carbonIntensity } from './carbon-intensity.js';

/**
 * Offline mode must know the grid without the network: from a country, a region that names
 * its country (US-NY, SE3), a cloud provider with its region, or a forced intensity. Returns
 * undefined when it does, else why not (the resolver's first warning, if any). A country
 * without data of its own is accepted (its world-average fallback is warned about).
 */
export function offlineGridProblem(config: ResolvedConfig): string | undefined {
  const grid = carbonIntensity({
    countryIsoCode: config.countryIsoCode,
    region: config.region,
    cloudProvider: config.cloudProvider,
    cloudRegion: config.cloudRegion,
    forcedGPerKwh: config.forceCarbonIntensity,
  });
  if (grid.source !== 'world' || config.countryIsoCode !== undefined) return undefined;
  return grid.warnings[0]?.replace(/\.$/, '') ?? 'no location given';
}
