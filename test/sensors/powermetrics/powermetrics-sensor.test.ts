import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConstantPowerSensor } from '../../../src/sensors/constant-power-sensor.js';
import { PowermetricsSensor } from '../../../src/sensors/powermetrics/powermetrics-sensor.js';
import { PowermetricsStream } from '../../../src/sensors/powermetrics/powermetrics-stream.js';
import { recordingLogger } from '../rapl/fake-powercap.js';

/** A stand-in for the `sudo powermetrics` child: the test writes its output. */
class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  killed = false;
  unrefCalled = false;

  kill(): boolean {
    this.killed = true;
    this.emit('exit', null, 'SIGTERM');
    return true;
  }

  unref(): void {
    this.unrefCalled = true;
  }
}

function sample(elapsedMs: number, cpuMw: number, gpuMw: number): string {
  return [
    `*** Sampled system activity (Fri Nov 10 12:37:08 2023 +0100) (${elapsedMs}ms elapsed) ***`,
    '',
    `CPU Power: ${cpuMw} mW`,
    `GPU Power: ${gpuMw} mW`,
    `Package Power: ${cpuMw + gpuMw} mW`,
    '',
  ].join('\n');
}

/** Lets the stream's 'data' handlers run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const children: FakeChild[] = [];
  const { logger, lines } = recordingLogger();
  const stream = new PowermetricsStream(logger, () => {
    const child = new FakeChild();
    children.push(child);
    return child as unknown as ChildProcess;
  });
  return { stream, children, lines };
}

describe('PowermetricsSensor', () => {
  it('integrates each sample’s power over its own length, CPU and GPU from one child', async () => {
    const { stream, children } = setup();
    const cpu = new PowermetricsSensor('cpu', stream);
    const gpu = new PowermetricsSensor('gpu', stream);
    cpu.start(0);
    gpu.start(0);
    expect(children).toHaveLength(1);
    expect(children[0]?.unrefCalled).toBe(true);

    children[0]?.stdout.write(sample(1000, 2000, 500) + sample(500, 4000, 1000));
    await flush();

    expect(cpu.read(1.5)).toEqual({ energyJ: 4, powerW: 4 / 1.5 });
    expect(gpu.read(1.5)).toEqual({ energyJ: 1, powerW: 1 / 1.5 });

    children[0]?.stdout.write(sample(1000, 3000, 0));
    await flush();
    expect(cpu.read(2.5)).toEqual({ energyJ: 7, powerW: 3 });
  });

  it('keeps the last power while no sample has arrived, and counts nothing extra', async () => {
    const { stream, children } = setup();
    const cpu = new PowermetricsSensor('cpu', stream);
    cpu.start(0);
    children[0]?.stdout.write(sample(1000, 2000, 0));
    await flush();
    expect(cpu.read(1)).toEqual({ energyJ: 2, powerW: 2 });
    expect(cpu.read(1.4)).toEqual({ energyJ: 2, powerW: 2 });
  });

  it('a new run counts only the samples received after its start', async () => {
    const { stream, children } = setup();
    const cpu = new PowermetricsSensor('cpu', stream);
    cpu.start(0);
    children[0]?.stdout.write(sample(1000, 9000, 0));
    await flush();
    cpu.start(1);
    children[0]?.stdout.write(sample(1000, 1000, 0));
    await flush();
    expect(cpu.read(2)).toEqual({ energyJ: 1, powerW: 1 });
    expect(children).toHaveLength(1);
  });

  it('falls back to the load model, with one warning, when powermetrics ends', async () => {
    const { stream, children, lines } = setup();
    const cpu = new PowermetricsSensor('cpu', stream, new ConstantPowerSensor('cpu', 10, 'm', 'm'));
    cpu.start(0);
    children[0]?.stdout.write(sample(1000, 2000, 0));
    await flush();
    expect(cpu.read(1)).toEqual({ energyJ: 2, powerW: 2 });

    children[0]?.emit('exit', 1, null);
    expect(cpu.read(3)).toEqual({ energyJ: 22, powerW: 10 });
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.text)).toEqual([
      'powermetrics exited (code 1): CPU power is estimated with the load model from now on; GPU power is no longer measured.',
    ]);
  });

  it('stops the child when the last sensor closes', () => {
    const { stream, children, lines } = setup();
    const cpu = new PowermetricsSensor('cpu', stream);
    const gpu = new PowermetricsSensor('gpu', stream);
    cpu.start(0);
    gpu.start(0);
    cpu.close();
    expect(children[0]?.killed).toBe(false);
    gpu.close();
    expect(children[0]?.killed).toBe(true);
    expect(lines).toEqual([]);
  });
});
