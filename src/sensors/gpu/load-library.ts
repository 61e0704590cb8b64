import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LibraryHandle } from 'koffi';

type Koffi = typeof import('koffi');

/**
 * Loads a vendor library through koffi. koffi is a native module that costs tens of
 * milliseconds to load, so it is required only here, and only once a GPU driver is present
 * or a library path was given: a machine without GPU never loads it.
 */

let koffi: Koffi | undefined;

export function loadKoffi(): Koffi {
  koffi ??= createRequire(import.meta.url)('koffi') as Koffi;
  return koffi;
}

export type OpenResult =
  | { ok: true; path: string; library: LibraryHandle; koffi: Koffi }
  | { ok: false; problems: string[] };

/** A library is opened once per process and path; later selections reuse it. */
const opened = new Map<string, LibraryHandle>();

/** Opens the first of `candidates` that loads (a file path or a name the loader resolves). */
export function openFirst(candidates: readonly string[]): OpenResult {
  const problems: string[] = [];
  let ffi: Koffi;
  try {
    ffi = loadKoffi();
  } catch (error) {
    return { ok: false, problems: [`the koffi FFI module did not load: ${messageOf(error)}`] };
  }

  for (const path of candidates) {
    const cached = opened.get(path);
    if (cached) return { ok: true, path, library: cached, koffi: ffi };
    try {
      const library = ffi.load(path);
      opened.set(path, library);
      return { ok: true, path, library, koffi: ffi };
    } catch (error) {
      problems.push(`${path}: ${messageOf(error)}`);
    }
  }
  return { ok: false, problems };
}

/** True when any of `paths` exists: a cheap hint that a driver is installed. */
export function anyExists(paths: readonly string[]): boolean {
  return paths.some((path) => existsSync(path));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
