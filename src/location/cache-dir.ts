import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface CacheDirContext {
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  homeDir?: string;
}

/**
 * The user's cache directory for codecarbon, by platform convention: `$XDG_CACHE_HOME` or
 * `~/.cache` on Linux and other Unixes, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
 * Windows. Only cached lookups live there; deleting it is always safe.
 */
export function userCacheDir(context: CacheDirContext): string {
  const platform = context.platform ?? process.platform;
  const home = context.homeDir ?? homedir();
  if (platform === 'win32') {
    const local = absolute(context.env.LOCALAPPDATA) ?? join(home, 'AppData', 'Local');
    return join(local, 'codecarbon', 'Cache');
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'codecarbon');
  // The XDG specification says a relative value is invalid and must be ignored.
  const xdg = absolute(context.env.XDG_CACHE_HOME) ?? join(home, '.cache');
  return join(xdg, 'codecarbon');
}

function absolute(path: string | undefined): string | undefined {
  return path !== undefined && path !== '' && isAbsolute(path) ? path : undefined;
}
