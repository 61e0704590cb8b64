/**
 * Finds the spools nobody works on any more — left by a process that crashed or ended before
 * its server came back, or released by an earlier run of this process — and takes them over.
 * Taking over renames the file to this process's name: a rename is atomic, so when several
 * processes look at once exactly one of them gets each spool.
 */

import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  isActiveSpool,
  parseSpoolFileName,
  readSpool,
  type SpoolContents,
  SpoolFile,
  type SpoolKind,
  spoolFileName,
} from './spool-file.js';

/**
 * A spool whose owner cannot be checked (another host sharing `output_dir`, or a pid that
 * may have been reused) is taken over once its owner has not refreshed it for this long.
 */
export const STALE_MS = 30 * 60_000;

/** Which spools an output may resume: its own kind, destination and experiment. */
export interface SpoolMatch {
  kind: SpoolKind;
  target: string;
  experimentId: string;
}

export interface ClaimedSpool {
  spool: SpoolFile;
  contents: SpoolContents;
  previousOwner: { pid: number; host: string };
}

/** Takes over every abandoned spool in `dir` that matches; never throws. */
export function claimAbandonedSpools(dir: string, match: SpoolMatch): ClaimedSpool[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const claimed: ClaimedSpool[] = [];
  for (const name of names.sort()) {
    const parsed = parseSpoolFileName(name);
    if (!parsed || parsed.kind !== match.kind) continue;
    const path = join(dir, name);
    if (isActiveSpool(path)) continue;
    const contents = readSpool(path);
    if (!contents || !sameDestination(contents, match)) continue;
    if (!isAbandoned(path, parsed.pid, contents.owner.host)) continue;
    const taken = take(path, join(dir, spoolFileName(parsed.kind, parsed.runId, process.pid)));
    if (taken)
      claimed.push({ ...taken, previousOwner: { pid: parsed.pid, host: contents.owner.host } });
  }
  return claimed;
}

function sameDestination(contents: SpoolContents, match: SpoolMatch): boolean {
  const { header } = contents;
  return header.target === match.target && header.experimentId === match.experimentId;
}

function isAbandoned(path: string, pid: number, host: string): boolean {
  let modifiedMs: number;
  try {
    modifiedMs = statSync(path).mtimeMs;
  } catch {
    return false;
  }
  const stale = Date.now() - modifiedMs > STALE_MS;
  if (host !== hostname()) return stale;
  // Our own pid but not active here: an earlier output of this process released it.
  if (pid === process.pid) return true;
  return stale || !isProcessAlive(pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function take(path: string, ownPath: string): Omit<ClaimedSpool, 'previousOwner'> | undefined {
  if (ownPath !== path) {
    if (existsSync(ownPath)) return undefined;
    try {
      renameSync(path, ownPath);
    } catch {
      return undefined; // another process took it first
    }
  }
  // Read again: what counts is the file as it is now that it is ours.
  const contents = readSpool(ownPath);
  if (!contents) return undefined;
  const spool = new SpoolFile(ownPath, contents.header, contents.meta);
  try {
    if (ownPath !== path) spool.markOwner();
  } catch {
    // The rename already made it ours; the owner line only helps other hosts.
  }
  return { spool, contents };
}
