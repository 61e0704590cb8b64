/**
 * A spool: the journal of one run's records that a server has not accepted yet, kept in
 * `output_dir` so that a crash or a restart loses nothing. One JSON object per line, written
 * with synchronous calls (the last record of a run may be spooled from a process 'exit'
 * handler), deleted as soon as nothing is pending. Holds no secret: tokens live in memory only.
 *
 *   {"t":"open","v":1,"kind":"api","target":…,"experimentId":…,"runId":…,"pid":…,"host":…}
 *   {"t":"meta","key":"run","value":{…}}      what the sender needs again (run payload, server id)
 *   {"t":"item","seq":1,"body":{…}}           a record to deliver, in order
 *   {"t":"done","through":1}                  every item up to seq 1 is settled
 *   {"t":"owner","pid":…,"host":…}            another process took the spool over
 */

import { appendFileSync, existsSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { makeDirectorySync } from '../make-directory.js';

export type SpoolKind = 'api' | 'http';

export interface SpoolHeader {
  kind: SpoolKind;
  /** Destination URL, without credentials. */
  target: string;
  experimentId: string;
  /** The tracker's own run id. */
  runId: string;
}

export interface SpoolItem {
  seq: number;
  body: unknown;
}

export interface SpoolContents {
  header: SpoolHeader;
  owner: { pid: number; host: string };
  meta: Record<string, unknown>;
  /** Items not settled yet, in order. */
  pending: SpoolItem[];
  lastSeq: number;
}

const FILE_NAME = /^\.codecarbon-(api|http)-spool\.([A-Za-z0-9_-]+)\.(\d+)\.jsonl$/;
/** How often an owner refreshes its spools' modification time, so others see it is alive. */
export const HEARTBEAT_MS = 60_000;

/** `.codecarbon-api-spool.<run id>.<pid>.jsonl`: the owner's pid is part of the name. */
export function spoolFileName(kind: SpoolKind, runId: string, pid: number): string {
  return `.codecarbon-${kind}-spool.${runId.replace(/[^A-Za-z0-9_-]/g, '_')}.${pid}.jsonl`;
}

export function parseSpoolFileName(
  name: string,
): { kind: SpoolKind; runId: string; pid: number } | undefined {
  const match = FILE_NAME.exec(name);
  if (!match) return undefined;
  return { kind: match[1] as SpoolKind, runId: match[2] as string, pid: Number(match[3]) };
}

/** The spool of one run, owned by this process. Every method may throw an fs error. */
export class SpoolFile {
  private readonly meta: Record<string, unknown>;

  constructor(
    readonly path: string,
    private readonly header: SpoolHeader,
    meta: Record<string, unknown> = {},
  ) {
    this.meta = { ...meta };
    register(path);
  }

  /** A new spool for a run of this process in `dir`; nothing is written before the first item. */
  static create(dir: string, header: SpoolHeader, meta: Record<string, unknown>): SpoolFile {
    return new SpoolFile(
      join(dir, spoolFileName(header.kind, header.runId, process.pid)),
      header,
      meta,
    );
  }

  get runId(): string {
    return this.header.runId;
  }

  getMeta(key: string): unknown {
    return this.meta[key];
  }

  /** Remembers `value`; written now if the file exists, else when it is (re)created. */
  setMeta(key: string, value: unknown): void {
    this.meta[key] = value;
    if (existsSync(this.path)) appendLines(this.path, [{ t: 'meta', key, value }]);
  }

  /** Appends `item`; a missing file is created with the header, meta and all of `pending`. */
  append(item: SpoolItem, pending: readonly SpoolItem[]): void {
    if (existsSync(this.path)) {
      appendLines(this.path, [{ t: 'item', seq: item.seq, body: item.body }]);
      return;
    }
    makeDirectorySync(dirname(this.path));
    appendLines(this.path, [
      { t: 'open', v: 1, ...this.header, pid: process.pid, host: hostname() },
      ...Object.entries(this.meta).map(([key, value]) => ({ t: 'meta', key, value })),
      ...pending.map((p) => ({ t: 'item', seq: p.seq, body: p.body })),
    ]);
  }

  /** Items up to `through` are settled; with nothing left the file goes away. */
  settle(through: number, remaining: number): void {
    if (remaining === 0) rmSync(this.path, { force: true });
    else if (existsSync(this.path)) appendLines(this.path, [{ t: 'done', through }]);
  }

  /** Records that this process now owns a spool taken over from another one. */
  markOwner(): void {
    appendLines(this.path, [{ t: 'owner', pid: process.pid, host: hostname() }]);
  }

  /** This process stops working on the spool; another output may take it over. */
  release(): void {
    unregister(this.path);
  }
}

/** Reads a spool; undefined when the file is missing or is not a spool. */
export function readSpool(path: string): SpoolContents | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let contents: SpoolContents | undefined;
  const items: SpoolItem[] = [];
  let settled = 0;
  for (const raw of text.split('\n')) {
    // A line cut short by a crash is skipped; the lines before it are intact.
    const line = parseLine(raw);
    if (!line) continue;
    if (!contents) {
      if (line.t !== 'open' || line.v !== 1) return undefined;
      contents = openContents(line);
      continue;
    }
    if (line.t === 'owner') contents.owner = { pid: Number(line.pid), host: String(line.host) };
    if (line.t === 'meta') contents.meta[String(line.key)] = line.value;
    if (line.t === 'item' && typeof line.seq === 'number')
      items.push({ seq: line.seq, body: line.body });
    if (line.t === 'done' && typeof line.through === 'number')
      settled = Math.max(settled, line.through);
  }
  if (!contents) return undefined;
  contents.pending = items.filter((item) => item.seq > settled);
  contents.lastSeq = items.reduce((last, item) => Math.max(last, item.seq), settled);
  return contents;
}

/** Spool paths this process is working on: never taken over, kept fresh by the heartbeat. */
export function isActiveSpool(path: string): boolean {
  return active.has(path);
}

// --- Lines -------------------------------------------------------------------------------------

type Line = Record<string, unknown> & { t: string };

function appendLines(path: string, lines: readonly Record<string, unknown>[]): void {
  appendFileSync(path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''), { mode: 0o600 });
}

function parseLine(raw: string): Line | undefined {
  if (raw.trim() === '') return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    return typeof value === 'object' && value !== null && 't' in value
      ? (value as Line)
      : undefined;
  } catch {
    return undefined;
  }
}

function openContents(line: Line): SpoolContents {
  return {
    header: {
      kind: line.kind === 'http' ? 'http' : 'api',
      target: String(line.target),
      experimentId: String(line.experimentId),
      runId: String(line.runId),
    },
    owner: { pid: Number(line.pid), host: String(line.host) },
    meta: {},
    pending: [],
    lastSeq: 0,
  };
}

// --- Ownership and heartbeat -------------------------------------------------------------------

const active = new Set<string>();
let heartbeat: NodeJS.Timeout | undefined;

function register(path: string): void {
  active.add(path);
  if (!heartbeat) {
    heartbeat = setInterval(touchActiveSpools, HEARTBEAT_MS);
    heartbeat.unref();
  }
}

function unregister(path: string): void {
  active.delete(path);
  if (active.size === 0 && heartbeat) {
    clearInterval(heartbeat);
    heartbeat = undefined;
  }
}

function touchActiveSpools(): void {
  const now = new Date();
  for (const path of active) {
    try {
      utimesSync(path, now, now);
    } catch {
      // No file: nothing pending for that run right now.
    }
  }
}
