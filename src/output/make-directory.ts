import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and its missing parents one level at a time, each tried once. Node's
 * recursive mkdir loops forever where mkdir answers ENOENT under a parent that exists (as
 * in /proc/sys); here a path costs at most one call per level.
 */
export function makeDirectorySync(dir: string): void {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    const kind = pathKind(current);
    if (kind === 'directory') break;
    if (kind === 'file') {
      throw Object.assign(new Error(`ENOTDIR: ${current} is a file, not a directory`), {
        code: 'ENOTDIR',
      });
    }
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      // Another process may have made it between our look and our call: that is success.
      const made = (error as NodeJS.ErrnoException).code === 'EEXIST';
      if (!made || pathKind(path) !== 'directory') throw error;
    }
  }
}

function pathKind(path: string): 'directory' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}
