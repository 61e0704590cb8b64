import { afterEach, describe, expect, it } from 'vitest';
import { announceProcessEnding, onProcessEnding } from '../../src/output/process-ending.js';

/** Listeners registered by these tests: taken off 'exit' again so the test process ends clean. */
const registered: (() => void)[] = [];

afterEach(() => {
  for (const listener of registered.splice(0)) process.off('exit', listener);
});

/** A listener that counts its calls. */
function counter(): { listener: () => void; calls: () => number } {
  let calls = 0;
  const listener = () => {
    calls += 1;
  };
  registered.push(listener);
  return { listener, calls: () => calls };
}

const onExit = (listener: () => void) =>
  process.listeners('exit').filter((l) => l === listener).length;

describe('process-ending notices', () => {
  it('calls every listener once per announcement', () => {
    const first = counter();
    const second = counter();
    onProcessEnding(first.listener);
    onProcessEnding(second.listener);

    announceProcessEnding();
    expect([first.calls(), second.calls()]).toEqual([1, 1]);
    announceProcessEnding();
    expect([first.calls(), second.calls()]).toEqual([2, 2]);
  });

  it('calls the listeners in the order they were registered', () => {
    const order: string[] = [];
    const a = () => void order.push('a');
    const b = () => void order.push('b');
    registered.push(a, b);
    onProcessEnding(a);
    onProcessEnding(b);

    announceProcessEnding();
    expect(order.filter((name) => name === 'a' || name === 'b')).toEqual(['a', 'b']);
  });

  it('calls a listener registered twice only once, and hooks it to exit once', () => {
    const twice = counter();
    onProcessEnding(twice.listener);
    onProcessEnding(twice.listener);

    announceProcessEnding();
    expect(twice.calls()).toBe(1);
    expect(onExit(twice.listener)).toBe(1);
  });

  it("hooks each listener to the process's exit event (the main thread's notice)", () => {
    const listener = counter().listener;
    expect(onExit(listener)).toBe(0);
    onProcessEnding(listener);
    expect(onExit(listener)).toBe(1);
  });

  it('does nothing when no listener is registered', () => {
    expect(() => announceProcessEnding()).not.toThrow();
  });
});
