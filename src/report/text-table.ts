/** Plain-text and Markdown tables with aligned columns; cells are shown as `printable`. */

import { printable } from './printable.js';

export interface Column {
  header: string;
  align: 'left' | 'right';
}

/** Space-padded columns, two spaces apart, header first. */
export function textTable(columns: readonly Column[], rawRows: readonly (readonly string[])[]) {
  const rows = rawRows.map((row) => row.map(printable));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        const width = widths[i] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...rows.map(line)].join('\n');
}

/** A GitHub-flavoured Markdown table; `|` in cells is escaped. */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]) {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell) => printable(cell).replaceAll('|', '\\|')).join(' | ')} |`;
  const rule = `| ${columns.map((column) => (column.align === 'right' ? '---:' : ':---')).join(' | ')} |`;
  return [line(columns.map((column) => column.header)), rule, ...rows.map(line)].join('\n');
}
