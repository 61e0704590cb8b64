import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO, sandbox, start } from '../../helpers/cli.js';

// Runs the built package (dist/) in a fresh process, where the module cache starts empty.
const INDEX = pathToFileURL(join(REPO, 'dist', 'index.js')).href;

describe('heavy output libraries load lazily', () => {
  it('importing the package or building a tracker loads neither OpenTelemetry nor prom-client on the main thread', async () => {
    const box = sandbox();
    const file = join(box.dir, 'probe.mjs');
    writeFileSync(
      file,
      `import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
const heavy = () => Object.keys(cache).filter((path) => /@opentelemetry|prom-client/.test(path)).length;
const { OfflineEmissionsTracker } = await import(${JSON.stringify(INDEX)});
const afterImport = heavy();
new OfflineEmissionsTracker({
  countryIsoCode: 'FRA', outputMethods: [], otlpEndpoint: 'http://127.0.0.1:9',
  allowMultipleRuns: true, installExitHandlers: false, logLevel: 'critical',
});
const afterConstruction = heavy();
new OfflineEmissionsTracker({
  countryIsoCode: 'FRA', outputMethods: ['prometheus'], prometheusUrl: '127.0.0.1:9',
  allowMultipleRuns: true, installExitHandlers: false, logLevel: 'critical',
});
console.log(JSON.stringify({ afterImport, afterConstruction, withPushgateway: heavy() }));
`,
    );
    const result = await start(process.execPath, [file], { cwd: box.dir, env: box.env }).done;
    expect(result.code).toBe(0);
    const counts = JSON.parse(result.stdout) as Record<string, number>;
    expect(counts.afterImport).toBe(0);
    expect(counts.afterConstruction).toBe(0); // the SDK waits for the first output
    // prom-client is loaded when that output is built: in the sampling worker, at start().
    expect(counts.withPushgateway).toBe(0);
  });
});
