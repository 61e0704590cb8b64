import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../src/cli/report-command.js';
import { buildReport } from '../../src/report/build-report.js';
import { loadEmissionsFiles } from '../../src/report/dataset.js';
import { printable } from '../../src/report/printable.js';
import { renderMarkdown, renderText } from '../../src/report/render-report.js';
import { FIXTURES } from './fixture-files.js';

// Clears the screen, retitles the terminal window, then CSI in its 8-bit (C1) form.
const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007x\u009b31m';
const SHOWN = '\\x1b[2J\\x1b]0;pwned\\x07x\\x9b31m';

describe('printable', () => {
  it('shows C0, DEL and C1 controls, line breaks included, as \\xNN and leaves other text alone', () => {
    expect(printable(HOSTILE)).toBe(SHOWN);
    expect(printable('a\r\nb\tc\u007f\u0000')).toBe('a\\x0d\\x0ab\\x09c\\x7f\\x00');
    expect(printable('Île-de-France, 56 g/kWh ≈ ok')).toBe('Île-de-France, 56 g/kWh ≈ ok');
  });
});

describe('report rendering of hostile file content', () => {
  it('never prints a control character from a CSV cell or header', async () => {
    const file = hostileCopy();
    const report = buildReport(await loadEmissionsFiles([file]), {});
    const text = renderText(report, { runs: 10 });
    const markdown = renderMarkdown(report, { runs: 10 });
    const notes = formatIssues(report.issues);

    for (const output of [text, markdown, notes]) expect(controlsIn(output)).toEqual([]);
    expect(text).toMatch(new RegExp(`^${escapeRegExp(SHOWN)} +5b0fa12a `, 'm'));
    expect(text).toContain(`line\\x0atwo`);
    expect(markdown).toContain(`| ${SHOWN} | 5b0fa12a |`);
    expect(markdown).toContain(`line\\x0atwo`);
    expect(notes).toContain(`unknown column ${SHOWN}: kept as extra fields of each run`);
    expect(notes).toContain(`:4: emissions "${SHOWN}" is not a number: row skipped`);
  });

  it('shows a hostile --project filter in the headline without its controls', async () => {
    const report = buildReport(await loadEmissionsFiles([FIXTURES.node]), {
      projects: [HOSTILE],
    });
    expect(renderText(report, { runs: 10 })).toContain(`Filter: project ${SHOWN}`);
  });
});

/**
 * The node fixture with an escape sequence as web-api's project name, a line break inside a
 * region cell, an extra column named with the sequence, and one row whose emissions cell is
 * the sequence (line 4, after the line break of row 1; skipped).
 */
function hostileCopy(): string {
  const quoted = `"${HOSTILE}"`;
  const [header, ...rows] = readFileSync(FIXTURES.node, 'utf8').trimEnd().split('\n');
  const columns = (header as string).split(',');
  const emissions = columns.indexOf('emissions');
  const region = columns.indexOf('region');
  const lines = [`${header},${quoted}`];
  rows.forEach((row, i) => {
    const cells = row.replaceAll('web-api', HOSTILE).split(',');
    cells[region] = '"line\ntwo"';
    if (i === 1) cells[emissions] = HOSTILE;
    lines.push(`${cells.map((cell) => (cell.includes('\u001b') ? `"${cell}"` : cell)).join(',')},`);
  });
  const file = join(tmpdir(), 'hostile.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Code points of the control characters in `text`, but the line breaks between lines. */
function controlsIn(text: string): number[] {
  return [...text]
    .map((character) => character.codePointAt(0) ?? 0)
    .filter((code) => (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
