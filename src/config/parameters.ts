/**
 * Every tracker parameter: its snake_case name (config files, `CODECARBON_*` variables, CSV
 * compatibility with Python CodeCarbon), its camelCase option name, how a text value parses,
 * its default, and whether this version gives it an effect yet.
 */

export type ParameterKind =
  | 'string'
  | 'secret'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'list'
  | 'object';

export interface ParameterSpec {
  /** snake_case name used in `.codecarbon.config` and `CODECARBON_<NAME>`. */
  readonly key: string;
  /** camelCase option name of the TypeScript API. */
  readonly option: string;
  readonly kind: ParameterKind;
  /** One line for docs, help and error messages: what it is, with its unit. */
  readonly doc: string;
  readonly default?: unknown;
  /** enum and list: the accepted values (lower case). */
  readonly values?: readonly string[];
  /** number and integer: inclusive lower bound. */
  readonly min?: number;
  /** number and integer: inclusive upper bound. */
  readonly max?: number;
  /** number: the value must be strictly greater than this. */
  readonly greaterThan?: number;
  /** integer: extra single values accepted outside the range (`api_call_interval: -1`). */
  readonly alsoAccepted?: readonly number[];
  /** Other snake_case names accepted for the same parameter (older CodeCarbon spellings). */
  readonly aliases?: readonly string[];
  /** False while a later version gives the parameter its effect; setting it logs that once. */
  readonly implemented: boolean;
  /** Only settable from code (objects), never from files or the environment. */
  readonly codeOnly?: boolean;
}

export const OUTPUT_METHODS = ['csv', 'api', 'logger', 'prometheus', 'logfire', 'boamps'] as const;
export type OutputMethod = (typeof OUTPUT_METHODS)[number];

/**
 * The longest delay Node's timers take, in whole seconds (2^31 - 1 ms): a longer one is
 * silently replaced by 1 ms, which turns a reading timer into a busy loop.
 */
export const MAX_TIMER_SECS = 2_147_483;

const LOG_LEVEL_VALUES = ['debug', 'info', 'warning', 'warn', 'error', 'critical'] as const;

export const PARAMETERS: readonly ParameterSpec[] = [
  p('project_name', 'string', 'Project name copied into every record.', 'codecarbon'),
  p(
    'experiment_id',
    'string',
    'Experiment id copied into every record and used by the CodeCarbon API.',
    '5b0fa12a-3dd7-45bb-9766-cc326314d9f1',
  ),
  p('experiment_name', 'string', 'Experiment name, used in the task CSV file name.', 'base'),
  {
    ...p('measure_power_secs', 'number', 'Seconds between two power readings.', 15),
    greaterThan: 0,
    max: MAX_TIMER_SECS,
  },
  {
    ...p(
      'api_call_interval',
      'integer',
      'Readings between two periodic outputs; -1 sends only on flush and stop.',
      8,
    ),
    min: 1,
    alsoAccepted: [-1],
  },
  {
    ...p('tracking_mode', 'enum', 'machine: the whole machine; process: this process tree.'),
    default: 'machine',
    values: ['machine', 'process'],
  },
  {
    ...p('log_level', 'enum', 'Verbosity of the codecarbon logger.'),
    default: 'info',
    values: LOG_LEVEL_VALUES,
  },
  p('logger_preamble', 'string', 'Tag added to every log line of the tracker.', ''),
  {
    ...p('pue', 'number', 'Power Usage Effectiveness of the data centre (multiplies energy).', 1),
    min: 1,
  },
  { ...p('wue', 'number', 'Water Usage Effectiveness, litres per kWh.', 0), min: 0 },
  {
    ...p(
      'default_cpu_power',
      'number',
      'CPU power in watts used when no CPU load can be read.',
      42.5,
    ),
    min: 0,
  },
  {
    ...p('force_cpu_power', 'number', 'CPU TDP in watts for the load model; disables sensors.'),
    greaterThan: 0,
  },
  { ...p('force_ram_power', 'number', 'Constant RAM power in watts.'), min: 0 },
  {
    ...p('force_carbon_intensity', 'number', 'Fixed grid carbon intensity in g CO2e/kWh.'),
    min: 0,
    aliases: ['force_carbon_intensity_g_co2e_kwh'],
  },
  p('force_mode_cpu_load', 'boolean', 'Use the CPU load model even if RAPL exists.', false),
  p('rapl_include_dram', 'boolean', 'Measure DRAM through RAPL as the RAM part.', false),
  p('rapl_prefer_psys', 'boolean', 'Use the RAPL platform (psys) zone alone.', false),
  p('allow_multiple_runs', 'boolean', 'Allow several trackers on one machine at once.', false),
  p(
    'gpu_ids',
    'list',
    'GPUs to track: indices, UUIDs or MIG slices; -1 or empty: none (default: all visible).',
  ),
  p('save_to_file', 'boolean', 'Write records to the CSV file.', true),
  p('output_dir', 'string', 'Directory of the CSV file (created if missing).', '.'),
  p('output_file', 'string', 'Name of the CSV file.', 'emissions.csv'),
  {
    ...p('on_csv_write', 'enum', 'append: one row per flush/stop; update: one row per run.'),
    default: 'append',
    values: ['append', 'update'],
  },
  {
    ...p('output_methods', 'list', 'Built-in outputs; when set, save_to_* flags are ignored.'),
    values: OUTPUT_METHODS,
  },
  p('save_to_api', 'boolean', 'Send records to the CodeCarbon API.', false),
  p('api_endpoint', 'string', 'CodeCarbon API base URL.', 'https://api.codecarbon.io'),
  p('api_key', 'secret', 'CodeCarbon API key (never logged).'),
  p('emissions_endpoint', 'string', 'URL that receives each total record as JSON.'),
  p('save_to_logger', 'boolean', 'Send records to logging_logger.', false),
  { ...p('logging_logger', 'object', 'Logger that receives records.'), codeOnly: true },
  p('save_to_prometheus', 'boolean', 'Push records to a Prometheus pushgateway.', false),
  p('prometheus_url', 'string', 'Pushgateway address.', 'localhost:9091'),
  p('save_to_logfire', 'boolean', 'Send records to Logfire.', false),
  {
    ...p('output_handlers', 'object', 'Your own output handlers, called before built-in ones.'),
    default: [],
    codeOnly: true,
  },
  p('electricitymaps_api_token', 'secret', 'Electricity Maps token for live intensity.'),
  p('co2_signal_api_token', 'secret', 'Deprecated name of electricitymaps_api_token.'),
  p('country_iso_code', 'string', 'Country of the grid: ISO 3166 alpha-3 or alpha-2 code.'),
  p('region', 'string', 'Sub-national region: US state, Canadian province, Nordic zone.'),
  p('cloud_provider', 'string', 'Cloud provider: aws, azure or gcp.'),
  p('cloud_region', 'string', 'Cloud region of the provider, e.g. us-east-1.'),
  p(
    'country_2letter_iso_code',
    'string',
    'Two-letter country code (or zone) Electricity Maps is asked for without coordinates.',
  ),
  p('offline', 'boolean', 'Never use the network to locate the machine.', false),
  // <parameters: issue 3 (RAPL, SLURM)>
  // <parameters: issue 5 (GPUs)>
  p('nvml_library', 'string', 'Path of the NVML library (default: libnvidia-ml.so.1 / nvml.dll).'),
  p('amdsmi_library', 'string', 'Path of the AMD SMI library (default: libamd_smi.so).'),
  // <parameters: issue 7 (online mode)>
  p('cloud_detection', 'boolean', 'Probe the AWS, Azure and GCP metadata services.', true),
  p(
    'geolocation_url',
    'string',
    'IP geolocation service that locates the machine (JSON as get.geojs.io).',
    'https://get.geojs.io/v1/ip/geo.json',
  ),
  p(
    'cloud_metadata_url',
    'string',
    'Base address of the cloud metadata services.',
    'http://169.254.169.254',
  ),
  p(
    'electricitymaps_url',
    'string',
    'Electricity Maps API base URL.',
    'https://api.electricitymaps.com/v3',
  ),
  {
    ...p('electricitymaps_cache_secs', 'number', 'Seconds a live intensity is reused.', 900),
    min: 0,
  },
  p('location_cache_dir', 'string', 'Directory of the per-machine location cache.'),
  {
    ...p(
      'location_cache_secs',
      'number',
      'Seconds a looked-up location is reused by every tracker of the machine; 0: no cache.',
      3600,
    ),
    min: 0,
  },
  {
    ...p(
      'lookup_wait_secs',
      'number',
      'Seconds a record waits at most for the location and live-intensity lookups.',
      5,
    ),
    min: 0,
    max: MAX_TIMER_SECS,
  },
  // <parameters: issue 8 (outputs part 1)>
  // <parameters: issue 9 (outputs part 2)>
  p('prometheus_username', 'string', 'Pushgateway basic-auth user (else PROMETHEUS_USERNAME).'),
  p('prometheus_password', 'secret', 'Pushgateway basic-auth password (else PROMETHEUS_PASSWORD).'),
  p('prometheus_delete_on_exit', 'boolean', 'Delete the pushed metric group at stop.', true),
  {
    ...p('prometheus_port', 'integer', 'Port of the /metrics endpoint to scrape (0: any free).'),
    min: 0,
  },
  p('prometheus_host', 'string', 'Address the /metrics endpoint listens on.', '127.0.0.1'),
  p('save_to_otlp', 'boolean', 'Send metrics over OTLP/HTTP (OTEL_EXPORTER_OTLP_* apply).', false),
  p('otlp_endpoint', 'string', 'OTLP/HTTP collector URL; setting it turns OTLP on.'),
  p('boamps_context_file', 'string', 'JSON file with the BoAmps task, header, quality, etc.'),
  {
    ...p('boamps_context', 'object', 'BoAmps task, header, quality, etc. as an object.'),
    codeOnly: true,
  },
];

/** Looks a parameter up by its snake_case name or one of its aliases. */
export function findParameter(key: string): ParameterSpec | undefined {
  return BY_KEY.get(key);
}

const BY_KEY = new Map<string, ParameterSpec>();
for (const spec of PARAMETERS) {
  BY_KEY.set(spec.key, spec);
  for (const alias of spec.aliases ?? []) BY_KEY.set(alias, spec);
}

function p(key: string, kind: ParameterKind, doc: string, def?: unknown): ParameterSpec {
  return { key, option: camelCase(key), kind, doc, default: def, implemented: true };
}

/** `country_2letter_iso_code` → `country2letterIsoCode`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
