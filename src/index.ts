/**
 * codecarbon for Node.js: every public export of the package is listed here.
 */

export type { TrackEmissionsOptions } from './api/track-emissions.js';
export { trackEmissions } from './api/track-emissions.js';
export type { TrackTaskOptions } from './api/track-task.js';
export { trackTaskEmissions } from './api/track-task.js';
export { ConfigError } from './config/config-error.js';
export type { TrackerOptions, ValueSource } from './config/options.js';
export type { OutputMethod } from './config/parameters.js';
export { OUTPUT_METHODS } from './config/parameters.js';
export { lookupCpuTdp } from './hardware/cpu-tdp.js';
export type { IntensityQuery, IntensityResult } from './intensity/carbon-intensity.js';
export { carbonIntensity } from './intensity/carbon-intensity.js';
export type { Logger, LogLevel } from './log/logger.js';
export type { OutputHandler } from './output/handler.js';
export type {
  EmissionsData,
  IntensitySource,
  MeasurementMethod,
  TaskEmissionsData,
} from './records/emissions-data.js';
export type { MeasurementDetails } from './tracker/emissions-tracker.js';
export { EmissionsTracker } from './tracker/emissions-tracker.js';
export { OfflineEmissionsTracker } from './tracker/offline-emissions-tracker.js';
export { VERSION } from './version.js';
