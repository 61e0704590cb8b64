import { renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCpuInfo } from '../../hardware/cpu-info.js';
import type { OnceLogger } from '../../log/logger.js';
import type { EmissionsData } from '../../records/emissions-data.js';
import type { OutputHandler } from '../handler.js';
import { makeDirectorySync } from '../make-directory.js';
import type { BoampsContext } from './boamps-context.js';
import { type BoampsMachine, buildBoampsReport } from './boamps-report.js';

export interface BoampsOutputOptions {
  outputDir: string;
  context: BoampsContext;
  logger: OnceLogger;
  /** Facts about the machine; read from the OS at the first report by default. */
  machine?: () => BoampsMachine;
}

/**
 * Writes `boamps_report_<run_id>.json` into the output directory at every flush and stop,
 * from the run's total record. The file is replaced atomically (written beside, then
 * renamed), so a reader never sees half a report. Failures are logged, never thrown.
 */
export class BoampsReportOutput implements OutputHandler {
  private machine: BoampsMachine | undefined;

  constructor(private readonly options: BoampsOutputOptions) {}

  /** Absolute path of the report of run `runId`. */
  reportPath(runId: string): string {
    return resolve(this.options.outputDir, `boamps_report_${runId}.json`);
  }

  out(total: EmissionsData): void {
    const path = this.reportPath(total.runId);
    try {
      this.machine ??= (this.options.machine ?? readMachine)();
      const report = buildBoampsReport(total, this.options.context, this.machine);
      makeDirectorySync(resolve(this.options.outputDir));
      const partial = join(
        resolve(this.options.outputDir),
        `.boamps_report_${total.runId}.json.tmp`,
      );
      writeFileSync(partial, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
      renameSync(partial, path);
      this.options.logger.info(`BoAmps report saved to ${path}`);
    } catch (error) {
      this.options.logger.once(
        'boamps-write',
        'error',
        `The BoAmps report ${path} could not be written (${error instanceof Error ? error.message : String(error)}); ` +
          'tracking continues and the next flush or stop tries again.',
      );
    }
  }
}

function readMachine(): BoampsMachine {
  return { cpuSockets: readCpuInfo().socketCount };
}
