import { type ProcessTreeUsage, readProcessTree } from '../hardware/process-tree.js';
import type { SensorConfig } from './select-sensors.js';

const readers = new WeakMap<SensorConfig, () => ProcessTreeUsage | undefined>();

/**
 * The tracked process tree as the CPU and RAM sensors of one configuration see it. Both are
 * read in the same reading, so one walk of /proc serves both (a result is reused for 5 ms).
 */
export function processTreeReader(config: SensorConfig): () => ProcessTreeUsage | undefined {
  let reader = readers.get(config);
  if (!reader) {
    let cached: ProcessTreeUsage | undefined;
    let readAtMs = Number.NEGATIVE_INFINITY;
    reader = () => {
      const nowMs = performance.now();
      if (nowMs - readAtMs > 5) {
        cached = readProcessTree(config.rootPid, config.root, {
          excludeRoot: config.excludeRootProcess ?? false,
        });
        readAtMs = nowMs;
      }
      return cached;
    };
    readers.set(config, reader);
  }
  return reader;
}
