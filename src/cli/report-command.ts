import type { Command } from 'commander';
import type { ReadIssue } from '../report/read-emissions-file.js';
import type { RunFilter } from '../report/run-filter.js';
import { UsageError } from './usage-error.js';

/** `main.ts`'s wrapper that turns configuration and usage errors into one line, status 1. */
export type Guard = <A extends unknown[]>(
  action: (...args: A) => Promise<void> | void,
) => (...args: A) => Promise<void>;

/** Issues printed per file before the rest is summed up in one line. */
const ISSUES_SHOWN_PER_FILE = 20;

/** `codecarbon report [files…]`: what the runs in emissions files cost, per project and run. */
export function addReportCommand(program: Command, guard: Guard): void {
  addRunFilterOptions(
    program
      .command('report')
      .description(
        'Summarise emissions CSV files (this tool or Python CodeCarbon): totals per project, ' +
          'experiment and run, energy per component, intensity and everyday equivalents.',
      )
      .argument('[files...]', 'emissions CSV files (default: ./emissions.csv)'),
  )
    .option('--json', 'print JSON, every run included')
    .option('--markdown', 'print Markdown, e.g. >> "$GITHUB_STEP_SUMMARY"')
    .option('--runs <count>', 'how many of the latest runs to list', '10')
    .action(
      guard((files: string[], options: Record<string, unknown>) => runReport(files, options)),
    );
}

/** `--project`, `--experiment`, `--since`, `--until`, shared with `codecarbon dashboard`. */
export function addRunFilterOptions(command: Command): Command {
  return command
    .option('--project <name>', 'only this project (repeat for several)', collect, [])
    .option('--experiment <id>', 'only this experiment id (repeat for several)', collect, [])
    .option('--since <date>', 'only runs that ended at or after YYYY-MM-DD[THH:MM[:SS]]')
    .option(
      '--until <date>',
      'only runs that ended at or before it (a date alone: that whole day)',
    );
}

async function runReport(files: string[], options: Record<string, unknown>): Promise<void> {
  const filter = await runFilterFrom(options);
  const runCount = parseRunCount(options.runs);
  if (options.json && options.markdown) throw new UsageError('choose one of --json and --markdown');

  const { loadEmissionsFiles } = await import('../report/dataset.js');
  const { buildReport } = await import('../report/build-report.js');
  const { renderMarkdown, renderText } = await import('../report/render-report.js');
  const dataset = await loadEmissionsFiles(files.length > 0 ? files : ['emissions.csv']);
  process.stderr.write(formatIssues(dataset.issues));
  if (!dataset.files.some((file) => file.found)) {
    process.exitCode = 1;
    return;
  }

  const report = buildReport(dataset, filter);
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (options.markdown) process.stdout.write(renderMarkdown(report, { runs: runCount }));
  else process.stdout.write(renderText(report, { runs: runCount }));
}

export async function runFilterFrom(options: Record<string, unknown>): Promise<RunFilter> {
  const { parseDateBound } = await import('../report/wall-clock.js');
  const bound = (key: 'since' | 'until') => {
    const text = options[key];
    if (typeof text !== 'string') return undefined;
    const ms = parseDateBound(text, key);
    if (ms === undefined) {
      throw new UsageError(
        `--${key} ${JSON.stringify(text)} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]`,
      );
    }
    return ms;
  };
  return {
    projects: stringList(options.project),
    experiments: stringList(options.experiment),
    sinceMs: bound('since'),
    untilMs: bound('until'),
  };
}

/** `file:line: message` lines, at most a screenful per file. */
export function formatIssues(issues: readonly ReadIssue[]): string {
  const perFile = new Map<string, number>();
  let text = '';
  for (const issue of issues) {
    const count = (perFile.get(issue.file) ?? 0) + 1;
    perFile.set(issue.file, count);
    if (count > ISSUES_SHOWN_PER_FILE) continue;
    const where = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
    text += `codecarbon: ${where}: ${issue.message}\n`;
  }
  for (const [file, count] of perFile) {
    if (count > ISSUES_SHOWN_PER_FILE) {
      text += `codecarbon: ${file}: ${count - ISSUES_SHOWN_PER_FILE} more notes (--json lists them all)\n`;
    }
  }
  return text;
}

function parseRunCount(value: unknown): number {
  const count = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(count)) {
    throw new UsageError(`--runs ${JSON.stringify(value)} is not a whole number ≥ 0`);
  }
  return count;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}
