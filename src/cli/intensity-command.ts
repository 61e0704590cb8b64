import { resolveConfig } from '../config/resolve-config.js';
import { carbonIntensity } from '../intensity/carbon-intensity.js';
import { formatIntensityGPerKwh } from './format.js';
import { trackerOptionsFrom } from './tracker-flags.js';

/**
 * `codecarbon intensity [--country-iso-code X] [--region R] [--cloud-provider P --cloud-region R] [--json]`.
 * The location is resolved as `monitor` resolves it: the options, then `CODECARBON_*`
 * variables, then `.codecarbon.config` files; `force_carbon_intensity` wins as it does there.
 */
export function runIntensity(parsed: Record<string, unknown>): void {
  const config = resolveConfig(trackerOptionsFrom(parsed));
  const { warnings, ...result } = carbonIntensity({
    countryIsoCode: config.countryIsoCode,
    region: config.region,
    cloudProvider: config.cloudProvider,
    cloudRegion: config.cloudRegion,
    forcedGPerKwh: config.forceCarbonIntensity,
  });

  if (parsed.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    // The same place names as the report's Location row: the tables' own spelling.
    const place = [result.countryName, result.region, result.cloudProvider, result.cloudRegion]
      .filter(Boolean)
      .join(', ');
    // A forced figure has no place; only the world average is "world".
    const where = place || (result.source === 'world' ? 'world' : '');
    process.stdout.write(
      `${formatIntensityGPerKwh(result.intensityGPerKwh)} g CO2eq/kWh${where ? ` — ${where}` : ''} ` +
        `(source: ${result.source}; ${result.detail})\n`,
    );
  }
  for (const warning of warnings) process.stderr.write(`codecarbon: ${warning}\n`);
}
