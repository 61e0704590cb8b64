import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, sandbox, start } from '../../helpers/cli.js';
import { find, parseExposition } from './exposition.js';
import { freePort } from './pushgateway-process.js';

// These run the built package (dist/), as the end-to-end tests do: `npm test` builds first.
const INDEX = pathToFileURL(join(REPO, 'dist', 'index.js')).href;

describe('Prometheus scrape endpoint in a real process', () => {
  it('a library user: the endpoint answers while the program runs, and does not keep it alive', async () => {
    const box = sandbox();
    const port = await freePort();
    const file = join(box.dir, 'program.mjs');
    writeFileSync(
      file,
      `import { OfflineEmissionsTracker } from ${JSON.stringify(INDEX)};
const tracker = new OfflineEmissionsTracker({
  countryIsoCode: 'FRA', outputMethods: [], prometheusPort: ${port}, logLevel: 'error',
  allowMultipleRuns: true, installExitHandlers: false,
});
tracker.start();
await tracker.flush();
const text = await (await fetch('http://127.0.0.1:${port}/metrics')).text();
console.log(text.split('\\n').filter((line) => line.startsWith('codecarbon_power_watts')).length);
// No stop(): the program ends here and the endpoint must not hold it open.
`,
    );
    const { child, done } = start(process.execPath, [file], { cwd: box.dir, env: box.env });
    // A process held open by the endpoint is ended here, so the failure is reported, not hung.
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const result = await done;
    clearTimeout(guard);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('3'); // cpu, gpu and ram power gauges
  });

  it('codecarbon monitor --prometheus-port serves /metrics while the command runs', async () => {
    const box = sandbox();
    const port = await freePort();
    // The monitored command scrapes its own agent after a few outputs.
    const scraper = `setTimeout(async () => { const r = await fetch('http://127.0.0.1:${port}/metrics'); process.stdout.write(await r.text()); }, 1500);`;
    const result = await runCli(
      [
        'monitor',
        '--offline',
        '--country-iso-code',
        'FRA',
        '--prometheus-port',
        String(port),
        '--measure-power-secs',
        '0.2',
        '--api-call-interval',
        '1',
        '--allow-multiple-runs',
        '--',
        process.execPath,
        '-e',
        scraper,
      ],
      box,
    );
    expect(result.code).toBe(0);
    const samples = parseExposition(result.stdout);
    const cpu = find(samples, 'codecarbon_energy_joules_total', { component: 'cpu' });
    expect(cpu).toHaveLength(1);
    expect(cpu[0]?.value).toBeGreaterThan(0);
    expect(cpu[0]?.labels).toMatchObject({ project_name: 'codecarbon', experiment_name: 'base' });
    expect(find(samples, 'codecarbon_emissions_kg_total')[0]?.labels.carbon_intensity_source).toBe(
      'country',
    );
  });
});
