/**
 * The logger output (`save_to_logger` with `logging_logger`, output method `logger`): every
 * total record, on flush, stop and each periodic output, becomes one structured entry at
 * info level in the user's logger.
 */

import type { Logger } from '../log/logger.js';
import type { EmissionsData } from '../records/emissions-data.js';
import type { OutputHandler } from './handler.js';
import { type JsonField, toJsonRecord } from './http/json-record.js';

/** A pino-, winston-, bunyan- or console-like logger: `info(entry)`, else `log(entry)`. */
export interface RecordLogger {
  info?(entry: unknown, ...rest: unknown[]): unknown;
  log?(entry: unknown, ...rest: unknown[]): unknown;
}

/** A Google Cloud Logging `Log`: `write(entry(metadata, data))`. */
export interface CloudLog {
  entry(metadata: Record<string, unknown>, data: unknown): unknown;
  write(entry: unknown): unknown;
}

/** What `logging_logger` accepts. */
export type LoggingLogger = RecordLogger | CloudLog;

/** What `logging_logger` accepts, in words, for configuration errors. */
export const LOGGING_LOGGER_ACCEPTED =
  'an object with info() or log() (pino, winston, bunyan, console…) or a Google Cloud Logging ' +
  'Log (entry() and write()), given as the loggingLogger option';

/** The entry's `message`: shown by winston, the console and Cloud Logging as the summary. */
export const RECORD_MESSAGE = 'codecarbon emissions';

/** Longest wait for an asynchronous logger (a Cloud Logging write), ms. */
const WRITE_TIMEOUT_MS = 5_000;

export function isLoggingLogger(value: unknown): value is LoggingLogger {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    isCloudLog(candidate) ||
    typeof candidate.info === 'function' ||
    typeof candidate.log === 'function'
  );
}

export interface LoggerOutputOptions {
  target: LoggingLogger;
  /** `logger_preamble`: added to every entry as `logger_preamble` when not empty. */
  preamble?: string;
  /** The tracker's own logger, for this output's failures. */
  logger: Logger;
}

export class LoggerOutput implements OutputHandler {
  private failing = false;

  constructor(private readonly options: LoggerOutputOptions) {}

  out(total: EmissionsData, _delta?: EmissionsData): Promise<void> | undefined {
    return this.write(total);
  }

  liveOut(total: EmissionsData, _delta?: EmissionsData): Promise<void> | undefined {
    return this.write(total);
  }

  /** The structured entry for `record`: the JSON record, then the preamble if any. */
  entry(record: EmissionsData): Record<string, JsonField> {
    const data: Record<string, JsonField> = { message: RECORD_MESSAGE, ...toJsonRecord(record) };
    if (this.options.preamble) data.logger_preamble = this.options.preamble;
    return data;
  }

  private write(record: EmissionsData): Promise<void> | undefined {
    try {
      const result = this.send(this.entry(record));
      if (!isThenable(result)) {
        this.succeeded();
        return undefined;
      }
      return withTimeout(Promise.resolve(result)).then(
        () => this.succeeded(),
        (error: unknown) => this.failed(error),
      );
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  private send(data: Record<string, JsonField>): unknown {
    const target = this.options.target as Record<string, unknown> & LoggingLogger;
    if (isCloudLog(target)) return target.write(target.entry({ severity: 'INFO' }, data));
    if (typeof target.info === 'function') return target.info(data);
    return target.log?.(data);
  }

  private succeeded(): void {
    this.failing = false;
  }

  private failed(error: unknown): void {
    // One message per run of failures: a broken logger would otherwise be reported each time.
    if (!this.failing) {
      this.options.logger.error(
        `logging_logger could not log an emissions record (${describe(error)}); tracking goes on ` +
          'and this is not repeated until it works again.',
      );
    }
    this.failing = true;
  }
}

function isCloudLog(value: Record<string, unknown>): value is Record<string, unknown> & CloudLog {
  return typeof value.entry === 'function' && typeof value.write === 'function';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function withTimeout(promise: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${WRITE_TIMEOUT_MS / 1000} s`)),
      WRITE_TIMEOUT_MS,
    );
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
