import { resolve } from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import { loadBoampsContext } from '../boamps/boamps-context.js';
import { BoampsReportOutput } from '../boamps/boamps-output.js';
import { makeDirectorySync } from '../make-directory.js';
import type { OutputBuilder, OutputContext } from './output-context.js';

/**
 * The 'boamps' output method. The user context (`boamps_context` or `boamps_context_file`) is
 * read now, so a missing or malformed file fails construction instead of every report.
 */
export function boampsOutput(context: OutputContext): OutputBuilder {
  const { config, logger } = context;
  const userContext = loadBoampsContext(config) ?? {};
  ensureOutputDir(context);
  return () => {
    if (userContext.task === undefined) {
      logger.once(
        'boamps-no-task',
        'warn',
        'BoAmps reports need a task (stage, family, algorithms, dataset) to be valid against the ' +
          'BoAmps schema: add one with boamps_context_file (or the boampsContext option).',
      );
    }
    logger.info(`BoAmps reports will be saved in ${resolve(config.outputDir)}`);
    return new BoampsReportOutput({ outputDir: config.outputDir, context: userContext, logger });
  };
}

function ensureOutputDir({ config }: OutputContext): void {
  try {
    makeDirectorySync(resolve(config.outputDir));
  } catch (error) {
    throw new ConfigError({
      key: 'output_dir',
      value: config.outputDir,
      source: config.sources.output_dir ?? { kind: 'default' },
      accepted: `a directory that exists or can be created (${error instanceof Error ? error.message : String(error)})`,
    });
  }
}
