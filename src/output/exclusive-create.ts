import { randomBytes } from 'node:crypto';
import { linkSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Errors meaning the file system has no hard links (FAT, some network mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Creates the file with `content`, complete from the first moment: written beside it, then
 * hard-linked into place (which fails if the file exists). Another process never sees it
 * empty or half-written (it would write a second header, or be overwritten by ours). Without
 * hard links (FAT), an exclusive create. False when the file already exists.
 */
export function createExclusively(path: string, content: string): boolean {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const exists = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EEXIST';
  try {
    writeFileSync(temporary, content, { flag: 'wx' });
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if (exists(error)) return false;
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  try {
    writeFileSync(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if (exists(error)) return false;
    throw error;
  }
}
