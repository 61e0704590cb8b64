import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log/logger.js';
import type { EmissionsData } from '../../records/emissions-data.js';
import type { OutputHandler } from '../handler.js';
import type { PromClientModule } from './load-prom-client.js';
import { ScrapeMetrics } from './scrape-metrics.js';
import { ScrapeServer } from './scrape-server.js';

export interface ScrapeOutputOptions {
  host: string;
  port: number;
  experimentName: string;
  logger: Logger;
}

/**
 * Serves the tracker's metrics at `/metrics` for Prometheus to pull. It listens from the
 * moment it is built (so a scrape before the first output finds the target up, with no
 * series yet), updates at every periodic and final output, and closes at stop; a restarted
 * tracker listens again at its next output.
 */
export class PrometheusScrapeOutput implements OutputHandler {
  private readonly metrics: ScrapeMetrics;
  private readonly server: ScrapeServer;

  constructor(prom: PromClientModule, options: ScrapeOutputOptions) {
    this.metrics = new ScrapeMetrics(prom, options.experimentName);
    this.server = new ScrapeServer({
      registry: this.metrics.registry,
      host: options.host,
      port: options.port,
      logger: options.logger,
    });
    void this.server.open();
  }

  /** Resolves to the bound address once listening (undefined when the port was refused). */
  ready(): Promise<AddressInfo | undefined> {
    return this.server.open();
  }

  liveOut(total: EmissionsData, delta: EmissionsData): void {
    this.update(total, delta);
  }

  out(total: EmissionsData, delta: EmissionsData): void {
    this.update(total, delta);
  }

  async exit(): Promise<void> {
    await this.server.close();
    this.metrics.clear();
  }

  private update(total: EmissionsData, delta: EmissionsData): void {
    this.metrics.update(total, delta);
    void this.server.open();
  }
}
