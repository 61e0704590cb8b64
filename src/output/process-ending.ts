/**
 * Outputs that keep data for later (the API and HTTP spools) say what they leave when the
 * process ends. The main thread learns it from the process's 'exit' event; the sampling
 * worker sees no such event, so the main thread tells it, and it calls `announceProcessEnding`.
 */
const listeners = new Set<() => void>();

export function onProcessEnding(listener: () => void): void {
  if (listeners.has(listener)) return;
  listeners.add(listener);
  process.on('exit', listener);
}

export function announceProcessEnding(): void {
  for (const listener of listeners) listener();
}
