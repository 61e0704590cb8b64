import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes a temporary file beside `path`, then renames it over `path`. */
export function replaceFileAtomically(path: string, content: string): void {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, content, { mode: existingMode(path) });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function existingMode(path: string): number {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return 0o644;
  }
}

/**
 * Appends `text` (O_APPEND) all or nothing: when the disk cuts the write short (ENOSPC,
 * EDQUOT, EFBIG), the part that got in is cut off again before the error is rethrown, so the
 * file never keeps half a row. The cut is made only when the file grew by exactly our bytes;
 * a row another process appended meanwhile stays (and the next append closes ours off).
 * Found by test/robustness/output-dir-faults.test.ts on a full tmpfs.
 */
export function appendWholly(path: string, text: string): void {
  const bytes = Buffer.from(text);
  const fd = openSync(path, 'a');
  try {
    const sizeBefore = fstatSync(fd).size;
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch (error) {
      if (written > 0 && fstatSync(fd).size === sizeBefore + written) {
        ftruncateSync(fd, sizeBefore);
      }
      throw error;
    }
  } finally {
    closeSync(fd);
  }
}
