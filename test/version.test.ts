import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { VERSION } from '../src/version.js';

describe('package', () => {
  it('VERSION equals the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('the public entry exports the trackers, wrappers, carbonIntensity and lookupCpuTdp', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'ConfigError',
        'EmissionsTracker',
        'OUTPUT_METHODS',
        'OfflineEmissionsTracker',
        'VERSION',
        'carbonIntensity',
        'lookupCpuTdp',
        'trackEmissions',
        'trackTaskEmissions',
      ].sort(),
    );
  });
});
