/**
 * The library's one logger. Library code never writes to the console: every message goes
 * through a `Logger`, which the user can replace (`logger` option) or silence (`logLevel`).
 */

export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** What a replacement logger must implement. `component` names the part that speaks. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warning', 'error', 'critical'];

const RANK: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warning: 30,
  error: 40,
  critical: 50,
};

export interface StderrLoggerOptions {
  level: LogLevel;
  /** Extra tag after the level, as CodeCarbon's `logger_preamble`. */
  preamble?: string;
  /** Where lines go; defaults to standard error. */
  write?: (line: string) => void;
}

/** `[codecarbon WARNING @ 13:02:11][preamble] message`, CodeCarbon's console format. */
export class StderrLogger implements Logger {
  readonly level: LogLevel;
  private readonly preamble: string;
  private readonly write: (line: string) => void;

  constructor(options: StderrLoggerOptions) {
    this.level = options.level;
    this.preamble = options.preamble ? `[${options.preamble}]` : '';
    this.write = options.write ?? ((line) => process.stderr.write(line));
  }

  debug(message: string): void {
    this.emit('debug', message);
  }

  info(message: string): void {
    this.emit('info', message);
  }

  warn(message: string): void {
    this.emit('warning', message);
  }

  error(message: string): void {
    this.emit('error', message);
  }

  private emit(level: LogLevel, message: string): void {
    if (RANK[level] < RANK[this.level]) return;
    const time = new Date().toTimeString().slice(0, 8);
    this.write(`[codecarbon ${level.toUpperCase()} @ ${time}]${this.preamble} ${message}\n`);
  }
}

/** A logger that says each keyed message at most once (warnings that would otherwise repeat). */
export class OnceLogger implements Logger {
  private readonly said = new Set<string>();

  constructor(readonly inner: Logger) {}

  debug(message: string): void {
    this.inner.debug(message);
  }

  info(message: string): void {
    this.inner.info(message);
  }

  warn(message: string): void {
    this.inner.warn(message);
  }

  error(message: string): void {
    this.inner.error(message);
  }

  /** Logs `message` at `level` the first time `key` is seen, and never again. */
  once(key: string, level: 'info' | 'warn' | 'error', message: string): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this[level](message);
  }
}

/** Passes to `logger` only the messages at `level` or above (for a user-supplied logger); never throws. */
export function filterByLevel(logger: Logger, level: LogLevel): Logger {
  const allowed = (messageLevel: LogLevel) => RANK[messageLevel] >= RANK[level];
  // A logger of the user's that throws must not turn a log line into a failure of the
  // tracker, or of the user's program: its error is dropped.
  const safely = (messageLevel: LogLevel, write: () => unknown) => {
    if (!allowed(messageLevel)) return;
    try {
      // An async logger's rejection is dropped too (it would end the process unhandled).
      const result = write();
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // Nowhere left to report it: the logger is what failed.
    }
  };
  return {
    debug: (message) => safely('debug', () => logger.debug(message)),
    info: (message) => safely('info', () => logger.info(message)),
    warn: (message) => safely('warning', () => logger.warn(message)),
    error: (message) => safely('error', () => logger.error(message)),
  };
}

/** Swallows everything; for tests and for callers that want silence. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
