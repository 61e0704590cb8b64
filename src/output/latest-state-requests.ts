import type { FailureTracker } from './prometheus/failure-tracker.js';

/** One request to the server; it should stop when `signal` aborts (one that cannot is let run). */
export type SendRequest = (signal: AbortSignal) => Promise<unknown>;

export interface LatestStateRequestsOptions {
  /** Limit of each request, ms, for the whole exchange (connection, upload and answer). */
  limitMs: number;
  health: FailureTracker;
  /** Turns a request's error into a short phrase for the log. Default: its message. */
  describe?: (error: unknown) => string;
}

interface Flight {
  controller: AbortController;
  /** Settles (never rejects) when the request ends, fails, times out or is superseded. */
  done: Promise<void>;
}

/** Abort reason of a request whose values a newer request carries. */
const SUPERSEDED = Symbol('superseded');

/**
 * The requests of an output that always sends its latest state, so that a request carries
 * whatever the ones before it would have (a pushgateway PUT, an OTLP export that collects
 * when it starts). Nothing is queued behind a slow or silent server: each request ends within
 * `limitMs`, a periodic request that finds one in flight waits for it and is sent once
 * afterwards (several such calls make one request), and a final request starts at once. So
 * `out()` and `exit()` settle within one limit however many periodic outputs came before.
 */
export class LatestStateRequests {
  private current: Flight | undefined;
  private readonly flights = new Set<Flight>();
  private followUp: SendRequest | undefined;

  constructor(private readonly options: LatestStateRequestsOptions) {}

  /**
   * Sends now, or after the request in flight; settles when the request in flight (or this
   * one) ends, within one limit.
   */
  periodic(send: SendRequest): Promise<void> {
    if (this.current === undefined) return this.start(send);
    this.followUp = send;
    return this.current.done;
  }

  /**
   * Sends now, within one limit. With `supersede`, requests in flight are aborted first:
   * their values are older, and one landing after this one would undo it.
   */
  final(send: SendRequest, supersede: boolean): Promise<void> {
    this.followUp = undefined;
    if (supersede) this.abortAll();
    return this.start(send);
  }

  /** Forgets the periodic request waiting to be sent and aborts those in flight, silently. */
  abortAll(): void {
    this.followUp = undefined;
    for (const flight of this.flights) flight.controller.abort(SUPERSEDED);
  }

  /** Forgets the periodic request waiting to be sent; those in flight go on. */
  dropFollowUp(): void {
    this.followUp = undefined;
  }

  /** Settles when every request in flight has ended (each within its limit). */
  async settled(): Promise<void> {
    await Promise.all([...this.flights].map((flight) => flight.done));
  }

  private start(send: SendRequest): Promise<void> {
    const controller = new AbortController();
    const { limitMs } = this.options;
    const timer = setTimeout(() => controller.abort(new Error(timeoutPhrase(limitMs))), limitMs);
    timer.unref();
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
        once: true,
      });
    });
    const flight: Flight = { controller, done: Promise.resolve() };
    flight.done = Promise.race([
      Promise.resolve().then(() => sendUnlessAborted(send, controller.signal)),
      aborted,
    ])
      .then(
        () => this.report(controller.signal, undefined),
        (error: unknown) => this.report(controller.signal, error),
      )
      .finally(() => {
        clearTimeout(timer);
        this.end(flight);
      });
    this.current = flight;
    this.flights.add(flight);
    return flight.done;
  }

  /** A superseded request says nothing: the request that replaced it reports. */
  private report(signal: AbortSignal, error: unknown): void {
    if (signal.aborted) {
      if (signal.reason !== SUPERSEDED) this.options.health.failed(signal.reason);
      return;
    }
    if (error === undefined) {
      this.options.health.succeeded();
      return;
    }
    const describe = this.options.describe;
    this.options.health.failed(describe ? new Error(describe(error)) : error);
  }

  private end(flight: Flight): void {
    this.flights.delete(flight);
    if (this.current !== flight) return;
    this.current = undefined;
    const next = this.followUp;
    this.followUp = undefined;
    if (next !== undefined) void this.start(next);
  }
}

/** Starts on the next microtask: a request superseded before then is never sent. */
async function sendUnlessAborted(send: SendRequest, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return undefined;
  return send(signal);
}

function timeoutPhrase(limitMs: number): string {
  return `no complete answer within ${limitMs / 1000} s`;
}
