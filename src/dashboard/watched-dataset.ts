/**
 * The dashboard's data: the emissions files read once, then checked on an unref'd timer and
 * re-read when one changes (size, modification time or inode), so the page follows a tracker
 * that is still writing. Only the changed file is read again.
 */

import { stat } from 'node:fs/promises';
import { buildDataset, type EmissionsDataset, uniquePaths } from '../report/dataset.js';
import { type FileReading, readEmissionsFile } from '../report/read-emissions-file.js';

export interface WatchedDatasetOptions {
  files: readonly string[];
  /** How often the files are checked for changes, ms; default 1000. */
  pollIntervalMs?: number;
}

export class WatchedDataset {
  /** Grows by one every time the data set is rebuilt. */
  version = 0;
  dataset: EmissionsDataset = buildDataset([]);

  private readonly files: string[];
  private readonly pollIntervalMs: number;
  private readonly readings = new Map<string, { stamp: string; reading: FileReading }>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(options: WatchedDatasetOptions) {
    this.files = uniquePaths(options.files);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  /** Reads every file and starts watching them. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Re-reads the files that changed since the last check; one check at a time. */
  check(): Promise<void> {
    this.checking ??= this.reloadChanged().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async reloadChanged(): Promise<void> {
    let changed = false;
    for (const file of this.files) {
      const stamp = await stampOf(file);
      if (this.readings.get(file)?.stamp === stamp) continue;
      this.readings.set(file, { stamp, reading: await readEmissionsFile(file) });
      changed = true;
    }
    if (!changed) return;

    this.dataset = buildDataset(
      this.files.map((file) => this.readings.get(file)?.reading as FileReading),
    );
    this.version++;
  }
}

async function stampOf(file: string): Promise<string> {
  try {
    const stats = await stat(file);
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch (error) {
    return `error:${(error as NodeJS.ErrnoException).code ?? 'unknown'}`;
  }
}
