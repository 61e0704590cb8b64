import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/options.js';
import { carbonIntensity, normalizeCountryCode } from './carbon-intensity.js';

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
  // The resolver's warning describes its world-average fallback; say only what is missing.
  const warning = grid.warnings[0]?.split(/;\s*using the world average/i)[0]?.replace(/\.$/, '');
  return warning || 'no location given';
}

/**
 * A country code that names no country is a configuration error (upstream silently used the
 * world average): `FRANCE`, `XX` and `XKX` are rejected with the accepted forms.
 */
export function checkCountryCode(config: ResolvedConfig): void {
  const code = config.countryIsoCode;
  if (code === undefined || normalizeCountryCode(code) !== undefined) return;
  throw new ConfigError({
    key: 'country_iso_code',
    value: code,
    source: config.sources.country_iso_code ?? { kind: 'default' },
    accepted: 'an ISO 3166 country code, alpha-3 (FRA) or alpha-2 (FR), in any case',
  });
}
