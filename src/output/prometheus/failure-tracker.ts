import type { Logger } from '../../log/logger.js';

/**
 * Logs a network output's health without flooding: the first failure of a streak is a
 * warning, repeats are debug lines, and the first success after a failure says so. The
 * tracker calls an output every few minutes for days; an unreachable server must not print
 * a warning each time, yet a recovery must be visible.
 */
export class FailureTracker {
  private failing = false;

  constructor(
    private readonly logger: Logger,
    /** What is being done, for messages: `Pushing metrics to http://gw:9091`. */
    private readonly action: string,
    /** What the user can check, for the warning: `prometheus_url and that the gateway runs`. */
    private readonly check?: string,
  ) {}

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.info(`${this.action} works again.`);
  }

  failed(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (this.failing) {
      this.logger.debug(`${this.action} failed again (${reason}).`);
      return;
    }
    this.failing = true;
    const check = this.check === undefined ? '' : ` If it persists, check ${this.check}.`;
    this.logger.warn(
      `${this.action} failed (${reason}); tracking continues and the next output retries.${check}`,
    );
  }
}
