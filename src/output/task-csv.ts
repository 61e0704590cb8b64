import { dirname } from 'node:path';
import {
  CSV_COLUMNS,
  type TaskEmissionsData,
  toSnakeCaseRecord,
} from '../records/emissions-data.js';
import { replaceFileAtomically } from './atomic-file.js';
import { formatCsvHeader, formatCsvRow } from './csv-format.js';
import { makeDirectorySync } from './make-directory.js';

/**
 * CodeCarbon's task file columns: `task_name`, then the run columns without `experiment_id`,
 * `pue` and `wue`. Unlike CodeCarbon, every row is complete (utilisation included).
 */
export const TASK_CSV_COLUMNS: readonly string[] = [
  'task_name',
  ...CSV_COLUMNS.filter((column) => !['experiment_id', 'pue', 'wue'].includes(column)),
];

/**
 * Rewrites the task file with one row per finished task, in the order they started. The file
 * belongs to one run (its name carries the run id), so it is replaced whole, atomically.
 * Throws when the file cannot be written; the caller logs (once per run of failures).
 */
export function writeTaskFile(path: string, tasks: readonly TaskEmissionsData[]): void {
  makeDirectorySync(dirname(path));
  const rows = tasks.map((task) =>
    formatCsvRow(TASK_CSV_COLUMNS, { task_name: task.taskName, ...toSnakeCaseRecord(task) }),
  );
  replaceFileAtomically(path, formatCsvHeader(TASK_CSV_COLUMNS) + rows.join(''));
}
