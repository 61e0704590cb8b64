// Measure a block of your own code with the library.
// Usage (after `npm run build`): node examples/library-usage.mjs
import { OfflineEmissionsTracker } from '../dist/index.js';

const tracker = new OfflineEmissionsTracker({
  countryIsoCode: 'FRA',
  projectName: 'example',
  measurePowerSecs: 1,
  logLevel: 'warning',
});
tracker.start();

let sum = 0;
const until = Date.now() + 2000;
while (Date.now() < until) sum += Math.sqrt(Math.random());

const kg = await tracker.stop();
const record = tracker.finalEmissionsData;
console.log(`(checksum ${sum.toFixed(1)})`);
console.log(`${(kg * 1000).toFixed(4)} g CO2eq, ${(record.energyConsumed * 1000).toFixed(4)} Wh`);
console.log(`CPU measured by ${record.cpuMethod}, intensity from ${record.carbonIntensitySource}`);
