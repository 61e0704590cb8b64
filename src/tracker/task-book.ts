import { randomUUID } from 'node:crypto';
import type { IntensityNow } from '../intensity/intensity-feed.js';
import type { TaskEmissionsData } from '../records/emissions-data.js';
import type { Snapshot } from './accountant.js';
import { buildRecord, type RunFacts } from './record-builder.js';

interface Task {
  name: string;
  /** Dropped once the task ends: its record is all that is kept. */
  start?: Snapshot;
  record?: TaskEmissionsData;
}

/**
 * Named tasks inside a run. Each task keeps the snapshot read when it started (a reading of
 * every sensor at that moment, not the last timer tick), so its record covers exactly its own
 * interval; tasks may overlap, and the run's readings and outputs go on around them.
 */
export class TaskBook {
  /** Every task in the order it started; a finished one keeps only its record. */
  private readonly tasks: Task[] = [];
  /** Running tasks by name, in the order they started (lookups stay O(1) with many tasks). */
  private readonly active = new Map<string, Task>();
  private readonly names = new Set<string>();

  /** Registers a task starting at `start`; returns its unique name. */
  begin(name: string | undefined, start: Snapshot): string {
    const wanted = name?.trim() || randomUUID();
    const unique = this.names.has(wanted) ? `${wanted}_${randomUUID()}` : wanted;
    const task: Task = { name: unique, start };
    this.tasks.push(task);
    this.active.set(unique, task);
    this.names.add(unique);
    return unique;
  }

  /** The most recently started task still running, if any. */
  latestActive(): string | undefined {
    let latest: string | undefined;
    for (const name of this.active.keys()) latest = name;
    return latest;
  }

  activeNames(): string[] {
    return [...this.active.keys()];
  }

  isActive(name: string): boolean {
    return this.active.has(name);
  }

  /** Ends a running task at `end`; undefined when no running task has that name. */
  end(
    name: string,
    end: Snapshot,
    facts: RunFacts,
    place: IntensityNow,
  ): TaskEmissionsData | undefined {
    const task = this.active.get(name);
    if (!task?.start) return undefined;
    task.record = { taskName: task.name, ...buildRecord(task.start, end, facts, place) };
    task.start = undefined;
    this.active.delete(name);
    return task.record;
  }

  /** Records of every finished task, in the order they were started. */
  finished(): TaskEmissionsData[] {
    return this.tasks.flatMap((task) => (task.record ? [{ ...task.record }] : []));
  }
}
