/** The report as terminal text and as Markdown (e.g. for `$GITHUB_STEP_SUMMARY`). */

import type { Report } from './build-report.js';
import type { Equivalent } from './equivalents.js';
import { printable, printableLines } from './printable.js';
import { locationTable, PARTIAL_MARK, projectTable, runTable } from './report-tables.js';
import type { Totals } from './summary.js';
import { markdownTable, textTable } from './text-table.js';
import { ENERGY_SCALES, formatAmount, formatNumber, MASS_SCALES } from './units.js';
import { formatWallClock } from './wall-clock.js';

export interface RenderOptions {
  /** How many of the latest runs to list. */
  runs: number;
}

/** Every string from a file or the command line is shown as `printable`: see printable.ts. */
export function renderText(report: Report, options: RenderOptions): string {
  return printableLines(composeText(report, options));
}

export function renderMarkdown(report: Report, options: RenderOptions): string {
  return printableLines(composeMarkdown(report, options));
}

function composeText(report: Report, options: RenderOptions): string {
  if (report.runs.length === 0) return `${headline(report)}\n\nNo runs to report.\n`;

  const projects = projectTable(report);
  const runs = runTable(report.runs, options.runs);
  const locations = locationTable(report);
  const parts = [headline(report), textTable(projects.columns, projects.rows)];
  parts.push(`${LOCATIONS_TITLE}\n${textTable(locations.columns, locations.rows)}`);
  if (runs.rows.length > 0) {
    parts.push(`${latestTitle(report, runs.rows.length)}\n${textTable(runs.columns, runs.rows)}`);
  }
  parts.push(
    [
      `Everyday equivalents of ${footprint(report)}`,
      ...report.equivalents.map(
        (equivalent) =>
          `  ≈ ${equivalentText(equivalent)}\n      ${equivalent.factorText}\n      ${equivalent.source}, ${equivalent.url}`,
      ),
    ].join('\n'),
  );
  parts.push(footnote(report));
  return `${parts.join('\n\n')}\n`;
}

function composeMarkdown(report: Report, options: RenderOptions): string {
  const parts = ['### Carbon footprint', markdownHeadline(report)];
  if (report.runs.length > 0) {
    const projects = projectTable(report);
    const runs = runTable(report.runs, options.runs);
    const locations = locationTable(report);
    parts.push(markdownTable(projects.columns, projects.rows));
    parts.push(`${LOCATIONS_TITLE}\n\n${markdownTable(locations.columns, locations.rows)}`);
    if (runs.rows.length > 0) {
      parts.push(
        `<details><summary>${latestTitle(report, runs.rows.length)}</summary>\n\n` +
          `${markdownTable(runs.columns, runs.rows)}\n\n</details>`,
      );
    }
    parts.push(
      [
        `Everyday equivalents of ${footprint(report)}:`,
        '',
        ...report.equivalents.map(
          (equivalent) =>
            `- ≈ ${equivalentText(equivalent)} (${equivalent.factorText}; [${equivalent.source}](${equivalent.url}))`,
        ),
      ].join('\n'),
    );
  }
  const skipped = report.files.reduce((sum, file) => sum + file.skippedRows, 0);
  if (report.issues.length > 0) {
    parts.push(
      `_${report.issues.length} reading note${report.issues.length === 1 ? '' : 's'}` +
        `${skipped > 0 ? `, ${skipped} row${skipped === 1 ? '' : 's'} skipped` : ''}: ` +
        'run `codecarbon report` on the files to see them._',
    );
  }
  parts.push(`_${footnote(report)}_`);
  return `${parts.join('\n\n')}\n`;
}

const LOCATIONS_TITLE = 'Where the electricity came from';

const FOOTNOTE =
  'Intensity = emissions ÷ energy, g CO2eq/kWh; a source the files do not record is read ' +
  'from their location columns. Times are as written in the files ' +
  "(the writer's local time); a run counts at the time it ended.";

const PARTIAL_NOTE =
  `${PARTIAL_MARK.trim()} before a CPU, GPU or RAM total: only some of its runs recorded that ` +
  'component; the others are left out of it.';

/** The footnote, saying what `≥` means when a total of the project table shows it. */
function footnote(report: Report): string {
  const groups = report.projects.flatMap((project) => [project, ...project.experiments]);
  const partial = [report.totals, ...groups].some(isPartial);
  return partial ? `${FOOTNOTE} ${PARTIAL_NOTE}` : FOOTNOTE;
}

function isPartial({ runs, componentRuns }: Totals): boolean {
  return Object.values(componentRuns).some((known) => known > 0 && known < runs);
}

function headline(report: Report): string {
  const files = report.files.length;
  const runs = report.totals.runs;
  const projects = report.projects.length;
  const filter = describeFilter(report);
  return [
    `Emissions report: ${runs} run${runs === 1 ? '' : 's'} of ${projects} project${projects === 1 ? '' : 's'} ` +
      `from ${files} file${files === 1 ? '' : 's'}${period(report)}`,
    filter ? `Filter: ${filter}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}

function markdownHeadline(report: Report): string {
  if (report.runs.length === 0) return 'No runs to report.';
  const filter = describeFilter(report);
  return (
    `**${formatAmount(report.totals.emissionsKg, MASS_SCALES)} CO2eq** from ` +
    `**${formatAmount(report.totals.energyKwh, ENERGY_SCALES)}** over ${report.totals.runs} ` +
    `run${report.totals.runs === 1 ? '' : 's'}${period(report)}.${filter ? ` Filter: ${filter}.` : ''}`
  );
}

function period(report: Report): string {
  const { firstEndMs, lastEndMs } = report.totals;
  if (firstEndMs === undefined || lastEndMs === undefined) return '';
  return `, ended ${formatWallClock(firstEndMs)} → ${formatWallClock(lastEndMs)}`;
}

function describeFilter(report: Report): string {
  const { projects, experiments, since, until } = report.filter;
  return [
    projects.length > 0 ? `project ${projects.map(printable).join(', ')}` : undefined,
    experiments.length > 0 ? `experiment ${experiments.map(printable).join(', ')}` : undefined,
    since ? `since ${since}` : undefined,
    until ? `until ${until}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
}

function latestTitle(report: Report, shown: number): string {
  return shown === report.runs.length
    ? `Runs, newest first`
    : `Latest ${shown} of ${report.runs.length} runs (--runs N to list more)`;
}

function footprint(report: Report): string {
  return `${formatAmount(report.totals.emissionsKg, MASS_SCALES)} CO2eq and ${formatAmount(report.totals.energyKwh, ENERGY_SCALES)}`;
}

function equivalentText(equivalent: Equivalent): string {
  if (equivalent.unit === 'h' && equivalent.value < 1) {
    return `${formatNumber(equivalent.value * 60)} min ${equivalent.label}`;
  }
  return `${formatNumber(equivalent.value)} ${equivalent.unit} ${equivalent.label}`;
}
