import { randomUUID } from 'node:crypto';
import type { IntensityNow } from '../intensity/intensity-feed.js';
import type { TaskEmissionsData } from '../records/emissions-data.js';
import type { Snapshot } from './accountant.js';
import { buildRecord, type RunFacts } from './record-builder.js';

interface Task {
  name: string;
  start: Snapshot;
  record?: TaskEmissionsData;
}

/**
 * Named tasks inside a run. Each task keeps the snapshot read when it started (a reading of
 * every sensor at that moment, not the last timer tick), so its record covers exactly its own
 * interval; tasks may overlap, and the run's readings and outputs go on around them.
 */
export class TaskBook {
  private readonly tasks: Task[] = [];

  /** Registers a task starting at `start`; returns its unique name. */
  begin(name: string | undefined, start: Snapshot): string {
    const wanted = name?.trim() || randomUUID();
    const unique = this.tasks.some((task) => task.name === wanted)
      ? `${wanted}_${randomUUID()}`
      : wanted;
    this.tasks.push({ name: unique, start });
    return unique;
  }

  /** The most recently started task still running, if any. */
  latestActive(): string | undefined {
    return this.tasks.findLast((task) => !task.record)?.name;
  }

  activeNames(): string[] {
    return this.tasks.filter((task) => !task.record).map((task) => task.name);
  }

  isActive(name: string): boolean {
    return this.tasks.some((task) => task.name === name && !task.record);
  }

  /** Ends a running task at `end`; undefined when no running task has that name. */
  end(
    name: string,
    end: Snapshot,
    facts: RunFacts,
    place: IntensityNow,
  ): TaskEmissionsData | undefined {
    const task = this.tasks.find((candidate) => candidate.name === name && !candidate.record);
    if (!task) return undefined;
    task.record = { taskName: task.name, ...buildRecord(task.start, end, facts, place) };
    return task.record;
  }

  /** Records of every finished task, in the order they were started. */
  finished(): TaskEmissionsData[] {
    return this.tasks.flatMap((task) => (task.record ? [{ ...task.record }] : []));
  }
}
