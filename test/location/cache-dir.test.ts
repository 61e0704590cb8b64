import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userCacheDir } from '../../src/location/cache-dir.js';

describe('userCacheDir', () => {
  const home = '/home/ada';

  it('follows XDG on Linux, ignoring a relative XDG_CACHE_HOME', () => {
    expect(userCacheDir({ env: {}, platform: 'linux', homeDir: home })).toBe(
      join(home, '.cache', 'codecarbon'),
    );
    expect(
      userCacheDir({ env: { XDG_CACHE_HOME: '/var/cache/ada' }, platform: 'linux', homeDir: home }),
    ).toBe(join('/var/cache/ada', 'codecarbon'));
    expect(
      userCacheDir({ env: { XDG_CACHE_HOME: 'rel/cache' }, platform: 'linux', homeDir: home }),
    ).toBe(join(home, '.cache', 'codecarbon'));
  });

  it('uses ~/Library/Caches on macOS', () => {
    expect(userCacheDir({ env: {}, platform: 'darwin', homeDir: home })).toBe(
      join(home, 'Library', 'Caches', 'codecarbon'),
    );
  });

  it('uses LOCALAPPDATA on Windows', () => {
    const env = { LOCALAPPDATA: '/c/Users/ada/AppData/Local' };
    expect(userCacheDir({ env, platform: 'win32', homeDir: home })).toBe(
      join(env.LOCALAPPDATA, 'codecarbon', 'Cache'),
    );
    expect(userCacheDir({ env: {}, platform: 'win32', homeDir: home })).toBe(
      join(home, 'AppData', 'Local', 'codecarbon', 'Cache'),
    );
  });
});
