import type { TrackerOptions } from '../config/options.js';
import { EmissionsTracker } from './emissions-tracker.js';

/**
 * A tracker that never touches the network: the grid is the configured country (and region
 * or cloud region). Without a country it uses the world average and says so.
 */
export class OfflineEmissionsTracker extends EmissionsTracker {
  protected override adjustOptions(options: TrackerOptions): TrackerOptions {
    return { ...options, offline: true };
  }
}
