/**
 * Incremental parser of `powermetrics --samplers cpu_power` text output (macOS). Each sample
 * starts with a header that gives its length, `*** Sampled system activity (…) (104.51ms
 * elapsed) ***`, and lists the mean power of the SoC parts over that length:
 * `CPU Power: 947 mW`, `GPU Power: 153 mW`, `ANE Power`, `DRAM Power`, then a last
 * `Package Power` (or `Combined Power (CPU + GPU + ANE)` on newer macOS). Chunks may split
 * lines anywhere; a sample is complete at its last power line, at the next header or at the
 * end of the stream.
 */

export interface PowermetricsSample {
  /** Length of the sample, s. */
  elapsedS: number;
  /** Mean powers over the sample, W; a part the sample does not list is absent. */
  cpuW?: number;
  gpuW?: number;
  aneW?: number;
  dramW?: number;
  packageW?: number;
}

const HEADER = /^\*\*\* Sampled system activity .*\((\d+(?:\.\d+)?)\s*ms elapsed\) \*\*\*\s*$/;
const POWER =
  /^(CPU|GPU|ANE|DRAM|Package|Combined) Power(?: \([^)]*\))?:\s*(\d+(?:\.\d+)?)\s*(mW|W)\s*$/;
const FIELD: Record<string, keyof Omit<PowermetricsSample, 'elapsedS'>> = {
  CPU: 'cpuW',
  GPU: 'gpuW',
  ANE: 'aneW',
  DRAM: 'dramW',
  Package: 'packageW',
  Combined: 'packageW',
};
/** Longest partial line kept between chunks; anything longer is not powermetrics text. */
const MAX_LINE_CHARS = 64 * 1024;

export class PowermetricsParser {
  private partialLine = '';
  private current: PowermetricsSample | undefined;

  /** Feeds a chunk of output; returns the samples it completed, in order. */
  push(chunk: string): PowermetricsSample[] {
    const done: PowermetricsSample[] = [];
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = (lines.pop() ?? '').slice(-MAX_LINE_CHARS);
    for (const line of lines) this.line(line.replace(/\r$/, ''), done);
    return done;
  }

  /** The stream ended: completes the sample in progress, if it has any power. */
  end(): PowermetricsSample[] {
    const done: PowermetricsSample[] = [];
    if (this.partialLine !== '') this.line(this.partialLine, done);
    this.partialLine = '';
    this.finish(done);
    return done;
  }

  private line(line: string, done: PowermetricsSample[]): void {
    const header = HEADER.exec(line);
    if (header) {
      this.finish(done);
      this.current = { elapsedS: Number(header[1]) / 1000 };
      return;
    }
    const power = POWER.exec(line.trim());
    if (!power || this.current === undefined) return;

    const [, part = '', value = '', unit] = power;
    const field = FIELD[part];
    if (field !== undefined) this.current[field] = Number(value) / (unit === 'mW' ? 1000 : 1);
    // The package (or combined) line closes the processor section: no need to wait a whole
    // interval for the next header to account for this sample.
    if (part === 'Package' || part === 'Combined') this.finish(done);
  }

  private finish(done: PowermetricsSample[]): void {
    const sample = this.current;
    this.current = undefined;
    if (sample === undefined || Object.keys(sample).length === 1) return;
    done.push(sample);
  }
}

/** Mean CPU and GPU power of a whole output (the way CodeCarbon reads a finished log), W. */
export function meanPowersW(text: string): { cpuW: number | undefined; gpuW: number | undefined } {
  const parser = new PowermetricsParser();
  const samples = [...parser.push(text), ...parser.end()];
  const mean = (values: (number | undefined)[]) => {
    const present = values.filter((value): value is number => value !== undefined);
    return present.length === 0 ? undefined : present.reduce((a, b) => a + b, 0) / present.length;
  };
  return {
    cpuW: mean(samples.map((sample) => sample.cpuW)),
    gpuW: mean(samples.map((sample) => sample.gpuW)),
  };
}
