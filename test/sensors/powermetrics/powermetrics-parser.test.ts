import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  meanPowersW,
  PowermetricsParser,
  type PowermetricsSample,
} from '../../../src/sensors/powermetrics/powermetrics-parser.js';

/** Real output of `powermetrics --samplers cpu_power` on an M1 MacBook Air (10 samples). */
const FIXTURE_URL = new URL('./fixtures/powermetrics-macbookair-m1.txt', import.meta.url);
const FIXTURE = readFileSync(FIXTURE_URL, 'utf8');
const SHARED = new URL(
  '../../../../shared/reference-data/fixtures/powermetrics-macbookair-m1.txt',
  import.meta.url,
);

function parseAll(chunks: string[]): PowermetricsSample[] {
  const parser = new PowermetricsParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

describe('PowermetricsParser', () => {
  it('reads every sample of the M1 fixture with its length and part powers', () => {
    const samples = parseAll([FIXTURE]);

    expect(samples).toHaveLength(10);
    expect(samples[0]).toEqual({
      elapsedS: 0.10451,
      aneW: 0,
      dramW: 0.22,
      cpuW: 0.947,
      gpuW: 0.153,
      packageW: 1.473,
    });
    expect(samples[9]).toEqual({
      elapsedS: 0.10892,
      aneW: 0,
      dramW: 0.083,
      cpuW: 0.239,
      gpuW: 0.009,
      packageW: 0.321,
    });
  });

  it('gives CodeCarbon’s means for the fixture: CPU 0.3146 W, GPU 0.0386 W', () => {
    const { cpuW, gpuW } = meanPowersW(FIXTURE);
    expect(cpuW).toBeCloseTo(0.3146, 12);
    expect(gpuW).toBeCloseTo(0.0386, 12);
  });

  it('parses the same samples however the stream is cut into chunks', () => {
    const whole = parseAll([FIXTURE]);
    for (const size of [1, 7, 100, 4096]) {
      const chunks: string[] = [];
      for (let at = 0; at < FIXTURE.length; at += size) chunks.push(FIXTURE.slice(at, at + size));
      expect(parseAll(chunks)).toEqual(whole);
    }
  });

  it('completes a sample at its package line, without waiting for the next header', () => {
    const parser = new PowermetricsParser();
    const firstSample = FIXTURE.slice(0, FIXTURE.indexOf('Package Power: 1473 mW\n') + 23);
    expect(parser.push(firstSample).map((sample) => sample.cpuW)).toEqual([0.947]);
  });

  it('reads the newer "Combined Power (CPU + GPU + ANE)" layout and watts', () => {
    const text = [
      '*** Sampled system activity (Wed Jan  3 10:00:00 2024 -0800) (1000.52ms elapsed) ***',
      '',
      'CPU Power: 1.5 W',
      'GPU Power: 250 mW',
      'ANE Power: 0 mW',
      'Combined Power (CPU + GPU + ANE): 1750 mW',
      '',
    ].join('\n');
    expect(parseAll([text])).toEqual([
      { elapsedS: 1.00052, cpuW: 1.5, gpuW: 0.25, aneW: 0, packageW: 1.75 },
    ]);
  });

  it('ignores text that is not a sample (a sudo message, a preamble)', () => {
    expect(parseAll(['sudo: a password is required\n', 'CPU Power: 5 mW\n'])).toEqual([]);
  });
});

describe.skipIf(!existsSync(SHARED))('the powermetrics fixture copy', () => {
  it('is the reference fixture, byte for byte', () => {
    expect(FIXTURE).toBe(readFileSync(SHARED, 'utf8'));
  });
});
