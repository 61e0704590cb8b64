import { carbonIntensity } from '../intensity/carbon-intensity.js';

/** `codecarbon intensity [--country-iso-code X] [--region R] [--cloud-provider P --cloud-region R] [--json]`. */
export function runIntensity(parsed: Record<string, unknown>): void {
  const text = (key: string) =>
    typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined;
  const { warnings, ...result } = carbonIntensity({
    countryIsoCode: text('countryIsoCode'),
    region: text('region'),
    cloudProvider: text('cloudProvider'),
    cloudRegion: text('cloudRegion'),
  });

  if (parsed.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const where = [result.countryName, result.region, result.cloudProvider, result.cloudRegion]
      .filter(Boolean)
      .join(', ');
    process.stdout.write(
      `${result.intensityGPerKwh} g CO2eq/kWh — ${where || 'world'} (source: ${result.source}; ${result.detail})\n`,
    );
  }
  for (const warning of warnings) process.stderr.write(`codecarbon: ${warning}\n`);
}
