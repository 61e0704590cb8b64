/**
 * Writes the final record of every running tracker when the process ends: on normal exit and
 * on SIGINT/SIGTERM. Listeners are installed only while a tracker runs. After a signal, if no
 * listener of the user's remains, the signal is raised again so the process ends exactly as it
 * would have without us (same exit status, same default behaviour).
 */

export interface Finalizable {
  /** Takes the final reading and hands the record to outputs, synchronously. Never throws. */
  finalizeSync(reason: string): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const active = new Set<Finalizable>();
let installed = false;
let lastTurnTaken = false;

export function registerForExit(tracker: Finalizable): void {
  active.add(tracker);
  if (!installed) install();
}

export function unregisterForExit(tracker: Finalizable): void {
  active.delete(tracker);
  if (active.size === 0 && installed) uninstall();
}

function install(): void {
  installed = true;
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  installed = false;
  process.off('beforeExit', onBeforeExit);
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function finalizeAll(reason: string): void {
  for (const tracker of [...active]) tracker.finalizeSync(reason);
  active.clear();
}

/**
 * A signal that arrived while user code blocked the main thread waits in the event loop, and
 * a loop with nothing else to do would end without reading it: the process would exit 0
 * instead of dying from the signal. One more turn of the loop reads it.
 */
function onBeforeExit(): void {
  if (lastTurnTaken) return;
  lastTurnTaken = true;
  setImmediate(() => {});
}

function onExit(): void {
  finalizeAll('process exit');
  uninstall();
}

function onSignal(signal: NodeJS.Signals): void {
  finalizeAll(signal);
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
