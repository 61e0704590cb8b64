import type { Logger, LogLevel } from '../log/logger.js';
import type { OutputHandler } from '../output/handler.js';
import type { OutputMethod } from './parameters.js';

/**
 * Options of `EmissionsTracker` and `OfflineEmissionsTracker`. Each one can also come from a
 * `CODECARBON_<SNAKE_NAME>` environment variable or a `.codecarbon.config` file; an option
 * given here wins over both. Text values (from files, the environment or here) are parsed
 * and validated when the tracker is built.
 */
export interface TrackerOptions {
  /** Project name copied into every record. Default `codecarbon`. */
  projectName?: string;
  /** Experiment id copied into every record. Default `5b0fa12a-3dd7-45bb-9766-cc326314d9f1`. */
  experimentId?: string;
  /** Experiment name, used in the task CSV file name. Default `base`. */
  experimentName?: string;
  /** Seconds between two power readings. Default 15. */
  measurePowerSecs?: number | string;
  /** Readings between two periodic outputs (`liveOut`); -1: only flush and stop. Default 8. */
  apiCallInterval?: number | string;
  /** `machine` (default): the whole machine; `process`: this process and its descendants. */
  trackingMode?: 'machine' | 'process';
  /** Verbosity of the tracker's logger. Default `info`. */
  logLevel?: LogLevel | 'warn';
  /** Tag added to every log line. Default empty. */
  loggerPreamble?: string;
  /** Power Usage Effectiveness (≥ 1), multiplies every energy slice once. Default 1. */
  pue?: number | string;
  /** Water Usage Effectiveness in L/kWh. Default 0. */
  wue?: number | string;
  /** CPU power in W used when no CPU load can be read at all. Default 42.5. */
  defaultCpuPower?: number | string;
  /** CPU TDP in W for the load model (replaces the TDP table). Default: none. */
  forceCpuPower?: number | string;
  /** Constant RAM power in W (replaces the DIMM model). Default: none. */
  forceRamPower?: number | string;
  /** Fixed grid carbon intensity in g CO2e/kWh; 0 is valid. Default: none. */
  forceCarbonIntensity?: number | string;
  /** Use the CPU load model even when a hardware sensor exists. Default false. */
  forceModeCpuLoad?: boolean | string;
  /** Also measure DRAM through RAPL. Default false. */
  raplIncludeDram?: boolean | string;
  /** Use the RAPL platform (psys) zone alone. Default false. */
  raplPreferPsys?: boolean | string;
  /** Allow several trackers on the machine at once. Default false. */
  allowMultipleRuns?: boolean | string;
  /** GPUs to track: indices or UUIDs. Default: all visible GPUs. */
  gpuIds?: readonly (string | number)[] | string;
  /** Write records to the CSV file. Default true. */
  saveToFile?: boolean | string;
  /** Directory of the CSV file, created if missing. Default `.`. */
  outputDir?: string;
  /** CSV file name (an absolute path ignores `outputDir`). Default `emissions.csv`. */
  outputFile?: string;
  /** `append` (default): a row per flush/stop; `update`: one row per run, kept up to date. */
  onCsvWrite?: 'append' | 'update';
  /** Built-in outputs; when given, the `saveTo*` flags are ignored. */
  outputMethods?: readonly OutputMethod[] | string;
  /** Send records to the CodeCarbon API. Default false. */
  saveToApi?: boolean | string;
  /** CodeCarbon API base URL. Default `https://api.codecarbon.io`. */
  apiEndpoint?: string;
  /** CodeCarbon API key; never logged. */
  apiKey?: string;
  /** URL that receives each total record as JSON on flush and stop. */
  emissionsEndpoint?: string;
  /** Send records to `loggingLogger`. Default false. */
  saveToLogger?: boolean | string;
  /** Logger that receives records when logger output is on. */
  loggingLogger?: unknown;
  /** Push records to a Prometheus pushgateway. Default false. */
  saveToPrometheus?: boolean | string;
  /** Pushgateway address. Default `localhost:9091`. */
  prometheusUrl?: string;
  /** Send records to Logfire. Default false. */
  saveToLogfire?: boolean | string;
  /** Your own output handlers, run on your thread after the built-in outputs were called. */
  outputHandlers?: readonly OutputHandler[];
  /** Electricity Maps token for live intensity; never logged. */
  electricitymapsApiToken?: string;
  /** Deprecated name of `electricitymapsApiToken`. */
  co2SignalApiToken?: string;
  /** Country of the grid: ISO 3166 alpha-3 or alpha-2, any case. */
  countryIsoCode?: string;
  /** Sub-national region: US state, Canadian province or Nordic bidding zone. */
  region?: string;
  /** Cloud provider (`aws`, `azure`, `gcp`). */
  cloudProvider?: string;
  /** Cloud region of that provider, e.g. `us-east-1`. */
  cloudRegion?: string;
  /** Two-letter country code (or zone) Electricity Maps is asked for without coordinates. */
  country2letterIsoCode?: string;
  // <options: issue 3 (RAPL, SLURM)>
  // <options: issue 5 (GPUs)>
  /** Path of the NVML library. Default: the system's `libnvidia-ml.so.1` (`nvml.dll`). */
  nvmlLibrary?: string;
  /** Path of the AMD SMI library. Default: `libamd_smi.so`, then `/opt/rocm/lib`. */
  amdsmiLibrary?: string;
  // <options: issue 7 (online mode)>
  /** Probe the AWS, Azure and GCP metadata services (online tracker). Default true. */
  cloudDetection?: boolean | string;
  /** IP geolocation service (online tracker). Default `https://get.geojs.io/v1/ip/geo.json`. */
  geolocationUrl?: string;
  /** Base address of the cloud metadata services. Default `http://169.254.169.254`. */
  cloudMetadataUrl?: string;
  /** Electricity Maps API base URL. Default `https://api.electricitymaps.com/v3`. */
  electricitymapsUrl?: string;
  /** Seconds a live intensity (or a failed fetch) is reused. Default 900. */
  electricitymapsCacheSecs?: number | string;
  /** Directory of the per-machine location cache. Default: the user cache directory. */
  locationCacheDir?: string;
  /** Seconds every tracker of the machine reuses a looked-up location; 0: none. Default 3600. */
  locationCacheSecs?: number | string;
  /** Seconds a record waits at most for the background lookups. Default 5. */
  lookupWaitSecs?: number | string;
  // <options: issue 8 (outputs part 1)>
  // <options: issue 9 (outputs part 2)>
  /** Pushgateway basic-auth user; else `PROMETHEUS_USERNAME`. Never logged with the password. */
  prometheusUsername?: string;
  /** Pushgateway basic-auth password; else `PROMETHEUS_PASSWORD`. Never logged. */
  prometheusPassword?: string;
  /** Delete the pushed metric group when the tracker stops. Default true. */
  prometheusDeleteOnExit?: boolean | string;
  /** Serve `/metrics` for Prometheus to scrape on this port (0: any free port). Default: off. */
  prometheusPort?: number | string;
  /** Address the `/metrics` endpoint listens on. Default `127.0.0.1`. */
  prometheusHost?: string;
  /** Send metrics over OTLP/HTTP, configured by `OTEL_EXPORTER_OTLP_*`. Default false. */
  saveToOtlp?: boolean | string;
  /** OTLP/HTTP collector URL (`http://host:4318` or a full `/v1/metrics` URL); turns OTLP on. */
  otlpEndpoint?: string;
  /** JSON file with the BoAmps `task`, `header`, `quality`, `infrastructure`, `environment`. */
  boampsContextFile?: string;
  /** The same BoAmps context as an object (wins over `boampsContextFile`). */
  boampsContext?: Readonly<Record<string, unknown>>;
  /** Never use the network to locate the machine (the offline tracker forces it). */
  offline?: boolean | string;
  /** Replaces the default stderr logger: an object with debug, info, warn and error. */
  logger?: Logger;
  /**
   * Write the final record when the process exits or receives SIGINT/SIGTERM while the
   * tracker runs. Default true. Set false when your program calls `stop()` itself on shutdown.
   */
  installExitHandlers?: boolean;
}

/** Where a resolved value came from, for error messages and `codecarbon detect`. */
export type ValueSource =
  | { kind: 'option' }
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string }
  | { kind: 'default' };

/** Every parameter after precedence, parsing and validation (camelCase, typed). */
export interface ResolvedConfig {
  projectName: string;
  experimentId: string;
  experimentName: string;
  measurePowerSecs: number;
  apiCallInterval: number;
  trackingMode: 'machine' | 'process';
  logLevel: LogLevel;
  loggerPreamble: string;
  pue: number;
  wue: number;
  defaultCpuPower: number;
  forceCpuPower: number | undefined;
  forceRamPower: number | undefined;
  forceCarbonIntensity: number | undefined;
  forceModeCpuLoad: boolean;
  raplIncludeDram: boolean;
  raplPreferPsys: boolean;
  allowMultipleRuns: boolean;
  gpuIds: string[] | undefined;
  saveToFile: boolean;
  outputDir: string;
  outputFile: string;
  onCsvWrite: 'append' | 'update';
  outputMethods: OutputMethod[] | undefined;
  saveToApi: boolean;
  apiEndpoint: string;
  apiKey: string | undefined;
  emissionsEndpoint: string | undefined;
  saveToLogger: boolean;
  loggingLogger: unknown;
  saveToPrometheus: boolean;
  prometheusUrl: string;
  saveToLogfire: boolean;
  outputHandlers: OutputHandler[];
  electricitymapsApiToken: string | undefined;
  co2SignalApiToken: string | undefined;
  countryIsoCode: string | undefined;
  region: string | undefined;
  cloudProvider: string | undefined;
  cloudRegion: string | undefined;
  country2letterIsoCode: string | undefined;
  offline: boolean;
  // <resolved: issue 3 (RAPL, SLURM)>
  // <resolved: issue 5 (GPUs)>
  nvmlLibrary: string | undefined;
  amdsmiLibrary: string | undefined;
  // <resolved: issue 7 (online mode)>
  cloudDetection: boolean;
  geolocationUrl: string;
  cloudMetadataUrl: string;
  electricitymapsUrl: string;
  electricitymapsCacheSecs: number;
  locationCacheDir: string | undefined;
  locationCacheSecs: number;
  lookupWaitSecs: number;
  // <resolved: issue 8 (outputs part 1)>
  // <resolved: issue 9 (outputs part 2)>
  prometheusUsername: string | undefined;
  prometheusPassword: string | undefined;
  prometheusDeleteOnExit: boolean;
  prometheusPort: number | undefined;
  prometheusHost: string;
  saveToOtlp: boolean;
  otlpEndpoint: string | undefined;
  boampsContextFile: string | undefined;
  boampsContext: Readonly<Record<string, unknown>> | undefined;
  /** Where each parameter that was set came from (keys are snake_case names). */
  sources: Record<string, ValueSource>;
  /** snake_case names that were set but have no effect in this version yet. */
  notYetEffective: string[];
  /** Option names, config-file keys or `CODECARBON_*` variables that are not parameters. */
  unknownKeys: { key: string; source: ValueSource }[];
  /** Config files that were read, lowest precedence first. */
  filesRead: string[];
}
