import type { EmissionsData } from '../records/emissions-data.js';
import type { MeasurementDetails } from '../tracker/emissions-tracker.js';
import { formatDuration, formatEnergyKwh, formatIntensityGPerKwh, formatMassKg } from './format.js';

/** The short report `codecarbon monitor` prints on stderr when it ends. */
export function formatReport(options: {
  record: EmissionsData;
  details: MeasurementDetails | undefined;
  csvPath: string | undefined;
  /** The last write to the CSV file failed (its error was logged above the report). */
  csvWriteFailed?: boolean;
  /** The command line, quoted as typed in a shell. */
  command?: string;
  exitCode?: number;
}): string {
  const { record, details, csvPath } = options;
  const method = (component: 'cpu' | 'gpu' | 'ram') => {
    const entry = details?.components[component];
    return entry ? `${entry.method}: ${entry.description}` : '';
  };
  const scope =
    record.trackingMode === 'process'
      ? 'this command and its child processes'
      : 'the whole machine';
  const place = [record.countryName, record.region, record.cloudProvider, record.cloudRegion]
    .filter(Boolean)
    .join(', ');

  const lines = [
    '',
    '── codecarbon report ─────────────────────────────────────────',
    options.command !== undefined
      ? row(
          'Command',
          `${options.command}${options.exitCode !== undefined ? ` (exit ${options.exitCode})` : ''}`,
        )
      : undefined,
    row('Measured', scope),
    row('Duration', formatDuration(record.duration)),
    row('CPU', `${formatEnergyKwh(record.cpuEnergy)}  ${dim(method('cpu'))}`),
    row('RAM', `${formatEnergyKwh(record.ramEnergy)}  ${dim(method('ram'))}`),
    row(
      'GPU',
      record.gpuMethod === 'none'
        ? 'not measured (no GPU tracked)'
        : `${formatEnergyKwh(record.gpuEnergy)}  ${dim(method('gpu'))}`,
    ),
    row(
      'Energy',
      `${formatEnergyKwh(record.energyConsumed)}${record.pue !== 1 ? ` (PUE ${record.pue} included)` : ''}`,
    ),
    row('Emissions', `${formatMassKg(record.emissions)} CO2eq`),
    row(
      'Intensity',
      `${formatIntensityGPerKwh(record.carbonIntensity)} g CO2eq/kWh  ${dim(`${record.carbonIntensitySource}: ${record.carbonIntensityDetail}`)}`,
    ),
    place ? row('Location', place) : undefined,
    csvPath
      ? row(
          'CSV',
          options.csvWriteFailed ? `${csvPath} (not written: see the error above)` : csvPath,
        )
      : undefined,
    '──────────────────────────────────────────────────────────────',
    '',
  ];
  return lines.filter((line) => line !== undefined).join('\n');
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(10)} ${value}`;
}

function dim(text: string): string {
  return text ? `(${text})` : '';
}
