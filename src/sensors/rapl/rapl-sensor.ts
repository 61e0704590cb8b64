import type { OnceLogger } from '../../log/logger.js';
import type { MeasuredSensor, SensorReading } from '../sensor.js';
import { type ReadTextFile, readCounterUj, readSysfsFile } from './counter-file.js';
import { MirrorFilter } from './mirror-filter.js';
import type { PowercapZone } from './powercap-zones.js';
import { ZoneCounter } from './zone-counter.js';

export interface RaplSensorOptions {
  component: 'cpu' | 'ram';
  /** `rapl-package`, `rapl-psys` or `rapl-dram`. */
  method: string;
  zones: readonly PowercapZone[];
  logger: OnceLogger;
  readFile?: ReadTextFile;
}

/**
 * Energy of a set of RAPL zones, summed: each zone's counter difference between reads
 * (wraps handled), mirrors counted once. A plain synchronous object: it reads sysfs files
 * when asked and keeps no timer, so it works the same on the main thread or in a worker.
 * RAPL measures the whole machine, whatever the tracking mode.
 */
export class RaplSensor implements MeasuredSensor {
  readonly component: 'cpu' | 'ram';
  readonly method: string;
  readonly description: string;
  lastFailure: string | undefined;

  private readonly zones: readonly PowercapZone[];
  private readonly counters: ZoneCounter[];
  private readonly mirrors: MirrorFilter;
  private readonly readFile: ReadTextFile;
  private readonly logger: OnceLogger;
  private energyJ = 0;
  private powerW = 0;
  private lastS = 0;

  constructor(options: RaplSensorOptions) {
    this.component = options.component;
    this.method = options.method;
    this.zones = options.zones;
    this.logger = options.logger;
    this.readFile = options.readFile ?? readSysfsFile;
    this.description = describeZones(options.zones);
    this.counters = options.zones.map(
      (zone) =>
        new ZoneCounter(zone.maxEnergyRangeUj, {
          dropped: (detail) =>
            this.logger.once(
              `rapl:dropped:${zone.id}`,
              'warn',
              `RAPL counter ${zone.systemPath}/energy_uj ${detail}: that interval's ${zone.name} energy is dropped (warned once).`,
            ),
        }),
    );
    this.mirrors = new MirrorFilter(
      options.zones.map((zone) => zone.kind),
      (zone, reference, mirror) => this.sayMirror(zone, reference, mirror),
    );
  }

  start(nowS: number): void {
    const values = this.readAll();
    this.counters.forEach((counter, index) => {
      counter.start(values[index], nowS);
    });
    this.mirrors.start(values);
    this.energyJ = 0;
    this.powerW = 0;
    this.lastS = nowS;
  }

  read(nowS: number): SensorReading {
    if (nowS <= this.lastS) return { energyJ: this.energyJ, powerW: this.powerW };

    const values = this.readAll();
    const steps = this.counters.map((counter, index) => counter.step(values[index], nowS));
    const countedUj = this.mirrors.apply(steps);

    let stepUj = 0;
    let powerW = 0;
    for (let index = 0; index < this.counters.length; index += 1) {
      stepUj += countedUj[index] ?? 0;
      if (this.mirrors.counts(index)) powerW += this.counters[index]?.powerW ?? 0;
    }
    this.energyJ += stepUj / 1e6;
    this.powerW = powerW;
    this.lastS = nowS;
    return { energyJ: this.energyJ, powerW };
  }

  /**
   * One read per zone; a failure is said once per zone, reads as undefined and is named in
   * `lastFailure`.
   */
  private readAll(): (number | undefined)[] {
    const failures: string[] = [];
    const values = this.zones.map((zone) => {
      const read = readCounterUj(this.readFile, zone.energyPath);
      if (read.ok) return read.valueUj;
      failures.push(`${zone.systemPath}/energy_uj: ${read.reason}`);
      this.logger.once(
        `rapl:read:${zone.id}`,
        'warn',
        `Could not read RAPL counter ${zone.systemPath}/energy_uj (${read.reason}); its last good reading is kept and the energy is counted at the next good read (warned once).`,
      );
      return undefined;
    });
    this.lastFailure = failures.length > 0 ? failures.join(', ') : undefined;
    return values;
  }

  private sayMirror(zone: number, reference: number, mirror: boolean): void {
    const name = this.zones[zone]?.name;
    const referenceName = this.zones[reference]?.name;
    const message = mirror
      ? `RAPL zone ${name} mirrors ${referenceName} (equal counters and deltas): counted once.`
      : `RAPL zone ${name} no longer follows ${referenceName}: counted on its own from now on.`;
    this.logger.once(`rapl:mirror:${this.zones[zone]?.id}:${mirror}`, 'info', message);
  }
}

/** `RAPL package-0 + package-1 (intel-rapl:0, intel-rapl:1), whole machine`. */
function describeZones(zones: readonly PowercapZone[]): string {
  const names = zones.map((zone) => zone.key).join(' + ');
  const ids = zones.map((zone) => zone.id).join(', ');
  return `RAPL ${names} (${ids}), whole machine`;
}
